// Adding jobs. Pass the transaction that changes the data the job is about, so the job
// exists exactly when the change does (graphile-worker's add_job is plain SQL).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { currentRequestId } from '../request-scope.js';

/** where a job's payload carries the id of the request that queued it */
export const REQUEST_ID_FIELD = '_requestId';

export interface JobSpec {
  /** dedupes: a second job with the same key replaces the pending one */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  priority?: number;
  /** jobs in one queue run one at a time, in order */
  queueName?: string;
}

/** Task names follow graphile-worker's crontab rules: `area:verb_noun`. */
export const TASK_NAME = /^[_a-zA-Z][_a-zA-Z0-9:/_-]*$/;

/**
 * Adds a job by its name: for job.ts (defineJob's `add`) and this folder's tests only. Everyone
 * else adds a job through its definition (a lint rule in eslint.config.js holds them to it).
 */
export async function addJob(
  executor: Executor,
  task: string,
  payload: Record<string, unknown>,
  spec: JobSpec = {},
): Promise<void> {
  if (!TASK_NAME.test(task)) throw new Error(`invalid task name ${task}`);
  // The request that queued the job, for the worker's log lines (payload schemas ignore it).
  const requestId = currentRequestId();
  const body = requestId === undefined ? payload : { ...payload, [REQUEST_ID_FIELD]: requestId };
  await sql`select graphile_worker.add_job(
    identifier => ${task},
    payload => ${JSON.stringify(body)}::json,
    queue_name => ${spec.queueName ?? null},
    run_at => ${spec.runAt ?? null}::timestamptz,
    max_attempts => ${spec.maxAttempts ?? null}::int,
    job_key => ${spec.jobKey ?? null},
    priority => ${spec.priority ?? null}::int
  )`.execute(executor);
}

/** One job of a set added together (addJobs): its payload and, optionally, its key. */
export interface JobOfSet {
  payload: Record<string, unknown>;
  jobKey?: string | undefined;
}

/**
 * Adds several jobs of one task with one statement (graphile-worker's set-based add_jobs: one
 * task look-up, one insert, one NOTIFY), in the caller's transaction. `spec` applies to all; keys
 * must differ from each other (a key already queued is replaced, as with addJob).
 */
export async function addJobs(
  executor: Executor,
  task: string,
  jobs: readonly JobOfSet[],
  spec: Omit<JobSpec, 'jobKey'> = {},
): Promise<void> {
  if (!TASK_NAME.test(task)) throw new Error(`invalid task name ${task}`);
  if (jobs.length === 0) return;
  const requestId = currentRequestId();
  const specs = jobs.map((job) => ({
    key: job.jobKey ?? null,
    // a payload that names its own request (jobs for work of several requests) keeps it
    payload:
      requestId === undefined ? job.payload : { [REQUEST_ID_FIELD]: requestId, ...job.payload },
  }));
  await sql`select count(*) from graphile_worker.add_jobs(array(
      select row(${task}::text, spec -> 'payload', ${spec.queueName ?? null}::text,
                 ${spec.runAt ?? null}::timestamptz, ${spec.maxAttempts ?? null}::int,
                 spec ->> 'key', ${spec.priority ?? null}::int, null)::graphile_worker.job_spec
        from json_array_elements(${JSON.stringify(specs)}::json) as spec))`.execute(executor);
}

/**
 * Deletes the jobs queued under these keys that no worker has taken (a job running now is left
 * to finish, and its handler must find the work done), in the caller's transaction: for work
 * done by someone else, so the jobs that would do it again never run. Until the transaction
 * ends the rows stay locked, so no worker takes them meanwhile (graphile-worker skips locked
 * jobs); a rollback leaves them queued.
 */
export async function completeJobsByKey(
  executor: Executor,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  await sql`select count(*) from graphile_worker.complete_jobs(array(
      select id from graphile_worker._private_jobs
       where key = any(${[...keys]}::text[]) and locked_at is null))`.execute(executor);
}

/**
 * Removes the job queued under `jobKey` (in the caller's transaction), when what it would do is
 * done already. A job running at that moment is left to finish; its handler must find the work
 * done.
 */
export async function removeJob(executor: Executor, jobKey: string): Promise<void> {
  await sql`select graphile_worker.remove_job(${jobKey})`.execute(executor);
}
