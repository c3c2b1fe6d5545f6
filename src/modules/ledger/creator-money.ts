// How money is taken from and given back to a creator, shared by the business operations.
// Callers hold the creator+currency lock, so the balances read here stay true until commit.
import type { Trx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { creatorAccount, PROCESSOR_CLEARING } from './ledger.accounts.js';
import { findTransactionByKey, sumAccount, sumAccountForOrder } from './ledger.repository.js';
import type { LedgerEntry, PostedTransaction } from './ledger.js';

export const saleKey = (orderId: string): string => `sale:${orderId}`;
export const releaseKey = (orderId: string): string => `release:${orderId}`;

export function requireAmount(name: string, value: number, min = 1): void {
  if (!Number.isSafeInteger(value) || value < min)
    throw new AppError('LEDGER_INVALID_AMOUNT', 422, `${name} must be an integer ≥ ${min}.`);
}

/**
 * What is taken: first what is still pending from this very order, then the creator's
 * available balance, and whatever those cannot cover becomes debt; pending and available
 * never go below zero.
 */
export async function takeFromCreator(
  trx: Trx,
  creatorId: string,
  currency: string,
  orderId: string,
  amount: number,
): Promise<LedgerEntry[]> {
  const pending = creatorAccount(creatorId, 'pending');
  const available = creatorAccount(creatorId, 'available');
  const orderPending = -(await sumAccountForOrder(trx, pending, orderId));
  const fromPending = Math.min(amount, Math.max(0, orderPending));
  const availableBalance = -(await sumAccount(trx, available, currency));
  const fromAvailable = Math.min(amount - fromPending, Math.max(0, availableBalance));
  const fromDebt = amount - fromPending - fromAvailable;
  return nonZero([
    { account: pending, amount: fromPending, currency, creatorId },
    { account: available, amount: fromAvailable, currency, creatorId },
    { account: creatorAccount(creatorId, 'debt'), amount: fromDebt, currency, creatorId },
  ]);
}

/** Money for an order goes back to pending until the order is released, else to available. */
export async function giveToCreator(
  trx: Trx,
  creatorId: string,
  currency: string,
  orderId: string,
  amount: number,
): Promise<LedgerEntry[]> {
  if (await findTransactionByKey(trx, releaseKey(orderId)))
    return creditAvailable(trx, creatorId, currency, amount);
  return [{ account: creatorAccount(creatorId, 'pending'), amount: -amount, currency, creatorId }];
}

/** Credits available, repaying any debt first. */
export async function creditAvailable(
  trx: Trx,
  creatorId: string,
  currency: string,
  amount: number,
): Promise<LedgerEntry[]> {
  const debtAccount = creatorAccount(creatorId, 'debt');
  const repaid = Math.min(amount, Math.max(0, await sumAccount(trx, debtAccount, currency)));
  return nonZero([
    { account: debtAccount, amount: -repaid, currency, creatorId },
    {
      account: creatorAccount(creatorId, 'available'),
      amount: -(amount - repaid),
      currency,
      creatorId,
    },
  ]);
}

/** What the processor still holds of an order: gross less refunds and disputes. */
export async function refundableForOrder(trx: Trx, orderId: string): Promise<number> {
  return sumAccountForOrder(trx, PROCESSOR_CLEARING, orderId);
}

export function nonZero(entries: LedgerEntry[]): LedgerEntry[] {
  return entries.filter((e) => e.amount !== 0);
}

/**
 * An operation's key already posted: the same event redelivered is fine, the same key with
 * other facts is an error.
 */
export function replayOf(
  existing: { id: string; metadata: Record<string, unknown> },
  key: string,
  facts: Record<string, unknown>,
): PostedTransaction {
  for (const [name, value] of Object.entries(facts))
    if (existing.metadata[name] !== value)
      throw new AppError(
        'LEDGER_KEY_CONFLICT',
        409,
        `Ledger key ${key} was already posted with ${name} ${String(existing.metadata[name])}, ` +
          `not ${String(value)}.`,
      );
  return { id: existing.id, created: false };
}
