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

/**
 * Removes the job queued under `jobKey` (in the caller's transaction), when what it would do is
 * done already. A job running at that moment is left to finish; its handler must find the work
 * done.
 */
export async function removeJob(executor: Executor, jobKey: string): Promise<void> {
  await sql`select graphile_worker.remove_job(${jobKey})`.execute(executor);
}
