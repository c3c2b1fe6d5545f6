// Money going back after a payment, as the processor reports it: refunds made on the processor's
// side (or reported again after our own API made them) and disputes opened and decided. Each
// reverses through the ledger under the processor's own id, so a re-delivered event, or the
// webhook echo of a refund our API already recorded, changes nothing twice; a refund recorded
// for the first time mails the buyer (refund-mail.ts), a dispute does not. An event that
// arrives before the payment it concerns fails and is retried by the queue until it fits.
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Trx } from '../../db/database.js';
import { recordDispute, recordDisputeWon, recordRefund } from '../ledger/index.js';
import type { PaymentEventHandler, PaymentEventHandlers } from './payment-event-handlers.js';
import {
  CHARGE_REFUNDED,
  DISPUTE_CLOSED,
  DISPUTE_CREATED,
  type EventEnvelope,
} from './payment-events.js';
import { lockOrderByPayment, wakeEventsOfPayment, type OrderRow } from './payments.repository.js';
import { queueRefundMail } from './refund-mail.js';

type MailConfig = Pick<Config, 'appSecret' | 'publicUrl'>;

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

/** The status an order has with this much refunded and no open dispute. */
function settledStatus(order: OrderRow, refunded: number): OrderRow['status'] {
  if (refunded >= order.amount) return 'refunded';
  return refunded > 0 ? 'partially_refunded' : 'paid';
}

async function orderForPayment(trx: Trx, event: EventEnvelope, paymentId: string) {
  const order = await lockOrderByPayment(trx, paymentId);
  // The payment event may still be on its way: fail, and the queue retries later.
  if (!order) throw new Error(`event ${event.id}: no paid order for payment ${paymentId} yet`);
  return order;
}

/** The order's status with `refunded` counted: an open dispute keeps it disputed until it closes. */
const statusWith = (order: OrderRow, refunded: number): OrderRow['status'] =>
  order.status === 'disputed' ? 'disputed' : settledStatus(order, refunded);

function chargeRefunded(config: MailConfig): PaymentEventHandler {
  return {
    apply: async (trx, event) => {
      const charge = chargeRefundedSchema.parse(event.data.object);
      const order = await orderForPayment(trx, event, charge.payment_intent);
      const currency = order.currency.trim();
      const fresh: number[] = []; // refunds recorded now, not by an earlier event or our API
      for (const refund of charge.refunds.data) {
        if (refund.status !== undefined && refund.status !== 'succeeded') continue;
        const posted = await recordRefund(trx, {
          eventKey: refund.id,
          orderId: order.id,
          creatorId: order.creator_id,
          amount: refund.amount,
          currency,
        });
        if (posted.created) fresh.push(refund.amount);
      }
      if (fresh.length === 0) return;
      const refunded = order.refunded_amount + fresh.reduce((sum, amount) => sum + amount, 0);
      await trx
        .updateTable('orders')
        .set({
          refunded_amount: refunded,
          status: statusWith(order, refunded),
          updated_at: new Date(),
        })
        .where('id', '=', order.id)
        .execute();
      // One mail per refund, each telling what the order was once it counted.
      let total = order.refunded_amount;
      for (const amount of fresh) {
        total += amount;
        await queueRefundMail(trx, config, order, {
          amount,
          refundedTotal: total,
          status: statusWith(order, total),
        });
      }
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

const disputeClosed: PaymentEventHandler = {
  apply: async (trx, event) => {
    const dispute = disputeSchema.parse(event.data.object);
    const order = await orderForPayment(trx, event, dispute.payment_intent);
    if (dispute.status !== 'won') return; // lost: the money left when it opened; access stays off
    // Refused (and retried) until the dispute itself is recorded: events arrive in any order.
    const posted = await recordDisputeWon(trx, { disputeId: dispute.id });
    if (!posted.created) return;
    await trx
      .updateTable('orders')
      .set({
        status: settledStatus(order, order.refunded_amount),
        disputed_amount: 0,
        updated_at: new Date(),
      })
      .where('id', '=', order.id)
      .execute();
  },
};

/** The handlers of money going back; a refund's mail needs the links' secret and address. */
export const moneyBackHandlers = (config: MailConfig): PaymentEventHandlers => ({
  [CHARGE_REFUNDED]: chargeRefunded(config),
  [DISPUTE_CREATED]: disputeCreated,
  [DISPUTE_CLOSED]: disputeClosed,
});
