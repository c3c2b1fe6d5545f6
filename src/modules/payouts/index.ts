// The payouts module's public face: the payout queue's jobs and schedule, its API, the payout
// account (onboarding at the processor) and the daily reconciliation.
import type { Registry } from 'prom-client';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import type { AppModule } from '../../platform/module.js';
import type { PaymentProcessor } from '../payments/index.js';
import { payoutAccountApi } from './payout-account.api.js';
import { payoutAccountOperations } from './payout-account.openapi.js';
import { payoutAccountPages } from './payout-account.pages.js';
import { payoutsApi } from './payouts.api.js';
import { PAYOUTS_CRONTAB, payoutTasks } from './payouts.jobs.js';
import { payoutsOperations } from './payouts.openapi.js';
import { reconciliationApi, reconciliationOperations } from './reconcile.api.js';
import { RECONCILE_CRONTAB, reconcileTasks } from './reconcile.js';

export function createPayoutsModule(deps: {
  db: Db;
  config: Readonly<Config>;
  /** undefined when PAYMENTS names a processor that is not configured: no payouts run */
  processor: PaymentProcessor | undefined;
  /** where the reconciliation's gauges are registered (/metrics) */
  registry: Registry;
}): AppModule {
  const { db, config, processor } = deps;
  const account = { db, config, processor };
  const tasks: TaskDefinition[] = processor
    ? [
        ...payoutTasks({ db, processor }),
        ...reconcileTasks({ db, processor, registry: deps.registry }),
      ]
    : [];
  return {
    name: 'payouts',
    api: async (app) => {
      await payoutsApi(app, { db, processor });
      await reconciliationApi(app, { db });
      await payoutAccountApi(app, { deps: account });
    },
    routes: (app) => payoutAccountPages(app, { deps: account }),
    operations: [...payoutsOperations, ...reconciliationOperations, ...payoutAccountOperations],
    tasks,
    crontab: processor ? [PAYOUTS_CRONTAB, RECONCILE_CRONTAB] : [],
  };
}

export { reconcilePayouts } from './reconcile.js';
export { getPayoutAccount, type PayoutAccountDeps } from './payout-account.service.js';
export {
  DEFAULT_MINIMUM,
  schedulePayouts,
  sendPayout,
  type PayoutsDeps,
} from './payouts.service.js';
export { payoutAccountEventHandlers } from './payout-account.events.js';
