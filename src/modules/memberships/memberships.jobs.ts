// The local processor's renewals: hourly, every local subscription whose paid period is over is
// charged for the next one (or ended), as a real processor does on its own schedule.
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { defineTask, type TaskDefinition } from '../../platform/jobs/task.js';
import { renewDueLocalSubscriptions } from '../payments/index.js';

export const RENEW_LOCAL_TASK = 'memberships:renew_local';

/** graphile-worker crontab line (only with the local processor) */
export const MEMBERSHIPS_CRONTAB = `41 * * * * ${RENEW_LOCAL_TASK}`;

export function renewLocalTask(db: Db): TaskDefinition {
  return defineTask({
    name: RENEW_LOCAL_TASK,
    payload: z.looseObject({}),
    run: async (_payload, context) => {
      const renewed = await renewDueLocalSubscriptions(db);
      if (renewed > 0) context.log.info({ renewed }, 'local subscriptions renewed');
    },
  });
}
