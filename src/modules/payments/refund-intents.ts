// A refund's intent: inserted (with its settle job) in the transaction that checked the amount
// under the order's row lock, before the processor is asked. Its key is what the processor is
// asked under, so asking again (the settle job, a keyed request run again) gets the same refund.
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Executor } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';
import { removeJob } from '../../platform/jobs/queue.js';
import type { OrderRow } from './payments.repository.js';
import { insertRefundIntent, type RefundIntentRow } from './refunds.repository.js';
import type { RefundReason } from './refunds.tables.js';

/** Settles a refund its request did not (refunds.service.ts holds its handler). */
export const settleRefundJob = defineJob(
  'payments:settle_refund',
  z.object({ refundId: z.uuid() }),
);
/** How long a request has to settle its own refund before the job asks the processor again. */
const SETTLE_AFTER_MS = 5 * 60_000;

export interface RequestKey {
  /** who sent it (an Idempotency-Key is its caller's own) */
  caller: string;
  key: string;
}

/** The processor's key for a refund asked by a request with an Idempotency-Key. */
export function keyOfRequest(orderId: string, request: RequestKey): string {
  const digest = createHash('sha256').update(`${request.caller}\n${request.key}`).digest('hex');
  return `refund:${orderId}:request:${digest.slice(0, 40)}`;
}

/**
 * Inserts an intent and its settle job in the caller's transaction (the order locked by it).
 * The job runs after `settleAfterMs`, by when the request should have settled it itself. The
 * processor's key comes from the request's Idempotency-Key when it has one (its retry after a
 * lost COMMIT asks for the same refund), else from the intent's own id.
 */
export async function reserveRefundIntent(
  trx: Executor,
  order: OrderRow,
  intent: {
    amount: number;
    reason: RefundReason;
    requestedBy: string | null;
    request?: RequestKey | undefined;
  },
  settleAfterMs = SETTLE_AFTER_MS,
): Promise<RefundIntentRow> {
  const id = randomUUID();
  const row = await insertRefundIntent(trx, {
    id,
    order_id: order.id,
    amount: intent.amount,
    reason: intent.reason,
    processor_key:
      intent.request === undefined
        ? `refund:${order.id}:${id}`
        : keyOfRequest(order.id, intent.request),
    requested_by: intent.requestedBy,
  });
  await settleRefundJob.add(
    trx,
    { refundId: id },
    { jobKey: settleJobKey(id), runAt: new Date(Date.now() + settleAfterMs) },
  );
  return row;
}

const settleJobKey = (intentId: string) => `refund:${intentId}`;

/** The intent is settled: its job has nothing left to do (in the settling transaction). */
export async function dropSettleJob(trx: Executor, intentId: string): Promise<void> {
  await removeJob(trx, settleJobKey(intentId));
}
