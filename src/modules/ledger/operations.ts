// Business operations on the ledger: each one business event, one deterministic key, one
// balanced transaction. They run inside the caller's transaction (releaseDue opens its own) and
// may be repeated: a repeated event returns the first transaction and posts nothing.
//
// Events may arrive out of order. A refund or dispute for a sale not yet recorded is refused
// with 409 LEDGER_SALE_NOT_RECORDED and posts nothing: the caller's job retries it later.
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { creatorAccount, PROCESSOR_CLEARING, PROCESSOR_FEES } from './ledger.accounts.js';
import { listDueSales, findTransactionByKey, sumAccountForOrder } from './ledger.repository.js';
import {
  lockCreators,
  postTransaction,
  postTransactions,
  type PostedTransaction,
  type PostTransactionInput,
} from './ledger.js';
import {
  creditAvailable,
  giveToCreator,
  nonZero,
  refundableForOrder,
  releaseKey,
  replayOf,
  requireAmount,
  saleKey,
  takeFromCreator,
} from './creator-money.js';

const DAY_MS = 86_400_000;

export interface SaleInput {
  /** the processor event that reported the payment (kept in metadata) */
  eventKey: string;
  orderId: string;
  creatorId: string;
  /** what the buyer paid */
  gross: number;
  /** what the processor kept */
  fee: number;
  currency: string;
  holdDays: number;
  occurredAt?: Date;
}

/**
 * The processor collected `gross` and kept `fee`; the creator is owed the rest (the platform
 * takes nothing), pending until `holdDays` have passed. One sale per order (key sale:<order>),
 * whichever event reports it.
 */
export async function recordSale(trx: Trx, input: SaleInput): Promise<PostedTransaction> {
  return postTransaction(trx, saleTransaction(input));
}

/**
 * Several sales (of different orders) at once, as recordSale would one after the other: one
 * statement for their transactions and one for their postings (a sale only raises balances, so
 * it takes no creator lock).
 */
export async function recordSales(
  trx: Trx,
  inputs: readonly SaleInput[],
): Promise<PostedTransaction[]> {
  return postTransactions(trx, inputs.map(saleTransaction));
}

function saleTransaction(input: SaleInput): PostTransactionInput {
  requireAmount('gross', input.gross);
  requireAmount('fee', input.fee, 0);
  requireAmount('holdDays', input.holdDays, 0);
  if (input.fee > input.gross)
    throw new AppError('LEDGER_INVALID_AMOUNT', 422, 'The fee cannot exceed the gross amount.');
  const occurredAt = input.occurredAt ?? new Date();
  const releaseAt = new Date(occurredAt.getTime() + input.holdDays * DAY_MS);
  const { creatorId, currency } = input;
  return {
    key: saleKey(input.orderId),
    kind: 'sale',
    orderId: input.orderId,
    occurredAt,
    metadata: { eventKey: input.eventKey, creatorId, currency, gross: input.gross, fee: input.fee },
    entries: nonZero([
      { account: PROCESSOR_CLEARING, amount: input.gross, currency, creatorId, releaseAt },
      { account: PROCESSOR_FEES, amount: -input.fee, currency, creatorId },
      {
        account: creatorAccount(creatorId, 'pending'),
        amount: -(input.gross - input.fee),
        currency,
        creatorId,
        releaseAt,
      },
    ]),
  };
}

interface OrderMoney {
  orderId: string;
  creatorId: string;
  amount: number;
  currency: string;
}

/** The recorded sale of an order, checked against what an event says about it. */
async function requireSale(trx: Trx, input: OrderMoney): Promise<void> {
  const sale = await findTransactionByKey(trx, saleKey(input.orderId));
  if (!sale)
    throw new AppError(
      'LEDGER_SALE_NOT_RECORDED',
      409,
      `Order ${input.orderId} has no recorded sale yet; retry once the payment is recorded.`,
    );
  if (sale.metadata.creatorId !== input.creatorId || sale.metadata.currency !== input.currency)
    throw new AppError('LEDGER_ORDER_MISMATCH', 409, `Order ${input.orderId} is not that sale.`);
  const refundable = await refundableForOrder(trx, input.orderId);
  if (input.amount > refundable)
    throw new AppError(
      'LEDGER_EXCEEDS_SALE',
      409,
      `Only ${refundable} ${input.currency} of order ${input.orderId} can still be returned.`,
    );
}

export interface RefundInput extends OrderMoney {
  /** the processor's refund id: one key per refund, partial ones included */
  eventKey: string;
  occurredAt?: Date;
}

/**
 * Money back to the buyer: taken from what is still pending of the order, then from available,
 * and what those cannot cover is recorded as the creator's debt (repaid from later earnings),
 * never as a negative balance. The processor keeps its fee, and so does the ledger.
 */
export async function recordRefund(trx: Trx, input: RefundInput): Promise<PostedTransaction> {
  requireAmount('amount', input.amount);
  const key = `refund:${input.eventKey}`;
  await lockCreators(trx, [input]);
  const existing = await findTransactionByKey(trx, key);
  if (existing) return replayOf(existing, key, { orderId: input.orderId, amount: input.amount });
  await requireSale(trx, input);
  const { creatorId, currency, orderId, amount } = input;
  return postTransaction(trx, {
    key,
    kind: 'refund',
    orderId,
    occurredAt: input.occurredAt,
    metadata: { orderId, creatorId, currency, amount },
    entries: [
      { account: PROCESSOR_CLEARING, amount: -amount, currency, creatorId },
      ...(await takeFromCreator(trx, creatorId, currency, orderId, amount)),
    ],
  });
}

export interface DisputeInput extends OrderMoney {
  disputeId: string;
  /** the processor's dispute fee, borne by the creator */
  fee: number;
  occurredAt?: Date;
}

/**
 * The processor withdrew a disputed amount and its fee: like a refund, plus the fee. Record it
 * when the money leaves (dispute opened or lost); recordDisputeWon gives the amount back.
 */
export async function recordDispute(trx: Trx, input: DisputeInput): Promise<PostedTransaction> {
  requireAmount('amount', input.amount);
  requireAmount('fee', input.fee, 0);
  const key = `dispute:${input.disputeId}:lost`;
  await lockCreators(trx, [input]);
  const existing = await findTransactionByKey(trx, key);
  if (existing) return replayOf(existing, key, { orderId: input.orderId, amount: input.amount });
  await requireSale(trx, input);
  const { creatorId, currency, orderId, amount, fee } = input;
  return postTransaction(trx, {
    key,
    kind: 'dispute',
    orderId,
    occurredAt: input.occurredAt,
    metadata: { orderId, creatorId, currency, amount, fee, disputeId: input.disputeId },
    entries: nonZero([
      { account: PROCESSOR_CLEARING, amount: -amount, currency, creatorId },
      { account: PROCESSOR_FEES, amount: -fee, currency, creatorId },
      ...(await takeFromCreator(trx, creatorId, currency, orderId, amount + fee)),
    ]),
  });
}

/**
 * A dispute decided for the creator: the disputed amount comes back (the fee does not), to
 * pending if the order is still on hold, else to available after repaying any debt. Refused
 * with LEDGER_DISPUTE_NOT_RECORDED until the dispute itself is recorded.
 */
export async function recordDisputeWon(
  trx: Trx,
  input: { disputeId: string; occurredAt?: Date },
): Promise<PostedTransaction> {
  const lost = await findTransactionByKey(trx, `dispute:${input.disputeId}:lost`);
  const { orderId, creatorId, currency, amount } = lost?.metadata ?? {};
  if (
    typeof orderId !== 'string' ||
    typeof creatorId !== 'string' ||
    typeof currency !== 'string' ||
    typeof amount !== 'number'
  )
    throw new AppError(
      'LEDGER_DISPUTE_NOT_RECORDED',
      409,
      `Dispute ${input.disputeId} has not been recorded yet; retry once it is.`,
    );
  const key = `dispute:${input.disputeId}:won`;
  await lockCreators(trx, [{ creatorId, currency }]);
  const existing = await findTransactionByKey(trx, key);
  if (existing) return { id: existing.id, created: false };
  return postTransaction(trx, {
    key,
    kind: 'dispute_won',
    orderId,
    occurredAt: input.occurredAt,
    metadata: { orderId, creatorId, currency, amount, disputeId: input.disputeId },
    entries: [
      { account: PROCESSOR_CLEARING, amount, currency, creatorId },
      ...(await giveToCreator(trx, creatorId, currency, orderId, amount)),
    ],
  });
}

/**
 * Moves what is still pending of every sale whose hold has passed by `now` to available
 * (repaying the creator's debt first). Each order is released once (key release:<order>), in
 * its own transaction; returns how many were released.
 */
export async function releaseDue(db: Db, now: Date, batchSize = 200): Promise<number> {
  let released = 0;
  for (;;) {
    const due = await listDueSales(db, now, batchSize);
    for (const sale of due) {
      const posted = await db.transaction().execute((trx) => releaseSale(trx, sale, now));
      if (posted.created) released += 1;
    }
    if (due.length < batchSize) return released;
  }
}

async function releaseSale(
  trx: Trx,
  sale: { orderId: string; creatorId: string; currency: string },
  now: Date,
): Promise<PostedTransaction> {
  const { orderId, creatorId, currency } = sale;
  const key = releaseKey(orderId);
  await lockCreators(trx, [sale]);
  const existing = await findTransactionByKey(trx, key);
  if (existing) return { id: existing.id, created: false };
  const pending = creatorAccount(creatorId, 'pending');
  const amount = -(await sumAccountForOrder(trx, pending, orderId));
  // Posted even when nothing is left (all refunded during the hold): it marks the order
  // released, so later money for it goes to available.
  return postTransaction(trx, {
    key,
    kind: 'release',
    orderId,
    occurredAt: now,
    metadata: { orderId, creatorId, currency, amount },
    entries:
      amount > 0
        ? [
            { account: pending, amount, currency, creatorId },
            ...(await creditAvailable(trx, creatorId, currency, amount)),
          ]
        : [],
  });
}
