// Kysely only: what a creator earned, read from the ledger (sales, fees, refunds, disputes by
// kind and time), their payouts and their orders. Days and months are UTC calendar buckets.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { OrderStatus } from '../../db/schema.js';

export interface PeriodTotalsRow {
  currency: string;
  gross: number;
  fees: number;
  refunds: number;
  disputes: number;
}

/**
 * Money in and back out since `from`, per currency: sales (gross and the processor's fee),
 * refunds, and disputes net of disputes won (their fees included: the creator bears them).
 * Platform postings carry the creator they were made for, so one index serves all of it.
 */
export async function sumPeriod(
  db: Executor,
  creatorId: string,
  from: Date,
): Promise<PeriodTotalsRow[]> {
  const { rows } = await sql<PeriodTotalsRow>`
    select trim(p.currency) as currency,
      coalesce(sum(p.amount) filter (
        where t.kind = 'sale' and p.account = 'processor_clearing'), 0)::bigint as gross,
      coalesce(-sum(p.amount) filter (
        where t.kind = 'sale' and p.account = 'processor_fees'), 0)::bigint as fees,
      coalesce(-sum(p.amount) filter (
        where t.kind = 'refund' and p.account = 'processor_clearing'), 0)::bigint as refunds,
      coalesce(-sum(p.amount) filter (
        where t.kind in ('dispute', 'dispute_won')), 0)::bigint as disputes
    from ledger_postings p
    join ledger_transactions t on t.id = p.transaction_id
    where p.creator_id = ${creatorId}
      and p.account in ('processor_clearing', 'processor_fees')
      and t.kind in ('sale', 'refund', 'dispute', 'dispute_won')
      and t.occurred_at >= ${from}
    group by p.currency`.execute(db);
  return rows;
}

export interface BucketRow {
  currency: string;
  /** the bucket's first day, YYYY-MM-DD (UTC) */
  start: string;
  sales: number;
  revenue: number;
}

export interface SeriesQuery {
  unit: 'day' | 'month';
  /** buckets to return, oldest first, the last one holding `now` */
  count: number;
  now: Date;
  currencies: readonly string[];
}

/**
 * Sales (count and gross) per UTC day or month for each currency: every bucket is there, the
 * empty ones as zeros (generate_series, then a left join).
 */
export async function salesSeries(
  db: Executor,
  creatorId: string,
  q: SeriesQuery,
): Promise<BucketRow[]> {
  if (q.currencies.length === 0) return [];
  const step = q.unit === 'day' ? '1 day' : '1 month';
  const { rows } = await sql<BucketRow>`
    with buckets as (
      select gs as start
      from generate_series(
        date_trunc(${q.unit}, ${q.now}::timestamptz at time zone 'UTC')
          - (${q.count - 1}::int * ${step}::interval),
        date_trunc(${q.unit}, ${q.now}::timestamptz at time zone 'UTC'),
        ${step}::interval) as gs
    ),
    sales as (
      select t.occurred_at, p.amount, trim(p.currency) as currency
      from ledger_postings p
      join ledger_transactions t on t.id = p.transaction_id
      where p.creator_id = ${creatorId}
        and p.account = 'processor_clearing'
        and t.kind = 'sale'
        and t.occurred_at >= (select min(start) from buckets) at time zone 'UTC'
    )
    select c.currency, to_char(b.start, 'YYYY-MM-DD') as start,
      count(s.amount)::int as sales, coalesce(sum(s.amount), 0)::bigint as revenue
    from buckets b
    cross join unnest(${[...q.currencies]}::text[]) as c(currency)
    left join sales s on s.currency = c.currency
      and s.occurred_at >= b.start at time zone 'UTC'
      and s.occurred_at < (b.start + ${step}::interval) at time zone 'UTC'
    group by c.currency, b.start
    order by c.currency, b.start`.execute(db);
  return rows;
}

export interface PayoutRow {
  id: string;
  amount: number;
  currency: string;
  status: 'queued' | 'paid' | 'failed';
  failure_reason: string | null;
  created_at: Date;
  settled_at: Date | null;
}

export async function listPayouts(
  db: Executor,
  creatorId: string,
  limit: number,
): Promise<PayoutRow[]> {
  const rows = await db
    .selectFrom('payouts')
    .select(['id', 'amount', 'currency', 'status', 'failure_reason', 'created_at', 'settled_at'])
    .where('creator_id', '=', creatorId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, currency: row.currency.trim() }));
}

export interface SaleRow {
  id: string;
  kind: 'item' | 'tip' | 'membership';
  item_title: string | null;
  buyer_handle: string | null;
  buyer_email: string | null;
  amount: number;
  refunded_amount: number;
  currency: string;
  status: OrderStatus;
  /** a tip's words from the fan */
  message: string | null;
  /** the processor took the money: a refund can go back through it */
  refundable_payment: boolean;
  created_at: Date;
}

export interface SalesKeyset {
  createdAt: Date;
  id: string;
}

function selectSales(db: Executor, creatorId: string) {
  return (
    db
      .selectFrom('orders as o')
      .leftJoin('items as i', 'i.id', 'o.item_id')
      .leftJoin('users as u', 'u.id', 'o.buyer_id')
      .select([
        'o.id',
        'o.kind',
        'i.title as item_title',
        'u.handle as buyer_handle',
        'o.buyer_email',
        'o.amount',
        'o.refunded_amount',
        'o.currency',
        'o.status',
        'o.message',
        sql<boolean>`o.processor_payment_id is not null`.as('refundable_payment'),
        'o.created_at',
      ])
      .where('o.creator_id', '=', creatorId)
      // abandoned and declined checkouts are not sales
      .where('o.paid_at', 'is not', null)
  );
}

/** The creator's sales, newest first, after the keyset when given. */
export async function listSales(
  db: Executor,
  creatorId: string,
  limit: number,
  after: SalesKeyset | undefined,
): Promise<SaleRow[]> {
  let query = selectSales(db, creatorId);
  if (after)
    query = query.where(
      sql<boolean>`(o.created_at, o.id) < (${after.createdAt}, ${after.id}::uuid)`,
    );
  const rows = await query
    .orderBy('o.created_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, currency: row.currency.trim() }));
}

/** One of the creator's sales; undefined for anyone else's order. */
export async function findSale(
  db: Executor,
  creatorId: string,
  orderId: string,
): Promise<SaleRow | undefined> {
  const row = await selectSales(db, creatorId).where('o.id', '=', orderId).executeTakeFirst();
  return row && { ...row, currency: row.currency.trim() };
}
