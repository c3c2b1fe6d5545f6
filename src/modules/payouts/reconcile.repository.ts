// What reconciliation reads (our payouts and the ledger's payout transactions) and the reports it
// writes (Kysely only). Reading the ledger's table here, not through its module, is deliberate:
// reconciliation checks the ledger's records as they are, not as its functions present them.
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import type { Difference } from './reconcile.rules.js';
import './payouts.tables.js';
import './reconcile.tables.js';

export interface PayoutRecord {
  id: string;
  status: 'queued' | 'paid' | 'failed';
  amount: number;
  currency: string;
  idempotency_key: string;
  transfer_id: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Payouts made in the window, and any older payout one of the transfers names. */
export async function listPayoutsToCheck(
  db: Executor,
  since: Date,
  transferKeys: readonly string[],
): Promise<PayoutRecord[]> {
  const rows = await db
    .selectFrom('payouts')
    .select([
      'id',
      'status',
      'amount',
      'currency',
      'idempotency_key',
      'transfer_id',
      'created_at',
      'updated_at',
    ])
    .where((eb) =>
      transferKeys.length === 0
        ? eb('created_at', '>=', since)
        : eb.or([eb('created_at', '>=', since), eb('idempotency_key', 'in', transferKeys)]),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, currency: row.currency.trim() }));
}

export interface LedgerPayoutRecord {
  payout_id: string;
  kind: 'payout_reserve' | 'payout_paid' | 'payout_failed';
  amount: number | null;
  currency: string | null;
}

/** The payout transactions of these payouts, with the amount their creator postings moved. */
export async function listLedgerPayouts(
  db: Executor,
  payoutIds: readonly string[],
): Promise<LedgerPayoutRecord[]> {
  if (payoutIds.length === 0) return [];
  const { rows } = await sql<LedgerPayoutRecord>`
    select t.payout_id, t.kind,
           max(abs(p.amount))::bigint as amount, min(p.currency) as currency
      from ledger_transactions t
      left join ledger_postings p
        on p.transaction_id = t.id and p.account like '%:in_transit'
     where t.payout_id in (${sql.join(payoutIds)})
       and t.kind in ('payout_reserve', 'payout_paid', 'payout_failed')
     group by t.id, t.payout_id, t.kind`.execute(db);
  return rows.map((row) => ({ ...row, currency: row.currency?.trim() ?? null }));
}

export async function insertRunningReport(
  db: Db,
  values: { processor: 'local' | 'stripe'; window_start: Date; window_end: Date },
): Promise<string> {
  const row = await db
    .insertInto('reconciliation_reports')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishReport(
  db: Db,
  id: string,
  result: { transfers: number; payouts: number; differences: Difference[] },
): Promise<void> {
  await db
    .updateTable('reconciliation_reports')
    .set({
      status: result.differences.length === 0 ? 'clean' : 'differences',
      finished_at: new Date(),
      transfers_checked: result.transfers,
      payouts_checked: result.payouts,
      difference_count: result.differences.length,
      differences: JSON.stringify(result.differences),
    })
    .where('id', '=', id)
    .execute();
}

export async function failReport(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('reconciliation_reports')
    .set({ status: 'failed', finished_at: new Date(), error: error.slice(0, 1000) })
    .where('id', '=', id)
    .execute();
}

export async function listReports(db: Executor, limit: number) {
  return db
    .selectFrom('reconciliation_reports')
    .selectAll()
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
