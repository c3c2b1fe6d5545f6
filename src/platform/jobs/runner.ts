// Runs the job queue in this process: inline beside the HTTP server (WORKER=inline) or as the
// standalone worker (`npm run worker`). Signals are ours to handle: stop() releases the jobs in
// progress so another worker can take them, rather than leaving them locked.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger as WorkerLogger, run, type Runner, type TaskList } from 'graphile-worker';
import { sql } from 'kysely';
import type pg from 'pg';
import { isDatabaseUnavailable, type Db } from '../../db/database.js';
import type { Logger } from '../log.js';
import { REQUEST_ID_FIELD } from './queue.js';
import type { Metrics } from '../metrics.js';
import type { TaskDefinition } from './task.js';

export interface JobRunnerOptions {
  pool: pg.Pool;
  db: Db;
  log: Logger;
  metrics: Metrics;
  tasks: readonly TaskDefinition[];
  crontab: string;
  concurrency?: number;
  heartbeatMs?: number;
  /**
   * How often to look for jobs that became due (graphile-worker's default is 2 s; new jobs are
   * announced at once by NOTIFY, only ones scheduled for later wait for the poll).
   */
  pollIntervalMs?: number;
}

export interface JobRunner {
  readonly workerId: string;
  /** graphile-worker's events (`job:complete`, `job:error`, …), for metrics and tests */
  readonly events: Runner['events'];
  stop(): Promise<void>;
}

function toTaskList(tasks: JobRunnerOptions['tasks'], log: Logger, metrics: Metrics): TaskList {
  const list: TaskList = {};
  for (const task of tasks) {
    list[task.name] = async (raw, helpers) => {
      const parsed = task.payload.safeParse(raw);
      const requestId =
        typeof raw === 'object' && raw !== null && REQUEST_ID_FIELD in raw
          ? String((raw as Record<string, unknown>)[REQUEST_ID_FIELD])
          : undefined;
      const jobLog = log.child({
        job: task.name,
        jobId: helpers.job.id,
        ...(requestId !== undefined && { reqId: requestId }),
      });
      if (!parsed.success) {
        // Retrying cannot fix a malformed payload: record it loudly and drop the job.
        metrics.jobsFailed.inc({ task: task.name, reason: 'invalid_payload' });
        jobLog.error({ issues: parsed.error.issues }, 'dropping job with an invalid payload');
        return;
      }
      const done = metrics.jobDuration.startTimer({ task: task.name });
      try {
        await task.run(parsed.data, {
          log: jobLog,
          jobId: helpers.job.id,
          attempt: helpers.job.attempts,
          maxAttempts: helpers.job.max_attempts,
          signal: helpers.abortSignal,
        });
        done({ outcome: 'success' });
      } catch (error) {
        done({ outcome: 'error' });
        metrics.jobsFailed.inc({ task: task.name, reason: 'error' });
        jobLog.warn(
          { err: error, attempt: helpers.job.attempts },
          'job failed; it will be retried',
        );
        throw error;
      }
    };
  }
  return list;
}

function workerLogger(log: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const target = level === 'error' ? 'error' : level === 'warning' ? 'warn' : 'debug';
    log[target]({ scope, ...meta }, message);
  });
}

async function beat(db: Db, workerId: string): Promise<void> {
  await db
    .insertInto('worker_heartbeats')
    .values({ worker_id: workerId, hostname: hostname(), pid: process.pid, seen_at: new Date() })
    .onConflict((oc) => oc.column('worker_id').doUpdateSet({ seen_at: new Date() }))
    .execute();
}

/** A heartbeat older than this is a worker that is gone (it beats every 10 s). */
const STALE_HEARTBEAT_MS = 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A worker process that died without stopping (SIGKILL, a crash, a lost machine) leaves its
 * jobs locked, and graphile-worker only takes them back after 4 hours. At start, when every
 * other worker that left a heartbeat is gone (a dead pid on this host, or silent for a minute),
 * the locks are theirs: release them so the jobs run again now. With another live worker about,
 * nothing is touched (its locks may be real).
 */
async function releaseJobsOfDeadWorkers(db: Db, log: Logger, workerId: string): Promise<void> {
  const others = await db
    .selectFrom('worker_heartbeats')
    .select(['worker_id', 'hostname', 'pid', 'seen_at'])
    .where('worker_id', '<>', workerId)
    .execute();
  const dead = others
    .filter(
      (h) =>
        (h.hostname === hostname() && h.pid !== process.pid && !processAlive(h.pid)) ||
        h.seen_at.getTime() < Date.now() - STALE_HEARTBEAT_MS,
    )
    .map((h) => h.worker_id);
  if (dead.length < others.length) return;
  // One statement: a worker that starts meanwhile (its heartbeat comes before its first lock)
  // keeps everything locked.
  const { rows } = await sql<{ released: number }>`
    with held as (
      select array_agg(distinct locked_by) as ids from graphile_worker._private_jobs
      where locked_by is not null
    )
    select coalesce(array_length(held.ids, 1), 0)::int as released,
      graphile_worker.force_unlock_workers(held.ids)
    from held
    where held.ids is not null and not exists (
      select 1 from worker_heartbeats
      where worker_id <> ${workerId} and worker_id <> all(${dead}::text[])
    )`.execute(db);
  if (dead.length > 0) {
    await db.deleteFrom('worker_heartbeats').where('worker_id', 'in', dead).execute();
  }
  const released = rows[0]?.released ?? 0;
  if (released > 0) {
    log.warn({ workers: released, gone: dead }, 'released the jobs of workers that are gone');
  }
}

/** How long the queue's own bookkeeping waits for an unreachable database before failing. */
const QUEUE_CONNECT_PATIENCE_MS = 60_000;

/**
 * The pool as graphile-worker sees it, except that connect() waits out a database that cannot
 * be reached (a restart, a network blip) instead of failing at once. graphile-worker records a
 * job's completion or failure without awaiting it and retries few error codes: a job ending
 * while the database was down became an unhandled rejection (the process died) and left the
 * job locked for hours. Job handlers use the app's own pool and still fail fast.
 */
function patientPool(pool: pg.Pool, stopping: () => boolean): pg.Pool {
  const connect = async (): Promise<pg.PoolClient> => {
    const deadline = Date.now() + QUEUE_CONNECT_PATIENCE_MS;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        return await pool.connect();
      } catch (error) {
        if (!isDatabaseUnavailable(error) || stopping() || Date.now() + delay > deadline) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
  const connectWithCallback = pool.connect.bind(pool);
  return new Proxy(pool, {
    get(target, property): unknown {
      if (property === 'connect') {
        // the callback form (graphile-worker's LISTEN connection) has its own reconnect loop
        return (...args: unknown[]): unknown => {
          if (args.length === 0) return connect();
          const result: unknown = Reflect.apply(connectWithCallback, undefined, args);
          return result;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const bound: unknown = value.bind(target);
      return bound;
    },
  });
}

export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { db, log } = options;
  const workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  await beat(db, workerId);
  await releaseJobsOfDeadWorkers(db, log, workerId);
  let stopping = false;
  const runner: Runner = await run({
    pgPool: patientPool(options.pool, () => stopping),
    taskList: toTaskList(options.tasks, log, options.metrics),
    crontab: options.crontab,
    concurrency: options.concurrency ?? 4,
    pollInterval: options.pollIntervalMs ?? 2_000,
    noHandleSignals: true,
    logger: workerLogger(log.child({ component: 'worker' })),
    gracefulShutdownAbortTimeout: 5_000,
  });
  const heartbeat = setInterval(() => {
    beat(db, workerId).catch((error: unknown) =>
      log.warn({ err: error }, 'worker heartbeat failed'),
    );
  }, options.heartbeatMs ?? 10_000);
  heartbeat.unref();
  log.info({ workerId, tasks: options.tasks.map((t) => t.name) }, 'job worker started');

  return {
    workerId,
    events: runner.events,
    async stop() {
      stopping = true;
      clearInterval(heartbeat);
      await runner.stop();
      await db
        .deleteFrom('worker_heartbeats')
        .where('worker_id', '=', workerId)
        .execute()
        .catch(() => undefined);
      log.info({ workerId }, 'job worker stopped');
    },
  };
}
