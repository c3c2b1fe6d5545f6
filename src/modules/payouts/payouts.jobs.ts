// The payout queue's jobs: releasing held money (hourly), scheduling payouts (weekly, Mondays
// 06:00 UTC) and sending each payout (one job per payout, keyed by it, retried with backoff).
import { z } from 'zod';
import { defineTask, type TaskDefinition } from '../../platform/jobs/task.js';
import { releaseDue } from '../ledger/index.js';
import {
  schedulePayouts,
  sendPayout,
  SEND_PAYOUT_TASK,
  type PayoutsDeps,
} from './payouts.service.js';

export const RELEASE_TASK = 'payouts:release_due';
export const SCHEDULE_TASK = 'payouts:schedule';

/** graphile-worker crontab lines */
export const PAYOUTS_CRONTAB = [`17 * * * * ${RELEASE_TASK}`, `0 6 * * 1 ${SCHEDULE_TASK}`].join(
  '\n',
);

export function payoutTasks(deps: PayoutsDeps): TaskDefinition[] {
  return [
    defineTask({
      name: RELEASE_TASK,
      payload: z.looseObject({}),
      run: async () => {
        await releaseDue(deps.db, new Date());
      },
    }),
    defineTask({
      name: SCHEDULE_TASK,
      payload: z.looseObject({}),
      run: async () => {
        // money held long enough becomes available first, so this run pays it out
        await releaseDue(deps.db, new Date());
        await schedulePayouts(deps);
      },
    }),
    defineTask({
      name: SEND_PAYOUT_TASK,
      payload: z.object({ payoutId: z.uuid() }),
      run: ({ payoutId }) => sendPayout(deps, payoutId),
    }),
  ] as TaskDefinition[];
}
