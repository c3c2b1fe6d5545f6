// The payout queue. A scheduled run moves each creator's available balance (at or above the
// minimum) into a payout: the payout row, the ledger reservation (available → in transit) and
// the send job are one transaction. The send job asks the processor for a transfer under the
// payout's own idempotency key, then records the outcome with the ledger in one transaction.
// A worker killed between "transfer sent" and "payout recorded" runs the job again: the
// processor answers the same transfer for the same key, and the payout is recorded once.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db, Executor } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { defineJob } from '../../platform/jobs/job.js';
import { queueMail } from '../../platform/mail/mail.js';
import { formatMoney } from '../../platform/money/index.js';
import { balances, completePayout, failPayout, reservePayout } from '../ledger/index.js';
import { TransferRefused, type PaymentProcessor } from '../payments/index.js';
import {
  findCreatorContact,
  findPayout,
  insertPayout,
  listCreatorPayouts,
  listPayableAccounts,
  markPayoutFailed,
  markPayoutPaid,
} from './payouts.repository.js';

/** Sends one payout (payouts.jobs.ts holds its handler). */
export const sendPayoutJob = defineJob('payouts:send', z.object({ payoutId: z.uuid() }));
/** 1000 minor units of the balance's currency: $10.00, €10.00, ¥1,000 (see formatMoney). */
export const DEFAULT_MINIMUM = 1000;

export interface PayoutsDeps {
  db: Db;
  processor: PaymentProcessor;
}

export async function queueSendPayout(executor: Executor, id: string) {
  await sendPayoutJob.add(executor, { payoutId: id }, { jobKey: `payout:${id}`, maxAttempts: 10 });
}

/** One scheduled run: returns the payouts it queued. */
export async function schedulePayouts(
  deps: PayoutsDeps,
  options: { minimum?: number } = {},
): Promise<string[]> {
  const minimum = options.minimum ?? DEFAULT_MINIMUM;
  const accounts = await listPayableAccounts(deps.db, deps.processor.name);
  const queued: string[] = [];
  for (const account of accounts) {
    for (const balance of await balances(deps.db, account.creator_id)) {
      if (balance.available < minimum) continue;
      const id = randomUUID();
      try {
        await deps.db.transaction().execute(async (trx) => {
          await insertPayout(trx, {
            id,
            creator_id: account.creator_id,
            amount: balance.available,
            currency: balance.currency,
            destination: account.destination,
            idempotency_key: `payout:${id}`,
          });
          // Under the creator's ledger lock: refuses if the balance moved since we read it.
          await reservePayout(trx, {
            payoutId: id,
            creatorId: account.creator_id,
            amount: balance.available,
            currency: balance.currency,
          });
          await queueSendPayout(trx, id);
        });
        queued.push(id);
      } catch (error) {
        // A payout already in flight (unique index) or a balance that changed: next run.
        if (isSkippable(error)) continue;
        throw error;
      }
    }
  }
  return queued;
}

function isSkippable(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'LEDGER_INSUFFICIENT_AVAILABLE';
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';
}

/** The send job: one transfer per payout whatever happens, then the outcome, recorded once. */
export async function sendPayout(deps: PayoutsDeps, payoutId: string): Promise<void> {
  const payout = await findPayout(deps.db, payoutId);
  if (payout?.status !== 'queued') return; // gone, or already settled: a repeat does nothing
  let transferId: string;
  try {
    ({ transferId } = await deps.processor.transfer({
      payoutId,
      idempotencyKey: payout.idempotency_key,
      destination: payout.destination,
      amount: payout.amount,
      currency: payout.currency,
    }));
  } catch (error) {
    if (!(error instanceof TransferRefused)) throw error; // the queue retries with backoff
    await settleFailed(deps.db, payoutId, error.reason);
    return;
  }
  await deps.db.transaction().execute(async (trx) => {
    const settled = await markPayoutPaid(trx, payoutId, transferId);
    if (settled) await completePayout(trx, { payoutId });
  });
}

/** A refused transfer: the money goes back to available and the creator is told why. */
async function settleFailed(db: Db, payoutId: string, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const failed = await markPayoutFailed(trx, payoutId, reason);
    if (!failed) return;
    await failPayout(trx, { payoutId, reason });
    const creator = await findCreatorContact(trx, failed.creator_id);
    const amount = formatMoney(failed.amount, failed.currency);
    await queueMail(trx, {
      to: creator.email,
      subject: 'Your payout did not go through',
      text:
        `Hello ${creator.display_name},\n\nWe could not send your payout of ${amount}: ` +
        `${reason}\n\nThe money is back in your available balance and goes ` +
        'out with the next payout once your payout account is fixed.\n',
    });
  });
}

/** A creator's latest payouts (the API lists the last 100), newest first. */
export async function listPayouts(db: Db, creatorId: string) {
  return listCreatorPayouts(db, creatorId, 100);
}
