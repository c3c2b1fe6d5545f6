// Every job the worker runs, and the cron schedule: the platform's own (mail delivery, the hourly
// cleanup with every module's steps) and each module's, from the registry (src/modules.ts).
import { buildModules, type ModuleServices } from './modules.js';
import type { TaskDefinition } from './platform/jobs/task.js';
import {
  CLEANUP_CRONTAB,
  cleanupTask,
  expiredIdempotencyKeysStep,
  oldMailStep,
  staleHeartbeatsStep,
  tempDirStep,
  tempObjectsStep,
} from './platform/maintenance/cleanup.jobs.js';
import { deliverMailTask } from './platform/mail/mail.jobs.js';

export function appTasks(services: ModuleServices): { tasks: TaskDefinition[]; crontab: string } {
  const modules = buildModules(services).list;
  const cleanupSteps = [
    tempDirStep(services.tempDir),
    tempObjectsStep(services.storage),
    staleHeartbeatsStep(services.db),
    oldMailStep(services.db),
    expiredIdempotencyKeysStep(services.db),
    ...modules.flatMap((module) => module.cleanupSteps ?? []),
  ];
  return {
    tasks: [
      cleanupTask(cleanupSteps),
      deliverMailTask(services.db, services.mail),
      ...modules.flatMap((module) => module.tasks ?? []),
    ],
    crontab: [CLEANUP_CRONTAB, ...modules.flatMap((module) => module.crontab ?? [])].join('\n'),
  };
}
