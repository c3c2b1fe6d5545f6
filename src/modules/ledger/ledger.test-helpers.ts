// Shared by the ledger's tests: creators as plain users rows, and the ledger's invariants
// checked straight from the tables.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { balances, type CreatorBalance } from './balances.js';
import { recordSale, releaseDue, type SaleInput } from './operations.js';

export async function insertCreator(db: Db): Promise<string> {
  const handle = `led${randomBytes(5).toString('hex')}`;
  const row = await db
    .insertInto('users')
    .values({
      email: `${handle}@example.com`,
      handle,
      display_name: handle,
      is_creator: true,
      creator_tier: 'basic',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const newId = (): string => randomUUID();

/**
 * Postings sum to zero per currency, every transaction balances per currency, and no creator's
 * pending, available or in-transit balance (nor debt) is negative.
 */
export async function assertLedgerInvariants(db: Executor): Promise<void> {
  const totals = await sql<{ currency: string; total: string }>`
    select currency, sum(amount) as total from ledger_postings
    group by currency having sum(amount) <> 0`.execute(db);
  assert.deepEqual(totals.rows, [], 'postings sum to zero per currency');
  const unbalanced = await sql<{ transaction_id: string }>`
    select transaction_id from ledger_postings
    group by transaction_id, currency having sum(amount) <> 0`.execute(db);
  assert.deepEqual(unbalanced.rows, [], 'every transaction balances');
  const negative = await sql<{ account: string; currency: string; total: string }>`
    select account, currency, sum(amount) as total from ledger_postings
    where account like 'creator:%'
    group by account, currency
    having (account like '%:debt' and sum(amount) < 0)
        or (account not like '%:debt' and sum(amount) > 0)`.execute(db);
  assert.deepEqual(negative.rows, [], 'no creator balance is negative');
}

/** Counts of the ledger's rows: replaying events must leave them unchanged. */
export async function ledgerSize(
  db: Executor,
): Promise<{ transactions: number; postings: number }> {
  const row = await sql<{ transactions: number; postings: number }>`
    select (select count(*) from ledger_transactions)::int as transactions,
           (select count(*) from ledger_postings)::int as postings`.execute(db);
  const first = row.rows[0];
  assert.ok(first);
  return first;
}

export const T0 = new Date('2026-01-01T00:00:00Z');
export const daysAfterT0 = (days: number): Date => new Date(T0.getTime() + days * 86_400_000);

export const rejectsWith =
  (code: string) =>
  (error: unknown): boolean => {
    assert.equal((error as { code?: string }).code, code);
    return true;
  };

/** A sale of 10.00 EUR with a 0.59 fee on T0, held 7 days, unless told otherwise. */
export async function sellOnT0(
  db: Db,
  creatorId: string,
  over: Partial<SaleInput> = {},
): Promise<string> {
  const orderId = over.orderId ?? newId();
  await db.transaction().execute((trx) =>
    recordSale(trx, {
      eventKey: `evt_${orderId}`,
      orderId,
      creatorId,
      gross: 1000,
      fee: 59,
      currency: 'EUR',
      holdDays: 7,
      occurredAt: T0,
      ...over,
    }),
  );
  return orderId;
}

/**
 * Money a creator can be paid out now: a USD sale of `gross` (less `fee`) held the usual 7 days,
 * then released as if those days had passed.
 */
export async function availableNow(db: Db, creatorId: string, gross: number, fee = 0) {
  await db.transaction().execute((trx) =>
    recordSale(trx, {
      eventKey: `evt_${randomUUID()}`,
      orderId: randomUUID(),
      creatorId,
      gross,
      fee,
      currency: 'USD',
      holdDays: 7,
    }),
  );
  await releaseDue(db, new Date(Date.now() + 8 * 86_400_000));
}

/** A creator's balance in one currency, zeros when they have none. */
export async function balanceIn(
  db: Db,
  creatorId: string,
  currency: string,
): Promise<CreatorBalance> {
  const found = (await balances(db, creatorId)).find((b) => b.currency === currency);
  return found ?? { currency, pending: 0, available: 0, in_transit: 0, paid_out: 0, debt: 0 };
}
