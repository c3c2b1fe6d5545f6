// Payouts in the ledger: reserve (available → in_transit), then exactly one of paid (the money
// leaves processor_clearing) or failed (back to available). Keys payout:<id>:reserve|paid|failed;
// a unique index on payout_id also refuses a payout that ends twice.
import type { Trx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { creatorAccount, PROCESSOR_CLEARING } from './ledger.accounts.js';
import { findTransactionByKey, sumAccount } from './ledger.repository.js';
import { lockCreators, postTransaction, type PostedTransaction } from './ledger.js';
import { creditAvailable, replayOf, requireAmount } from './creator-money.js';

const payoutKey = (payoutId: string, step: 'reserve' | 'paid' | 'failed'): string =>
  `payout:${payoutId}:${step}`;

export interface ReservePayoutInput {
  payoutId: string;
  creatorId: string;
  amount: number;
  currency: string;
}

/** Sets `amount` of the creator's available balance aside for a payout; never more than it. */
export async function reservePayout(
  trx: Trx,
  input: ReservePayoutInput,
): Promise<PostedTransaction> {
  requireAmount('amount', input.amount);
  const { payoutId, creatorId, amount, currency } = input;
  const key = payoutKey(payoutId, 'reserve');
  await lockCreators(trx, [input]);
  const existing = await findTransactionByKey(trx, key);
  if (existing) return replayOf(existing, key, { creatorId, amount, currency });
  const available = -(await sumAccount(trx, creatorAccount(creatorId, 'available'), currency));
  if (amount > available)
    throw new AppError(
      'LEDGER_INSUFFICIENT_AVAILABLE',
      409,
      `Only ${available} ${currency} is available; a payout of ${amount} cannot be reserved.`,
    );
  return postTransaction(trx, {
    key,
    kind: 'payout_reserve',
    payoutId,
    metadata: { creatorId, amount, currency },
    entries: [
      { account: creatorAccount(creatorId, 'available'), amount, currency, creatorId },
      { account: creatorAccount(creatorId, 'in_transit'), amount: -amount, currency, creatorId },
    ],
  });
}

interface Reserved {
  creatorId: string;
  amount: number;
  currency: string;
}

async function requireReserved(trx: Trx, payoutId: string): Promise<Reserved> {
  const reserve = await findTransactionByKey(trx, payoutKey(payoutId, 'reserve'));
  const { creatorId, amount, currency } = reserve?.metadata ?? {};
  if (typeof creatorId !== 'string' || typeof amount !== 'number' || typeof currency !== 'string')
    throw new AppError('LEDGER_PAYOUT_NOT_RESERVED', 409, `Payout ${payoutId} was not reserved.`);
  await lockCreators(trx, [{ creatorId, currency }]);
  return { creatorId, amount, currency };
}

/** Ends a payout once: the same ending again is a replay, the other ending an error. */
async function endPayout(
  trx: Trx,
  payoutId: string,
  step: 'paid' | 'failed',
): Promise<{ reserved: Reserved; replay?: PostedTransaction }> {
  const reserved = await requireReserved(trx, payoutId);
  const same = await findTransactionByKey(trx, payoutKey(payoutId, step));
  if (same) return { reserved, replay: { id: same.id, created: false } };
  const other = step === 'paid' ? 'failed' : 'paid';
  if (await findTransactionByKey(trx, payoutKey(payoutId, other)))
    throw new AppError(
      step === 'paid' ? 'LEDGER_PAYOUT_ALREADY_FAILED' : 'LEDGER_PAYOUT_ALREADY_PAID',
      409,
      `Payout ${payoutId} already ${other}; it cannot also be ${step}.`,
    );
  return { reserved };
}

/** The transfer arrived: the reserved money leaves the processor for the creator. */
export async function completePayout(
  trx: Trx,
  input: { payoutId: string },
): Promise<PostedTransaction> {
  const { reserved, replay } = await endPayout(trx, input.payoutId, 'paid');
  if (replay) return replay;
  const { creatorId, amount, currency } = reserved;
  return postTransaction(trx, {
    key: payoutKey(input.payoutId, 'paid'),
    kind: 'payout_paid',
    payoutId: input.payoutId,
    metadata: { creatorId, amount, currency },
    entries: [
      { account: creatorAccount(creatorId, 'in_transit'), amount, currency, creatorId },
      { account: PROCESSOR_CLEARING, amount: -amount, currency, creatorId },
    ],
  });
}

/** The transfer failed: the reserved money returns to available (repaying any debt first). */
export async function failPayout(
  trx: Trx,
  input: { payoutId: string; reason?: string },
): Promise<PostedTransaction> {
  const { reserved, replay } = await endPayout(trx, input.payoutId, 'failed');
  if (replay) return replay;
  const { creatorId, amount, currency } = reserved;
  return postTransaction(trx, {
    key: payoutKey(input.payoutId, 'failed'),
    kind: 'payout_failed',
    payoutId: input.payoutId,
    metadata: { creatorId, amount, currency, ...(input.reason && { reason: input.reason }) },
    entries: [
      { account: creatorAccount(creatorId, 'in_transit'), amount, currency, creatorId },
      ...(await creditAvailable(trx, creatorId, currency, amount)),
    ],
  });
}
