// Recording refunds the processor made, on an order the caller has locked: wherever a refund is
// reported first (our refund API or its settle job, or the processor's charge.refunded), the
// ledger records it under the processor's refund id, the order's total and status follow, the
// buyer gets one mail, and when the whole payment has gone back the reversal hooks run (a
// membership ends). The same refund reported again (the webhook echo of our own) finds it
// recorded and changes nothing.
import type { Config } from '../../config.js';
import type { Trx } from '../../db/database.js';
import { recordRefund } from '../ledger/index.js';
import type { OrderReversedHook } from './payment-event-handlers.js';
import type { OrderRow } from './payments.repository.js';
import { queueRefundMail } from './refund-mail.js';

export interface RefundRecordDeps {
  config: Pick<Config, 'appSecret' | 'publicUrl'>;
  onOrderReversed: readonly OrderReversedHook[];
}

/** The status an order has with this much refunded and no open dispute. */
export function settledStatus(order: OrderRow, refunded: number): OrderRow['status'] {
  if (refunded >= order.amount) return 'refunded';
  return refunded > 0 ? 'partially_refunded' : 'paid';
}

/** The order's status with `refunded` counted: an open dispute keeps it disputed until it closes. */
export const statusWith = (order: OrderRow, refunded: number): OrderRow['status'] =>
  order.status === 'disputed' ? 'disputed' : settledStatus(order, refunded);

export async function runOrderReversedHooks(
  hooks: readonly OrderReversedHook[],
  trx: Trx,
  reversed: Parameters<OrderReversedHook>[1],
): Promise<void> {
  for (const hook of hooks) await hook(trx, reversed);
}

/**
 * Records these refunds of the locked order (those not recorded before) and answers the order
 * as it is now.
 */
export async function recordOrderRefunds(
  trx: Trx,
  deps: RefundRecordDeps,
  order: OrderRow,
  refunds: readonly { id: string; amount: number }[],
): Promise<OrderRow> {
  const currency = order.currency.trim();
  const fresh: number[] = []; // refunds recorded now, not by an earlier report
  for (const refund of refunds) {
    const posted = await recordRefund(trx, {
      eventKey: refund.id,
      orderId: order.id,
      creatorId: order.creator_id,
      amount: refund.amount,
      currency,
    });
    if (posted.created) fresh.push(refund.amount);
  }
  if (fresh.length === 0) return order;
  const refunded = order.refunded_amount + fresh.reduce((sum, amount) => sum + amount, 0);
  const updated = await trx
    .updateTable('orders')
    .set({ refunded_amount: refunded, status: statusWith(order, refunded), updated_at: new Date() })
    .where('id', '=', order.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  // One mail per refund, each telling what the order was once it counted.
  let total = order.refunded_amount;
  for (const amount of fresh) {
    total += amount;
    await queueRefundMail(trx, deps.config, order, {
      amount,
      refundedTotal: total,
      status: statusWith(order, total),
    });
  }
  if (updated.status === 'refunded' && order.status !== 'refunded') {
    await runOrderReversedHooks(deps.onOrderReversed, trx, { order: updated, reason: 'refunded' });
  }
  return updated;
}
