// Money going back after a payment, as the processor reports it: refunds made on the processor's
// side (or reported again after our own API made them) and disputes opened and decided. Each
// reverses through the ledger under the processor's own id, so a re-delivered event, or the
// webhook echo of a refund our API already recorded, changes nothing twice; a refund recorded
// for the first time mails the buyer (refund-record.ts, refund-mail.ts), a dispute does not. A
// full refund or a lost dispute runs the reversal hooks (a membership ends). An event that
// arrives before the payment it concerns fails and is retried by the queue until it fits.
import { z } from 'zod';
import type { Trx } from '../../db/database.js';
import { recordDispute, recordDisputeWon } from '../ledger/index.js';
import type { PaymentEventHandler, PaymentEventHandlers } from './payment-event-handlers.js';
import {
  CHARGE_REFUNDED,
  DISPUTE_CLOSED,
  DISPUTE_CREATED,
  type EventEnvelope,
} from './payment-events.js';
import { lockOrderByPayment, wakeEventsOfPayment } from './payments.repository.js';
import {
  recordOrderRefunds,
  runOrderReversedHooks,
  settledStatus,
  type RefundRecordDeps,
} from './refund-record.js';

const chargeRefundedSchema = z.object({
  payment_intent: z.string().min(1),
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
  refunds: z.object({
    data: z.array(
      z.object({
        id: z.string().min(1),
        amount: z.number().int().positive(),
        status: z.string().optional(),
      }),
    ),
  }),
});

const disputeSchema = z.object({
  id: z.string().min(1),
  payment_intent: z.string().min(1),
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
  status: z.string(),
  /** the processor's dispute fee (Stripe: balance_transactions[].fee); the creator bears it */
  fee: z.number().int().nonnegative().optional(),
});

async function orderForPayment(trx: Trx, event: EventEnvelope, paymentId: string) {
  const order = await lockOrderByPayment(trx, paymentId);
  // The payment event may still be on its way: fail, and the queue retries later.
  if (!order) throw new Error(`event ${event.id}: no paid order for payment ${paymentId} yet`);
  return order;
}

function chargeRefunded(deps: RefundRecordDeps): PaymentEventHandler {
  return {
    apply: async (trx, event) => {
      const charge = chargeRefundedSchema.parse(event.data.object);
      const order = await orderForPayment(trx, event, charge.payment_intent);
      const succeeded = charge.refunds.data.filter(
        (refund) => refund.status === undefined || refund.status === 'succeeded',
      );
      await recordOrderRefunds(trx, deps, order, succeeded);
    },
  };
}

const disputeCreated: PaymentEventHandler = {
  apply: async (trx, event) => {
    const dispute = disputeSchema.parse(event.data.object);
    const order = await orderForPayment(trx, event, dispute.payment_intent);
    const posted = await recordDispute(trx, {
      disputeId: dispute.id,
      orderId: order.id,
      creatorId: order.creator_id,
      amount: dispute.amount,
      fee: dispute.fee ?? 0,
      currency: order.currency.trim(),
    });
    if (!posted.created) return;
    await wakeEventsOfPayment(trx, dispute.payment_intent); // its close may be waiting
    // The money left with the dispute: the buyer's access goes with it until it is decided.
    await trx
      .updateTable('orders')
      .set({ status: 'disputed', disputed_amount: dispute.amount, updated_at: new Date() })
      .where('id', '=', order.id)
      .execute();
  },
};

function disputeClosed(deps: RefundRecordDeps): PaymentEventHandler {
  return {
    apply: async (trx, event) => {
      const dispute = disputeSchema.parse(event.data.object);
      const order = await orderForPayment(trx, event, dispute.payment_intent);
      if (dispute.status === 'lost') {
        // The money left when it opened and access stays off; now it is gone for good.
        if (order.status === 'disputed') {
          await runOrderReversedHooks(deps.onOrderReversed, trx, { order, reason: 'dispute_lost' });
        }
        return;
      }
      if (dispute.status !== 'won') return;
      // Refused (and retried) until the dispute itself is recorded: events arrive in any order.
      const posted = await recordDisputeWon(trx, { disputeId: dispute.id });
      if (!posted.created) return;
      const updated = await trx
        .updateTable('orders')
        .set({
          status: settledStatus(order, order.refunded_amount),
          disputed_amount: 0,
          updated_at: new Date(),
        })
        .where('id', '=', order.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      // refunded in full while the dispute was open: it only counts as gone now
      if (updated.status === 'refunded') {
        await runOrderReversedHooks(deps.onOrderReversed, trx, {
          order: updated,
          reason: 'refunded',
        });
      }
    },
  };
}

/**
 * The handlers of money going back; a refund's mail needs the links' secret and address, and
 * money gone for good runs the reversal hooks.
 */
export const moneyBackHandlers = (deps: RefundRecordDeps): PaymentEventHandlers => ({
  [CHARGE_REFUNDED]: chargeRefunded(deps),
  [DISPUTE_CREATED]: disputeCreated,
  [DISPUTE_CLOSED]: disputeClosed(deps),
});
