// The posting API: one balanced, idempotent ledger transaction inside the caller's database
// transaction. Business operations (operations.ts) build their entries on top of it.
import type { Trx } from '../../db/database.js';
import type { LedgerKind } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { isCurrency, normalSign, parseCreatorAccount } from './ledger.accounts.js';
import {
  findTransactionByKey,
  insertPostings,
  insertPostingsOfMany,
  insertTransaction,
  insertTransactions,
  listPostings,
  lockCreatorCurrency,
  sumAccount,
  type PostingRow,
} from './ledger.repository.js';

export interface LedgerEntry {
  account: string;
  /** minor units; positive = debit, negative = credit */
  amount: number;
  currency: string;
  /** who the posting concerns; required (and checked) for creator accounts */
  creatorId?: string | undefined;
  /** on a sale's pending credit: when the hold ends */
  releaseAt?: Date | undefined;
}

export interface PostTransactionInput {
  key: string;
  kind: LedgerKind;
  entries: LedgerEntry[];
  orderId?: string | undefined;
  payoutId?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
  occurredAt?: Date | undefined;
}

export interface PostedTransaction {
  id: string;
  /** false when the key was posted before: nothing new was written */
  created: boolean;
}

export const ledgerError = (code: string, message: string): AppError =>
  new AppError(code, 409, message);

function validate(entries: LedgerEntry[]): void {
  const totals = new Map<string, number>();
  for (const e of entries) {
    if (!Number.isSafeInteger(e.amount) || e.amount === 0)
      throw ledgerError('LEDGER_INVALID_AMOUNT', `Amount ${e.amount} is not a non-zero integer.`);
    if (!isCurrency(e.currency))
      throw ledgerError('LEDGER_INVALID_CURRENCY', `${e.currency} is not an ISO 4217 code.`);
    const owner = parseCreatorAccount(e.account);
    if (e.account.startsWith('creator:') && (!owner || owner.creatorId !== e.creatorId))
      throw ledgerError('LEDGER_INVALID_ACCOUNT', `${e.account} does not match its creator.`);
    totals.set(e.currency, (totals.get(e.currency) ?? 0) + e.amount);
  }
  for (const [currency, total] of totals)
    if (total !== 0)
      throw ledgerError('LEDGER_UNBALANCED', `The entries are ${total} ${currency} off balance.`);
}

const signature = (postings: { account: string; amount: number; currency: string }[]): string =>
  postings
    .map((p) => `${p.account} ${p.currency.trim()} ${p.amount}`)
    .sort()
    .join('\n');

interface CreatorDelta {
  account: string;
  creatorId: string;
  currency: string;
  delta: number;
  sign: 1 | -1;
}

/**
 * The creator balances (pending, available, in transit, debt) the entries lower. Only these
 * need the creator+currency lock and the balance check: entries that only raise balances can
 * never take one below zero, whatever else commits meanwhile (a concurrent check that does not
 * see them yet sees a lower balance, which errs on the safe side). So sales, the bulk of the
 * writes, never queue behind each other on a busy creator's lock.
 */
function loweredBalances(entries: LedgerEntry[]): CreatorDelta[] {
  const deltas = new Map<string, CreatorDelta>();
  for (const e of entries) {
    const owner = parseCreatorAccount(e.account);
    if (!owner) continue;
    const id = `${e.account} ${e.currency}`;
    const current = deltas.get(id) ?? {
      account: e.account,
      creatorId: owner.creatorId,
      currency: e.currency,
      delta: 0,
      sign: normalSign(owner.bucket),
    };
    current.delta += e.amount;
    deltas.set(id, current);
  }
  return [...deltas.values()].filter((d) => d.sign * d.delta < 0);
}

/**
 * Refuses entries that would take a creator's pending, available or in-transit balance (or
 * debt) below zero. Called under the creator+currency lock, so the balances cannot move
 * between this check and the insert.
 */
async function checkCreatorBalances(trx: Trx, lowered: CreatorDelta[]): Promise<void> {
  for (const { account, currency, delta, sign } of lowered) {
    const balance = sign * ((await sumAccount(trx, account, currency)) + delta);
    if (balance < 0)
      throw ledgerError(
        'LEDGER_INSUFFICIENT_BALANCE',
        `${account} would fall to ${balance} ${currency}; a creator balance never goes negative.`,
      );
  }
}

/** Takes the creator+currency locks of every creator the entries touch, in a fixed order. */
export async function lockCreators(
  trx: Trx,
  pairs: { creatorId: string; currency: string }[],
): Promise<void> {
  const keys = [...new Set(pairs.map((p) => `${p.creatorId} ${p.currency}`))].sort();
  for (const key of keys) {
    const [creatorId = '', currency = ''] = key.split(' ');
    await lockCreatorCurrency(trx, creatorId, currency);
  }
}

/**
 * Posts a balanced transaction once per key. A repeated key with the same kind and entries
 * returns the first transaction and writes nothing; with different ones it is an error, since
 * one business event cannot have two outcomes.
 */
export async function postTransaction(
  trx: Trx,
  input: PostTransactionInput,
): Promise<PostedTransaction> {
  validate(input.entries);
  const lowered = loweredBalances(input.entries);
  await lockCreators(trx, lowered);
  const existing = await findTransactionByKey(trx, input.key);
  if (existing) return sameOrConflict(trx, existing.id, existing.kind, input);
  await checkCreatorBalances(trx, lowered);
  const id = await insertTransaction(trx, {
    key: input.key,
    kind: input.kind,
    orderId: input.orderId ?? null,
    payoutId: input.payoutId ?? null,
    occurredAt: input.occurredAt,
    metadata: input.metadata ?? {},
  });
  if (id === null) {
    // Another transaction posted the key between our look-up and insert, and committed.
    const winner = await findTransactionByKey(trx, input.key);
    if (!winner) throw new Error(`ledger key ${input.key} vanished`);
    return sameOrConflict(trx, winner.id, winner.kind, input);
  }
  await insertPostings(trx, id, input.entries.map(toRow));
  return { id, created: true };
}

/**
 * Posts several balanced transactions, each once per key, as postTransaction would one after
 * the other, with two statements for all of them (their transactions, then their postings)
 * when none lowers a creator balance, as sales do not. Transactions that lower one need the
 * creator lock and the balance check in turn: those are posted one by one. Keys must differ.
 */
export async function postTransactions(
  trx: Trx,
  inputs: readonly PostTransactionInput[],
): Promise<PostedTransaction[]> {
  if (new Set(inputs.map((i) => i.key)).size !== inputs.length) {
    throw new Error('postTransactions: the same key twice');
  }
  for (const input of inputs) validate(input.entries);
  if (inputs.some((input) => loweredBalances(input.entries).length > 0)) {
    const posted: PostedTransaction[] = [];
    for (const input of inputs) posted.push(await postTransaction(trx, input));
    return posted;
  }
  const ids = await insertTransactions(
    trx,
    inputs.map((input) => ({
      key: input.key,
      kind: input.kind,
      orderId: input.orderId ?? null,
      payoutId: input.payoutId ?? null,
      occurredAt: input.occurredAt,
      metadata: input.metadata ?? {},
    })),
  );
  await insertPostingsOfMany(
    trx,
    inputs.flatMap((input) => {
      const id = ids.get(input.key);
      return id === undefined
        ? []
        : input.entries.map((e) => ({ transaction_id: id, ...toRow(e) }));
    }),
  );
  const posted: PostedTransaction[] = [];
  for (const input of inputs) {
    const id = ids.get(input.key);
    if (id !== undefined) {
      posted.push({ id, created: true });
      continue;
    }
    // posted before (a repeated event), or by a transaction that committed meanwhile
    const winner = await findTransactionByKey(trx, input.key);
    if (!winner) throw new Error(`ledger key ${input.key} vanished`);
    posted.push(await sameOrConflict(trx, winner.id, winner.kind, input));
  }
  return posted;
}

function toRow(e: LedgerEntry): PostingRow {
  return {
    account: e.account,
    amount: e.amount,
    currency: e.currency,
    creator_id: e.creatorId ?? null,
    release_at: e.releaseAt ?? null,
  };
}

async function sameOrConflict(
  trx: Trx,
  id: string,
  kind: LedgerKind,
  input: PostTransactionInput,
): Promise<PostedTransaction> {
  const posted = await listPostings(trx, id);
  if (kind !== input.kind || signature(posted) !== signature(input.entries))
    throw ledgerError(
      'LEDGER_KEY_CONFLICT',
      `Ledger key ${input.key} was already posted with different entries; ` +
        'one business event cannot be recorded twice with different amounts.',
    );
  return { id, created: false };
}
