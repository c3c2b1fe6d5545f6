// Query and answer shapes of the earnings and sales API (routes parse with these; OpenAPI shows
// them) and the periods the charts cover.
import { z } from 'zod';

export const PERIODS = {
  '7d': { unit: 'day', count: 7, label: 'Last 7 days', previous: 'the 7 days before' },
  '30d': { unit: 'day', count: 30, label: 'Last 30 days', previous: 'the 30 days before' },
  '12m': { unit: 'month', count: 12, label: 'Last 12 months', previous: 'the 12 months before' },
} as const;
export type PeriodName = keyof typeof PERIODS;
export const PERIOD_NAMES = Object.keys(PERIODS) as PeriodName[];

export const earningsQuerySchema = z.object({
  /** days: the last 7 or 30 UTC days, today included; months: the last 12, this one included */
  period: z.enum(['7d', '30d', '12m']).default('30d'),
});

const money = z.number().int();

export const bucketSchema = z.object({
  /** the bucket's first day (UTC), YYYY-MM-DD */
  start: z.string(),
  sales: z.number().int(),
  /** gross sales in minor units */
  revenue: money,
});

export const currencyEarningsSchema = z.object({
  currency: z.string(),
  /** what buyers paid in the period (minor units) */
  gross: money,
  /** what the processor kept of those sales */
  fees: money,
  /** refunded in the period */
  refunds: money,
  /** taken by disputes in the period (their fees included), less disputes won */
  disputes: money,
  /** gross − fees − refunds − disputes */
  net: money,
  /** balances now: earned but still on hold, payable, in a payout being sent, paid all time */
  pending: money,
  available: money,
  in_transit: money,
  paid_out: money,
  /** owed after refunds or disputes the balance could not cover */
  debt: money,
  series: z.array(bucketSchema),
  /** the period just before, of the same length: its totals and its buckets */
  previous: z.object({ sales: z.number().int(), revenue: money, series: z.array(bucketSchema) }),
});
export type CurrencyEarnings = z.infer<typeof currencyEarningsSchema>;

export const earningsSchema = z.object({
  period: z.enum(['7d', '30d', '12m']),
  currencies: z.array(currencyEarningsSchema),
});
export type EarningsJson = z.infer<typeof earningsSchema>;

export const salesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});

export const saleSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['item', 'tip', 'membership']),
  /** the item's title; "Tip" or "Membership" for those kinds */
  title: z.string(),
  /** @handle of a buyer with an account, else the guest's email, masked */
  buyer: z.string(),
  amount: money,
  refunded_amount: money,
  currency: z.string(),
  status: z.enum(['pending', 'paid', 'failed', 'refunded', 'partially_refunded', 'disputed']),
  /** whether the creator can still refund some of it */
  refundable: z.boolean(),
  /** the fan's words with a tip */
  message: z.string().nullable(),
  created_at: z.string(),
});
export type SaleJson = z.infer<typeof saleSchema>;

export const salesListSchema = z.object({
  items: z.array(saleSchema),
  next_cursor: z.string().nullable(),
});
export type SalesList = z.infer<typeof salesListSchema>;
