// Refunds by the item's creator (POST /orders/:id/refund): the processor refunds under a key
// derived from the order's refunded total so far (a retried request gets the same refund), then
// one transaction records it in the ledger (keyed by the processor's refund id, so the webhook
// that reports the same refund later changes nothing) and moves the order to refunded or
// partially refunded, and queues the buyer's mail about it. A full refund ends the buyer's
// access (ownership needs paid or partially refunded).
import { AppError, notFound } from '../../platform/errors.js';
import { formatMoney } from '../../platform/money/index.js';
import type { Principal } from '../../platform/http/auth.js';
import { recordRefund } from '../ledger/index.js';
import type { PaymentsDeps } from './checkout.service.js';
import { toOrderJson } from './checkout.service.js';
import type { OrderJson } from './payments.schemas.js';
import { lockOrder } from './payments.repository.js';
import { queueRefundMail } from './refund-mail.js';
import { isUuid } from '../../platform/ids.js';

export async function refundOrder(
  deps: PaymentsDeps,
  principal: Principal,
  orderId: string,
  requested: number | undefined,
): Promise<OrderJson> {
  const { processor } = deps;
  // The order stays locked from the check to the record, so two refunds at once cannot both
  // pass the check; a processor call in between is short, and its key makes a retry safe.
  return deps.db.transaction().execute(async (trx) => {
    const order = isUuid(orderId) ? await lockOrder(trx, orderId) : undefined;
    // Only the item's creator refunds; to a buyer or anyone else the action does not exist.
    if (!order || order.creator_id !== principal.user.id) throw notFound('order');
    if (order.status !== 'paid' && order.status !== 'partially_refunded') {
      throw new AppError('ORDER_NOT_REFUNDABLE', 409, 'Only paid orders can be refunded.');
    }
    const remaining = order.amount - order.refunded_amount;
    if (remaining <= 0 || order.processor_payment_id === null || !processor) {
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
    const currency = order.currency.trim();
    const { refundId } = await processor.refund({
      orderId: order.id,
      paymentId: order.processor_payment_id,
      amount,
      currency,
      idempotencyKey: `refund:${order.id}:${order.refunded_amount}:${amount}`,
    });
    const posted = await recordRefund(trx, {
      eventKey: refundId,
      orderId: order.id,
      creatorId: order.creator_id,
      amount,
      currency,
    });
    // Recorded already (the processor's report of this refund came first): counted and mailed.
    if (!posted.created) return toOrderJson(order);
    const refunded = order.refunded_amount + amount;
    const status = refunded >= order.amount ? 'refunded' : 'partially_refunded';
    const updated = await trx
      .updateTable('orders')
      .set({ refunded_amount: refunded, status, updated_at: new Date() })
      .where('id', '=', order.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await queueRefundMail(trx, deps.config, order, { amount, refundedTotal: refunded, status });
    return toOrderJson(updated);
  });
}
