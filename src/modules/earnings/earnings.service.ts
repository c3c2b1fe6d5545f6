// A creator's earnings: period totals and the sales series from the ledger, with the balances
// the ledger derives, per currency. Only the creator's own money is ever read.
import type { Executor } from '../../db/database.js';
import { balances, type CreatorBalance } from '../ledger/index.js';
import {
  listPayouts,
  salesSeries,
  sumPeriod,
  type BucketRow,
  type PayoutRow,
  type PeriodTotalsRow,
} from './earnings.repository.js';
import {
  PERIODS,
  type CurrencyEarnings,
  type EarningsJson,
  type PeriodName,
} from './earnings.schemas.js';

const ZERO_TOTALS = { gross: 0, fees: 0, refunds: 0, disputes: 0 };
const ZERO_BALANCE = { pending: 0, available: 0, in_transit: 0, paid_out: 0, debt: 0 };

/** The first instant of the period's oldest bucket (UTC). */
export function periodStart(period: PeriodName, now: Date): Date {
  const { unit, count } = PERIODS[period];
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return unit === 'day'
    ? new Date(Date.UTC(y, m, now.getUTCDate() - (count - 1)))
    : new Date(Date.UTC(y, m - (count - 1), 1));
}

const toBucket = ({ start, sales, revenue }: BucketRow) => ({ start, sales, revenue });

function currencyEarnings(
  currency: string,
  totals: PeriodTotalsRow | undefined,
  balance: CreatorBalance | undefined,
  buckets: BucketRow[],
  count: number,
): CurrencyEarnings {
  const { gross, fees, refunds, disputes } = totals ?? ZERO_TOTALS;
  const { pending, available, in_transit, paid_out, debt } = balance ?? ZERO_BALANCE;
  // The query returns the previous period's buckets first, then this period's.
  const previous = buckets.slice(0, -count);
  return {
    currency,
    gross,
    fees,
    refunds,
    disputes,
    net: gross - fees - refunds - disputes,
    pending,
    available,
    in_transit,
    paid_out,
    debt,
    series: buckets.slice(-count).map(toBucket),
    previous: {
      sales: previous.reduce((sum, b) => sum + b.sales, 0),
      revenue: previous.reduce((sum, b) => sum + b.revenue, 0),
      series: previous.map(toBucket),
    },
  };
}

export async function loadEarnings(
  db: Executor,
  creatorId: string,
  period: PeriodName,
  now = new Date(),
): Promise<EarningsJson> {
  const { unit, count } = PERIODS[period];
  const [totals, held] = await Promise.all([
    sumPeriod(db, creatorId, periodStart(period, now)),
    balances(db, creatorId),
  ]);
  const currencies = [
    ...new Set([...held.map((b) => b.currency), ...totals.map((t) => t.currency)]),
  ]
    .map((c) => c.trim())
    .sort();
  const buckets = await salesSeries(db, creatorId, { unit, count: count * 2, now, currencies });
  return {
    period,
    currencies: currencies.map((currency) =>
      currencyEarnings(
        currency,
        totals.find((t) => t.currency === currency),
        held.find((b) => b.currency.trim() === currency),
        buckets.filter((b) => b.currency === currency),
        count,
      ),
    ),
  };
}

export async function recentPayouts(db: Executor, creatorId: string): Promise<PayoutRow[]> {
  return listPayouts(db, creatorId, 50);
}

/** "+12%", "−5%", "no sales before" (nothing in the previous period to compare with). */
export function changeLabel(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? 'no sales in either period' : 'no sales before';
  const percent = Math.round(((current - previous) / previous) * 100);
  if (percent === 0) return '±0%';
  return percent > 0 ? `+${percent}%` : `−${Math.abs(percent)}%`;
}
