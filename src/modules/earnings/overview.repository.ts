// Kysely only: the few numbers the dashboard's overview opens with. Sales today and this month
// per currency (the ledger's sale postings, UTC calendar days and months, counted as the sales
// page's series counts them) and, per item, the paid orders that still stand.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

export interface RecentTotalsRow {
  currency: string;
  today_sales: number;
  today_revenue: number;
  month_sales: number;
  month_revenue: number;
}

export async function sumRecentSales(
  db: Executor,
  creatorId: string,
  now: Date,
): Promise<RecentTotalsRow[]> {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const { rows } = await sql<RecentTotalsRow>`
    select trim(p.currency) as currency,
      count(*) filter (where t.occurred_at >= ${today})::int as today_sales,
      coalesce(sum(p.amount) filter (where t.occurred_at >= ${today}), 0)::bigint as today_revenue,
      count(*)::int as month_sales,
      coalesce(sum(p.amount), 0)::bigint as month_revenue
    from ledger_postings p
    join ledger_transactions t on t.id = p.transaction_id
    where p.creator_id = ${creatorId}
      and p.account = 'processor_clearing'
      and t.kind = 'sale'
      and t.occurred_at >= ${month}
    group by trim(p.currency)`.execute(db);
  return rows;
}

/** item id → paid orders not refunded in full (a partial refund still leaves a sale). */
export async function countItemSales(
  db: Executor,
  creatorId: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('orders')
    .select(['item_id', (eb) => eb.fn.countAll<string>().as('sales')])
    .where('creator_id', '=', creatorId)
    .where('kind', '=', 'item')
    .where('paid_at', 'is not', null)
    .where('status', 'in', ['paid', 'partially_refunded'])
    .groupBy('item_id')
    .execute();
  const counts = new Map<string, number>();
  for (const row of rows) if (row.item_id !== null) counts.set(row.item_id, Number(row.sales));
  return counts;
}
