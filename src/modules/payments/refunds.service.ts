// Refunds by the item's creator (POST /orders/:id/refund and the sales page), in three steps so
// that no refund holds a database connection, a row lock or a transaction while the processor
// works (docs/architecture.md, "Refunds"):
// 1. reserve: a short transaction locks the order, checks the amount against what is paid less
//    what is refunded and what other refunds have reserved, and inserts the refund's intent
//    (order_refunds) with the key the processor will be asked under, plus a settle job for later;
// 2. the processor is asked under that key, with no transaction open (the local processor opens
//    its own; it needs the one connection it takes, never a second while holding one);
// 3. settle: another short transaction records the refund (refund-record.ts: the ledger under
//    the processor's refund id, the order, the buyer's mail, the reversal hooks) unless its
//    webhook echo came first, and marks the intent settled.
// A request that dies between 2 and 3 leaves the intent pending: its settle job asks again under
// the same key and gets the same refund. Inside a keyed request (Idempotency-Key) the three
// steps run on the request's one pinned connection and commit with it; the key is derived from
// the request's own key, so a retry after a lost COMMIT gets the same refund, never a second.
import { AppError, notFound } from '../../platform/errors.js';
import { formatMoney } from '../../platform/money/index.js';
import type { Principal } from '../../platform/http/auth.js';
import { isUuid } from '../../platform/ids.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import type { PaymentsDeps } from './checkout.service.js';
import { toOrderJson } from './checkout.service.js';
import type { OrderJson } from './payments.schemas.js';
import { findOrder, lockOrder, type OrderRow } from './payments.repository.js';
import { RefundRefused } from './processor.js';
import {
  dropSettleJob,
  keyOfRequest,
  reserveRefundIntent,
  settleRefundJob,
  type RequestKey,
} from './refund-intents.js';
import { recordOrderRefunds } from './refund-record.js';
import {
  findRefundIntent,
  findRefundIntentByKey,
  lockRefundIntent,
  pendingRefundTotal,
  settleRefundIntent,
  type RefundIntentRow,
} from './refunds.repository.js';

const refused = (cause?: unknown) =>
  new AppError('REFUND_REFUSED', 409, 'The payment processor refused this refund.', { cause });

/** Step 1: checks and reserves the refund; answers the intent to settle. */
async function reserve(
  deps: PaymentsDeps,
  principal: Principal,
  orderId: string,
  requested: number | undefined,
  request: RequestKey | undefined,
): Promise<RefundIntentRow> {
  return deps.db.transaction().execute(async (trx) => {
    const order = isUuid(orderId) ? await lockOrder(trx, orderId) : undefined;
    // Only the item's creator refunds; to a buyer or anyone else the action does not exist.
    if (!order || order.creator_id !== principal.user.id) throw notFound('order');
    if (request !== undefined) {
      // the same keyed request again (its first run committed an intent): settle that one
      const earlier = await findRefundIntentByKey(trx, keyOfRequest(order.id, request));
      if (earlier) return earlier;
    }
    if (order.status !== 'paid' && order.status !== 'partially_refunded') {
      throw new AppError('ORDER_NOT_REFUNDABLE', 409, 'Only paid orders can be refunded.');
    }
    if (order.processor_payment_id === null || !deps.processor) {
      throw new AppError('NOTHING_TO_REFUND', 409, 'There is no payment left to refund.');
    }
    const reserved = await pendingRefundTotal(trx, order.id);
    const remaining = order.amount - order.refunded_amount - reserved;
    if (remaining <= 0) {
      if (reserved > 0) {
        throw new AppError(
          'REFUND_IN_PROGRESS',
          409,
          'Another refund of this order is on its way; nothing more is left to refund.',
        );
      }
      throw new AppError('NOTHING_TO_REFUND', 409, 'There is no payment left to refund.');
    }
    const amount = requested ?? remaining;
    if (amount > remaining) {
      throw new AppError('REFUND_TOO_LARGE', 422, 'That is more than is left to refund.', {
        fields: {
          amount: `Refund at most ${remaining} minor units (${formatMoney(remaining, order.currency)}).`,
        },
      });
    }
    return reserveRefundIntent(trx, order, {
      amount,
      reason: 'creator',
      requestedBy: principal.user.id,
      request,
    });
  });
}

/**
 * Steps 2 and 3: asks the processor under the intent's key (no transaction open), then records
 * what it answered. Settling a settled intent answers the order as it is.
 */
export async function settleRefund(deps: PaymentsDeps, intentId: string): Promise<OrderRow> {
  const intent = await findRefundIntent(deps.db, intentId);
  const order = intent && (await findOrder(deps.db, intent.order_id));
  if (!intent || !order) throw new Error(`refund ${intentId} or its order does not exist`);
  if (intent.status === 'refused') throw refused();
  if (intent.status === 'succeeded') return order;
  const { processor } = deps;
  if (!processor || order.processor_payment_id === null) {
    throw new AppError('PAYMENTS_UNAVAILABLE', 503, 'Payments are not available right now.', {
      retryAfter: 300,
    });
  }
  let refundId: string;
  try {
    ({ refundId } = await processor.refund({
      orderId: order.id,
      paymentId: order.processor_payment_id,
      amount: intent.amount,
      currency: order.currency.trim(),
      idempotencyKey: intent.processor_key,
    }));
  } catch (error) {
    if (error instanceof RefundRefused) {
      await deps.db.transaction().execute(async (trx) => {
        await settleRefundIntent(trx, intent.id, { status: 'refused' });
        await dropSettleJob(trx, intent.id);
      });
      throw refused(error);
    }
    // No answer: the intent stays reserved and its job asks again under the same key.
    throw new AppError('PAYMENTS_UNAVAILABLE', 503, 'Payments are not available right now.', {
      retryAfter: 60,
      cause: error,
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    // the order first, then the intent: the order in which reserve and the webhook lock
    const locked = await lockOrder(trx, order.id);
    const current = await lockRefundIntent(trx, intent.id);
    if (!locked || !current) throw new Error(`refund ${intent.id} vanished while settling`);
    if (current.status !== 'pending') return locked; // settled by its job or its retry meanwhile
    const updated = await recordOrderRefunds(trx, deps, locked, [
      { id: refundId, amount: intent.amount },
    ]);
    await settleRefundIntent(trx, intent.id, { status: 'succeeded', refundId });
    await dropSettleJob(trx, intent.id);
    return updated;
  });
}

export async function refundOrder(
  deps: PaymentsDeps,
  principal: Principal,
  orderId: string,
  requested: number | undefined,
  request?: RequestKey,
): Promise<OrderJson> {
  const intent = await reserve(deps, principal, orderId, requested, request);
  return toOrderJson(await settleRefund(deps, intent.id));
}

/** The settle job: a refund whose request died before recording it (or one queued by itself). */
export function settleRefundTask(deps: PaymentsDeps): TaskDefinition<{ refundId: string }> {
  return settleRefundJob.task(async ({ refundId }, context) => {
    try {
      await settleRefund(deps, refundId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'REFUND_REFUSED') {
        context.log.warn({ refundId }, 'the processor refused a refund');
        return;
      }
      throw error; // not answered: retried with backoff under the same key
    }
  });
}
