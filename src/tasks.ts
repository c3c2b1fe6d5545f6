// Every job the worker runs, and the cron schedule. Modules add their tasks here.
import { createContentAccess } from './content-access.js';
import { createAccountsModule } from './modules/accounts/index.js';
import { createCatalogModule } from './modules/catalog/index.js';
import { createMediaModule } from './modules/media/index.js';
import { paymentParticipants } from './payment-participants.js';
import { membershipTasks } from './modules/memberships/index.js';
import { createPaymentsModule } from './modules/payments/index.js';
import {
  PAYOUTS_CRONTAB,
  payoutTasks,
  RECONCILE_CRONTAB,
  reconcileTasks,
} from './modules/payouts/index.js';
import { FOLD_SALES_CRONTAB, foldSalesTask } from './modules/search/index.js';
import { uploadReader, uploadsCleanupStep } from './modules/uploads/index.js';
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
import type { Runtime } from './platform/runtime.js';

export function appTasks(services: Omit<Runtime, 'jobs' | 'close'>): {
  tasks: TaskDefinition[];
  crontab: string;
} {
  const accounts = createAccountsModule(services.db, services.config);
  const catalog = createCatalogModule(services.db, services.config, {
    store: services.storage,
    access: createContentAccess(),
  });
  const media = createMediaModule(
    {
      db: services.db,
      store: services.storage,
      tempDir: services.tempDir,
      uploads: uploadReader(services.db, services.storage),
    },
    { tools: { ffmpeg: services.config.ffmpegPath, ffprobe: services.config.ffprobePath } },
  );
  // The worker applies payment events: the same participants as the app's.
  const { onOrderPaid, onOrderReversed, eventHandlers, purchaseFacts } = paymentParticipants(
    services.db,
    services.config,
  );
  const payments = createPaymentsModule(services.db, services.config, {
    log: services.log,
    onOrderPaid,
    onOrderReversed,
    eventHandlers,
    purchaseFacts,
  });
  const memberships = membershipTasks(services.db, payments.processor);
  const cleanupSteps = [
    tempDirStep(services.tempDir),
    tempObjectsStep(services.storage),
    staleHeartbeatsStep(services.db),
    oldMailStep(services.db),
    expiredIdempotencyKeysStep(services.db),
    ...accounts.cleanupSteps,
    ...catalog.cleanupSteps,
    ...media.cleanupSteps,
    uploadsCleanupStep(services.db, services.storage),
  ];
  return {
    tasks: [
      cleanupTask(cleanupSteps),
      deliverMailTask(services.db, services.mail),
      foldSalesTask(services.db),
      ...accounts.tasks,
      ...media.tasks,
      ...payments.tasks,
      ...memberships.tasks,
      ...(payments.processor
        ? payoutTasks({ db: services.db, processor: payments.processor })
        : []),
      ...(payments.processor
        ? reconcileTasks({
            db: services.db,
            processor: payments.processor,
            registry: services.metrics.registry,
          })
        : []),
    ],
    crontab: [
      CLEANUP_CRONTAB,
      FOLD_SALES_CRONTAB,
      ...(payments.processor ? [PAYOUTS_CRONTAB, RECONCILE_CRONTAB] : []),
      ...payments.crontab,
      ...memberships.crontab,
    ].join('\n'),
  };
}
