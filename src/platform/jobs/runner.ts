// Runs the job queue in this process: inline beside the HTTP server (WORKER=inline) or as the
// standalone worker (`npm run worker`). Signals are ours to handle: stop() releases the jobs in
// progress so another worker can take them, rather than leaving them locked.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger as WorkerLogger, run, type Runner, type TaskList } from 'graphile-worker';
import type pg from 'pg';
import type { Db } from '../../db/database.js';
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

export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const { db, log } = options;
  const workerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  await beat(db, workerId);
  const runner: Runner = await run({
    pgPool: options.pool,
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
