// The numbers a creator checks first, for the dashboard's overview (the catalogue shows them; it
// is given this loader at composition): sales today and this month and the balances per
// currency, the latest sales and tips with the fans' words, and each item's sales.
import type { Executor } from '../../db/database.js';
import { balances } from '../ledger/index.js';
import { listSales } from './earnings.repository.js';
import { countItemSales, sumRecentSales } from './overview.repository.js';
import { buyerLabel, saleTitle } from './sales.service.js';

const LATEST = 5;

export interface OverviewNumbers {
  currencies: {
    currency: string;
    todaySales: number;
    todayRevenue: number;
    monthSales: number;
    monthRevenue: number;
    pending: number;
    available: number;
  }[];
  latest: {
    id: string;
    kind: 'item' | 'tip' | 'membership';
    title: string;
    buyer: string;
    amount: number;
    currency: string;
    message: string | null;
    createdAt: Date;
  }[];
  salesByItem: ReadonlyMap<string, number>;
}

export async function loadOverviewNumbers(
  db: Executor,
  creatorId: string,
  now = new Date(),
): Promise<OverviewNumbers> {
  const [recent, held, latest, salesByItem] = await Promise.all([
    sumRecentSales(db, creatorId, now),
    balances(db, creatorId),
    listSales(db, creatorId, LATEST, undefined),
    countItemSales(db, creatorId),
  ]);
  const codes = [
    ...new Set([...held.map((b) => b.currency.trim()), ...recent.map((r) => r.currency)]),
  ];
  return {
    currencies: codes.sort().map((currency) => {
      const sold = recent.find((r) => r.currency === currency);
      const balance = held.find((b) => b.currency.trim() === currency);
      return {
        currency,
        todaySales: sold?.today_sales ?? 0,
        todayRevenue: sold?.today_revenue ?? 0,
        monthSales: sold?.month_sales ?? 0,
        monthRevenue: sold?.month_revenue ?? 0,
        pending: balance?.pending ?? 0,
        available: balance?.available ?? 0,
      };
    }),
    latest: latest.map((sale) => ({
      id: sale.id,
      kind: sale.kind,
      title: saleTitle(sale),
      buyer: buyerLabel(sale),
      amount: sale.amount,
      currency: sale.currency,
      message: sale.message,
      createdAt: sale.created_at,
    })),
    salesByItem,
  };
}
