// Hourly cron job: removes temporary data that outlived its purpose (abandoned temp files,
// temporary objects, heartbeats of workers that are gone, expired idempotency keys). Each step
// is safe to repeat.
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { deleteExpiredKeys } from '../http/idempotency.repository.js';
import { defineJob } from '../jobs/job.js';
import type { Logger } from '../log.js';
import { deleteOldMessages } from '../mail/outbox.repository.js';
import type { ObjectStore } from '../storage/index.js';

export const cleanupJob = defineJob('platform:cleanup_temporary', z.looseObject({}));
export const CLEANUP_CRONTAB = cleanupJob.cron('17 * * * *', '?max=1&jobKey=platform_cleanup');
export const TEMP_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** storage keys under this prefix are temporary by definition */
export const TEMP_OBJECT_PREFIX = 'tmp/';

export interface CleanupStep {
  name: string;
  /** removes what expired before `cutoff`; returns how many things it removed */
  run(cutoff: Date, now: Date): Promise<number>;
}

export function tempDirStep(tempDir: string): CleanupStep {
  return {
    name: 'temp_files',
    async run(cutoff) {
      const entries = await readdir(tempDir, { withFileTypes: true }).catch(() => []);
      let removed = 0;
      for (const entry of entries) {
        const full = path.join(tempDir, entry.name);
        const info = await stat(full).catch(() => undefined);
        if (info && info.mtime < cutoff) {
          await rm(full, { recursive: true, force: true });
          removed++;
        }
      }
      return removed;
    },
  };
}

export function tempObjectsStep(storage: ObjectStore): CleanupStep {
  return {
    name: 'temp_objects',
    async run(cutoff) {
      let removed = 0;
      for await (const object of storage.list(TEMP_OBJECT_PREFIX)) {
        if (object.lastModified < cutoff) {
          await storage.delete(object.key);
          removed++;
        }
      }
      return removed;
    },
  };
}

export function staleHeartbeatsStep(db: Db): CleanupStep {
  return {
    name: 'worker_heartbeats',
    async run(_cutoff, now) {
      const result = await db
        .deleteFrom('worker_heartbeats')
        .where('seen_at', '<', new Date(now.getTime() - 60 * 60 * 1000))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** Idempotency-Key rows past their 24 hours (platform/http/idempotency.ts). */
export function expiredIdempotencyKeysStep(db: Db): CleanupStep {
  return {
    name: 'idempotency_keys',
    run: (_cutoff, now) => deleteExpiredKeys(db, now),
  };
}

export const MAIL_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export function oldMailStep(db: Db): CleanupStep {
  return {
    name: 'old_mail',
    run: (_cutoff, now) => deleteOldMessages(db, new Date(now.getTime() - MAIL_RETENTION_MS)),
  };
}

/** Runs every step; one failing step does not stop the others, but fails the job for a retry. */
export async function runCleanup(steps: readonly CleanupStep[], log: Logger, now = new Date()) {
  const cutoff = new Date(now.getTime() - TEMP_MAX_AGE_MS);
  const removed: Record<string, number> = {};
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      removed[step.name] = await step.run(cutoff, now);
    } catch (error) {
      failures.push(error);
      log.error({ err: error, step: step.name }, 'cleanup step failed');
    }
  }
  log.info({ removed }, 'temporary data cleaned up');
  if (failures.length > 0) throw new AggregateError(failures, 'some cleanup steps failed');
  return removed;
}

export function cleanupTask(steps: readonly CleanupStep[]) {
  return cleanupJob.task(async (_payload, { log }) => {
    await runCleanup(steps, log);
  });
}
