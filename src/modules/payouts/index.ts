// The payouts module's public face: the payout queue's jobs and schedule, and its API.
export { payoutsApi } from './payouts.api.js';
export { PAYOUTS_CRONTAB, payoutTasks, RELEASE_TASK, SCHEDULE_TASK } from './payouts.jobs.js';
export { payoutsOperations } from './payouts.openapi.js';
export {
  DEFAULT_MINIMUM,
  schedulePayouts,
  sendPayout,
  SEND_PAYOUT_TASK,
  type PayoutsDeps,
} from './payouts.service.js';
