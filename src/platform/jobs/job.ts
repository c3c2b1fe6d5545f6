// A job is one definition: its name, its payload's schema, how it is added and (given its
// dependencies when the module is built) its handler. Callers add a job through its definition,
// never by a string, so a typo or a payload of the wrong shape is a type error, not a job that
// fails at 3 a.m.
import type { z } from 'zod';
import type { Executor } from '../../db/database.js';
import { addJob, addJobs, TASK_NAME, type JobSpec } from './queue.js';
import type { JobContext, TaskDefinition } from './task.js';

export interface Job<T extends Record<string, unknown>> {
  readonly name: string;
  readonly payload: z.ZodType<T>;
  /** Adds the job, in the transaction that makes the change it is about. */
  add(executor: Executor, payload: T, spec?: JobSpec): Promise<void>;
  /** Adds several with one statement (keys must differ), in the caller's transaction. */
  addMany(
    executor: Executor,
    jobs: readonly { payload: T; jobKey?: string | undefined }[],
    spec?: Omit<JobSpec, 'jobKey'>,
  ): Promise<void>;
  /** The job with its handler, for the worker (handlers must be safe to run twice). */
  task(run: (payload: T, context: JobContext) => Promise<void>): TaskDefinition<T>;
  /** A crontab line that adds the job on a schedule (`options` as graphile-worker's `?…`). */
  cron(schedule: string, options?: string): string;
}

export function defineJob<T extends Record<string, unknown>>(
  name: string,
  payload: z.ZodType<T>,
): Job<T> {
  if (!TASK_NAME.test(name)) throw new Error(`invalid job name ${name}`);
  return {
    name,
    payload,
    add: (executor, body, spec) => addJob(executor, name, body, spec),
    addMany: (executor, jobs, spec) => addJobs(executor, name, jobs, spec),
    task: (run) => ({ name, payload, run }),
    cron: (schedule, options) => `${schedule} ${name}${options ? ` ${options}` : ''}`,
  };
}
