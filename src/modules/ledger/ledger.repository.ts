// Kysely only: the ledger's tables, read and appended to.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { LedgerKind } from '../../db/schema.js';

export interface PostingRow {
  account: string;
  amount: number;
  currency: string;
  creator_id: string | null;
  release_at: Date | null;
}

export interface TransactionRow {
  id: string;
  kind: LedgerKind;
  order_id: string | null;
  payout_id: string | null;
  metadata: Record<string, unknown>;
}

export interface NewTransaction {
  key: string;
  kind: LedgerKind;
  orderId: string | null;
  payoutId: string | null;
  occurredAt: Date | undefined;
  metadata: Record<string, unknown>;
}

/** The new transaction's id, or null when the key is taken (the other one committed first). */
export async function insertTransaction(db: Executor, t: NewTransaction): Promise<string | null> {
  const row = await db
    .insertInto('ledger_transactions')
    .values({
      idempotency_key: t.key,
      kind: t.kind,
      order_id: t.orderId,
      payout_id: t.payoutId,
      ...(t.occurredAt && { occurred_at: t.occurredAt }),
      metadata: JSON.stringify(t.metadata),
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * Several transactions with one statement: the id of each new one by its key; a key that is
 * taken already (posted before, or by a transaction that committed meanwhile) is left out.
 */
export async function insertTransactions(
  db: Executor,
  transactions: readonly NewTransaction[],
): Promise<Map<string, string>> {
  if (transactions.length === 0) return new Map();
  const rows = await db
    .insertInto('ledger_transactions')
    .values(
      transactions.map((t) => ({
        idempotency_key: t.key,
        kind: t.kind,
        order_id: t.orderId,
        payout_id: t.payoutId,
        // every row names the same columns: a default is spelled out where not given
        occurred_at: t.occurredAt ?? sql<Date>`now()`,
        metadata: JSON.stringify(t.metadata),
      })),
    )
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(['id', 'idempotency_key'])
    .execute();
  return new Map(rows.map((r) => [r.idempotency_key, r.id]));
}

/** The postings of several transactions with one statement. */
export async function insertPostingsOfMany(
  db: Executor,
  postings: readonly (PostingRow & { transaction_id: string })[],
): Promise<void> {
  if (postings.length === 0) return;
  await db
    .insertInto('ledger_postings')
    .values([...postings])
    .execute();
}

export async function insertPostings(
  db: Executor,
  transactionId: string,
  postings: PostingRow[],
): Promise<void> {
  if (postings.length === 0) return;
  await db
    .insertInto('ledger_postings')
    .values(postings.map((p) => ({ transaction_id: transactionId, ...p })))
    .execute();
}

export async function findTransactionByKey(
  db: Executor,
  key: string,
): Promise<TransactionRow | undefined> {
  return db
    .selectFrom('ledger_transactions')
    .select(['id', 'kind', 'order_id', 'payout_id', 'metadata'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function listPostings(db: Executor, transactionId: string): Promise<PostingRow[]> {
  return db
    .selectFrom('ledger_postings')
    .select(['account', 'amount', 'currency', 'creator_id', 'release_at'])
    .where('transaction_id', '=', transactionId)
    .orderBy('id')
    .execute();
}

/**
 * Serialises every change to one creator's money in one currency until the caller's
 * transaction ends; balances read after it are stable.
 */
export async function lockCreatorCurrency(
  db: Executor,
  creatorId: string,
  currency: string,
): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('ledger:' || ${creatorId}), hashtext(${currency}))`.execute(
    db,
  );
}

/** The raw sum of an account's postings in a currency (0 when it has none). */
export async function sumAccount(db: Executor, account: string, currency: string): Promise<number> {
  const row = await db
    .selectFrom('ledger_postings')
    .select(sql<string>`coalesce(sum(amount), 0)`.as('total'))
    .where('account', '=', account)
    .where('currency', '=', currency)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

/** The raw sum of an account's postings made for one order. */
export async function sumAccountForOrder(
  db: Executor,
  account: string,
  orderId: string,
): Promise<number> {
  const row = await db
    .selectFrom('ledger_postings as p')
    .innerJoin('ledger_transactions as t', 't.id', 'p.transaction_id')
    .select(sql<string>`coalesce(sum(p.amount), 0)`.as('total'))
    .where('p.account', '=', account)
    .where('t.order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export interface DueSale {
  orderId: string;
  creatorId: string;
  currency: string;
}

/** Sales whose hold has ended and that have not been released yet, oldest first. */
export async function listDueSales(db: Executor, now: Date, limit: number): Promise<DueSale[]> {
  const rows = await db
    .selectFrom('ledger_transactions as t')
    .innerJoin('ledger_postings as p', 'p.transaction_id', 't.id')
    .select(['t.order_id', 'p.creator_id', 'p.currency', 'p.release_at'])
    .where('t.kind', '=', 'sale')
    .where('p.account', '=', 'processor_clearing')
    .where('p.release_at', 'is not', null)
    .where('p.release_at', '<=', now)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('ledger_transactions as r')
            .select('r.id')
            .where('r.kind', '=', 'release')
            .whereRef('r.order_id', '=', 't.order_id'),
        ),
      ),
    )
    .orderBy('p.release_at')
    .limit(limit)
    .execute();
  return rows.flatMap((r) =>
    r.order_id && r.creator_id
      ? [{ orderId: r.order_id, creatorId: r.creator_id, currency: r.currency }]
      : [],
  );
}

export interface CreatorSums {
  currency: string;
  bucket: string;
  /** postings of payouts that were paid (kind payout_paid) */
  paid: boolean;
  total: number;
}

/** Sums of a creator's accounts per currency and bucket, paid payouts apart. */
export async function sumCreatorAccounts(db: Executor, creatorId: string): Promise<CreatorSums[]> {
  const rows = await db
    .selectFrom('ledger_postings as p')
    .innerJoin('ledger_transactions as t', 't.id', 'p.transaction_id')
    .select([
      'p.currency',
      sql<string>`split_part(p.account, ':', 3)`.as('bucket'),
      sql<boolean>`t.kind = 'payout_paid'`.as('paid'),
      (eb) => eb.fn.sum<string>('p.amount').as('total'),
    ])
    .where('p.creator_id', '=', creatorId)
    .where('p.account', 'like', 'creator:%')
    .groupBy(['p.currency', 'bucket', 'paid'])
    .execute();
  return rows.map((r) => ({ ...r, total: Number(r.total) }));
}

export interface AccountTotal {
  account: string;
  currency: string;
  total: number;
}

export async function sumAllAccounts(db: Executor): Promise<AccountTotal[]> {
  const rows = await db
    .selectFrom('ledger_postings')
    .select(['account', 'currency', (eb) => eb.fn.sum<string>('amount').as('total')])
    .groupBy(['account', 'currency'])
    .orderBy('account')
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({ ...r, total: Number(r.total) }));
}
