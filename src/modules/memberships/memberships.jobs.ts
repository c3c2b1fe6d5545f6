// The local processor's renewals: hourly, every local subscription whose paid period is over is
// charged for the next one (or ended), as a real processor does on its own schedule.
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import { renewDueLocalSubscriptions } from '../payments/index.js';

export const renewLocalJob = defineJob('memberships:renew_local', z.looseObject({}));

/** graphile-worker crontab line (only with the local processor) */
export const MEMBERSHIPS_CRONTAB = renewLocalJob.cron('41 * * * *');

export function renewLocalTask(db: Db): TaskDefinition<Record<string, unknown>> {
  return renewLocalJob.task(async (_payload, context) => {
    const renewed = await renewDueLocalSubscriptions(db);
    if (renewed > 0) context.log.info({ renewed }, 'local subscriptions renewed');
  });
}
