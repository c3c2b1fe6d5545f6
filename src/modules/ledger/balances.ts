// Balances are derived from postings, never stored.
import type { Executor } from '../../db/database.js';
import { sumAllAccounts, sumCreatorAccounts, type AccountTotal } from './ledger.repository.js';

export interface CreatorBalance {
  currency: string;
  /** earned, still on hold */
  pending: number;
  /** may be paid out */
  available: number;
  /** reserved for payouts being sent */
  in_transit: number;
  /** paid to the creator, all time */
  paid_out: number;
  /** owed by the creator after refunds or disputes their balance could not cover */
  debt: number;
}

export async function balances(db: Executor, creatorId: string): Promise<CreatorBalance[]> {
  const byCurrency = new Map<string, CreatorBalance>();
  for (const row of await sumCreatorAccounts(db, creatorId)) {
    const balance = byCurrency.get(row.currency) ?? {
      currency: row.currency,
      pending: 0,
      available: 0,
      in_transit: 0,
      paid_out: 0,
      debt: 0,
    };
    if (row.bucket === 'pending') balance.pending -= row.total;
    else if (row.bucket === 'available') balance.available -= row.total;
    else if (row.bucket === 'in_transit') {
      balance.in_transit -= row.total;
      if (row.paid) balance.paid_out += row.total;
    } else if (row.bucket === 'debt') balance.debt += row.total;
    byCurrency.set(row.currency, balance);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** Every account's raw sum (debits positive) per currency, for reconciliation and checks. */
export async function totalsByAccount(db: Executor): Promise<AccountTotal[]> {
  return sumAllAccounts(db);
}
