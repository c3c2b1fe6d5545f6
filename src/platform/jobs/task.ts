import type { z } from 'zod';
import type { Logger } from '../log.js';

export interface JobContext {
  log: Logger;
  jobId: string;
  attempt: number;
  maxAttempts: number;
  /** aborted when the worker shuts down; long jobs should stop and let the job be retried */
  signal: AbortSignal;
}

/**
 * A job handler with a validated payload. Handlers must be safe to run twice: the queue
 * is at-least-once, and a crash after the work but before the acknowledgement repeats it.
 */
export interface TaskDefinition<T = unknown> {
  name: string;
  payload: z.ZodType<T>;
  run(payload: T, context: JobContext): Promise<void>;
}

/** A handler under a bare name, for this folder's tests; modules use defineJob(…).task. */
export function defineTask<T>(definition: TaskDefinition<T>): TaskDefinition<T> {
  return definition;
}
