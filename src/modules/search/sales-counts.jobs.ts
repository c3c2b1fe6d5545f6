// Sales counts for search ranking: a paid order inserts a delta (migration 0020), this job folds
// the deltas into items.sales_count every minute. Ranking adds the deltas not folded yet, so how
// often this runs only decides how small item_sales_pending stays.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';

export const foldSalesJob = defineJob('search:fold_sales', z.looseObject({}));
export const FOLD_SALES_CRONTAB = foldSalesJob.cron('* * * * *', '?max=1&jobKey=search_fold_sales');

/** Folds the pending sales deltas into the items; returns how many items changed. */
export async function foldItemSales(db: Executor): Promise<number> {
  const { rows } = await sql<{ n: number }>`select fold_item_sales() as n`.execute(db);
  return rows[0]?.n ?? 0;
}

export function foldSalesTask(db: Executor) {
  return foldSalesJob.task(async (_payload, context) => {
    const changed = await foldItemSales(db);
    if (changed > 0) context.log.debug({ changed }, 'sales counts folded');
  });
}
