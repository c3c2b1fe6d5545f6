// The payouts module's public face: the payout queue's jobs and schedule, and its API.
export { payoutsApi } from './payouts.api.js';
export { PAYOUTS_CRONTAB, payoutTasks } from './payouts.jobs.js';
export { payoutsOperations } from './payouts.openapi.js';
export { reconciliationApi, reconciliationOperations } from './reconcile.api.js';
export { RECONCILE_CRONTAB, reconcilePayouts, reconcileTasks } from './reconcile.js';
export { payoutAccountApi } from './payout-account.api.js';
export { payoutAccountOperations } from './payout-account.openapi.js';
export { payoutAccountPages } from './payout-account.pages.js';
export {
  DEFAULT_MINIMUM,
  schedulePayouts,
  sendPayout,
  type PayoutsDeps,
} from './payouts.service.js';
