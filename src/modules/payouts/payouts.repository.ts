// The payouts module's reads and writes (Kysely only): payout accounts, payouts through their
// states (queued → paid or failed), and the few facts of a creator they need.
import type { Executor } from '../../db/database.js';
import type { PayoutAccountsTable } from './payouts.tables.js';
import './payouts.tables.js';

/** Ready accounts at this processor of creators still active: whom a payout run may pay. */
export async function listPayableAccounts(
  db: Executor,
  processor: PayoutAccountsTable['processor'],
) {
  return (
    db
      .selectFrom('payout_accounts')
      .innerJoin('users', 'users.id', 'payout_accounts.creator_id')
      .select(['payout_accounts.creator_id', 'payout_accounts.destination'])
      .where('payout_accounts.processor', '=', processor)
      // an account whose onboarding is unfinished would only refuse the transfer
      .where('payout_accounts.ready', '=', true)
      .where('users.status', '=', 'active')
      .execute()
  );
}

export async function insertPayout(
  db: Executor,
  payout: {
    id: string;
    creator_id: string;
    amount: number;
    currency: string;
    destination: string;
    idempotency_key: string;
  },
): Promise<void> {
  await db.insertInto('payouts').values(payout).execute();
}

export async function findPayout(db: Executor, id: string) {
  return db.selectFrom('payouts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A creator's latest payouts, newest first. */
export async function listCreatorPayouts(db: Executor, creatorId: string, limit: number) {
  return db
    .selectFrom('payouts')
    .selectAll()
    .where('creator_id', '=', creatorId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Marks a queued payout paid with its transfer; undefined when it was not queued any more. */
export async function markPayoutPaid(db: Executor, id: string, transferId: string) {
  return db
    .updateTable('payouts')
    .set({
      status: 'paid',
      transfer_id: transferId,
      settled_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returning('id')
    .executeTakeFirst();
}

/** Marks a queued payout failed with the reason; undefined when it was not queued any more. */
export async function markPayoutFailed(db: Executor, id: string, reason: string) {
  return db
    .updateTable('payouts')
    .set({
      status: 'failed',
      failure_reason: reason,
      settled_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returning(['creator_id', 'amount', 'currency'])
    .executeTakeFirst();
}

/** Where and how to write to a creator about their payouts. */
export async function findCreatorContact(db: Executor, creatorId: string) {
  return db
    .selectFrom('users')
    .select(['email', 'display_name'])
    .where('id', '=', creatorId)
    .executeTakeFirstOrThrow();
}

/** The currency the creator sells in, in which the page states the payout minimum. */
export async function findCreatorCurrency(db: Executor, creatorId: string): Promise<string> {
  const row = await db
    .selectFrom('users')
    .select('currency')
    .where('id', '=', creatorId)
    .executeTakeFirstOrThrow();
  return row.currency.trim();
}

export async function findPayoutAccount(db: Executor, creatorId: string) {
  return db
    .selectFrom('payout_accounts')
    .select(['processor', 'destination', 'ready'])
    .where('creator_id', '=', creatorId)
    .executeTakeFirst();
}

/** The creator's one payout account, made or replaced. */
export async function upsertPayoutAccount(
  db: Executor,
  account: {
    creator_id: string;
    processor: PayoutAccountsTable['processor'];
    destination: string;
    ready: boolean;
  },
): Promise<void> {
  const { processor, destination, ready } = account;
  await db
    .insertInto('payout_accounts')
    .values(account)
    .onConflict((oc) =>
      oc
        .column('creator_id')
        .doUpdateSet({ processor, destination, ready, updated_at: new Date() }),
    )
    .execute();
}

/** What the processor said of the creator's account, if it is still this destination. */
export async function setPayoutAccountReady(
  db: Executor,
  creatorId: string,
  destination: string,
  ready: boolean,
): Promise<void> {
  await db
    .updateTable('payout_accounts')
    .set({ ready, checked_at: new Date(), updated_at: new Date() })
    .where('creator_id', '=', creatorId)
    .where('destination', '=', destination)
    .execute();
}

/** What the processor said of one of its accounts, whoever's it is. */
export async function setProcessorAccountReady(
  db: Executor,
  processor: PayoutAccountsTable['processor'],
  destination: string,
  ready: boolean,
): Promise<void> {
  await db
    .updateTable('payout_accounts')
    .set({ ready, checked_at: new Date(), updated_at: new Date() })
    .where('destination', '=', destination)
    .where('processor', '=', processor)
    .execute();
}
