// The local processor's own records (Kysely only): checkout sessions, refunds, transfers.
import type { Insertable } from 'kysely';
import type { Executor } from '../../../db/database.js';
import type { LocalCheckoutSessionsTable, LocalTransfersTable } from '../../../db/schema.js';

export async function insertLocalSession(
  db: Executor,
  row: Insertable<LocalCheckoutSessionsTable>,
): Promise<void> {
  await db.insertInto('local_checkout_sessions').values(row).execute();
}

export async function findLocalSession(db: Executor, id: string) {
  return db
    .selectFrom('local_checkout_sessions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
}

/** What the local processor charged for a payment (a completed session's payment id). */
export async function findLocalPaymentAmount(
  db: Executor,
  paymentId: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('local_checkout_sessions')
    .select('amount')
    .where('payment_id', '=', paymentId)
    .executeTakeFirst();
  return row?.amount;
}

export async function lockLocalSession(db: Executor, id: string) {
  return db
    .selectFrom('local_checkout_sessions')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function completeLocalSessionRow(
  db: Executor,
  id: string,
  outcome: 'succeeded' | 'declined',
  paymentId: string,
): Promise<void> {
  await db
    .updateTable('local_checkout_sessions')
    .set({ outcome, payment_id: paymentId, completed_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Inserts unless the key exists, then answers the id stored under the key. */
export async function recordLocalTransfer(
  db: Executor,
  row: Insertable<LocalTransfersTable>,
): Promise<string> {
  await db
    .insertInto('local_transfers')
    .values(row)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  const stored = await db
    .selectFrom('local_transfers')
    .select('id')
    .where('idempotency_key', '=', row.idempotency_key)
    .executeTakeFirstOrThrow();
  return stored.id;
}

export async function listLocalTransfers(db: Executor, since: Date) {
  return db
    .selectFrom('local_transfers')
    .select(['id', 'idempotency_key', 'amount', 'currency'])
    .where('created_at', '>=', since)
    .orderBy('created_at')
    .execute();
}
