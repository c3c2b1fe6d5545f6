// Sales counts for search ranking: a paid order inserts a delta (migration 0020), this job folds
// the deltas into items.sales_count every minute. Ranking adds the deltas not folded yet, so how
// often this runs only decides how small item_sales_pending stays.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../../db/database.js';
import { defineTask } from '../../platform/jobs/task.js';

export const FOLD_SALES_TASK = 'search:fold_sales';
export const FOLD_SALES_CRONTAB = `* * * * * ${FOLD_SALES_TASK} ?max=1&jobKey=search_fold_sales`;

/** Folds the pending sales deltas into the items; returns how many items changed. */
export async function foldItemSales(db: Executor): Promise<number> {
  const { rows } = await sql<{ n: number }>`select fold_item_sales() as n`.execute(db);
  return rows[0]?.n ?? 0;
}

export function foldSalesTask(db: Executor) {
  return defineTask({
    name: FOLD_SALES_TASK,
    payload: z.looseObject({}),
    run: async (_payload, context) => {
      const changed = await foldItemSales(db);
      if (changed > 0) context.log.debug({ changed }, 'sales counts folded');
    },
  });
}
