// The payout queue's jobs: releasing held money (hourly), scheduling payouts (weekly, Mondays
// 06:00 UTC) and sending each payout (one job per payout, keyed by it, retried with backoff).
import { z } from 'zod';
import { defineJob } from '../../platform/jobs/job.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import { releaseDue } from '../ledger/index.js';
import { schedulePayouts, sendPayout, sendPayoutJob, type PayoutsDeps } from './payouts.service.js';

export const releaseDueJob = defineJob('payouts:release_due', z.looseObject({}));
export const schedulePayoutsJob = defineJob('payouts:schedule', z.looseObject({}));

/** graphile-worker crontab lines */
export const PAYOUTS_CRONTAB = [
  releaseDueJob.cron('17 * * * *'),
  schedulePayoutsJob.cron('0 6 * * 1'),
].join('\n');

export function payoutTasks(deps: PayoutsDeps): TaskDefinition[] {
  return [
    releaseDueJob.task(async () => {
      await releaseDue(deps.db, new Date());
    }),
    schedulePayoutsJob.task(async () => {
      // money held long enough becomes available first, so this run pays it out
      await releaseDue(deps.db, new Date());
      await schedulePayouts(deps);
    }),
    sendPayoutJob.task(({ payoutId }) => sendPayout(deps, payoutId)),
  ] as TaskDefinition[];
}
