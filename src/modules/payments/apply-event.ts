// Applying a stored processor event: idempotent (an applied event is skipped; the order only
// moves forward; the ledger sale has one key per order) and independent of arrival order.
import { z } from 'zod';
import type { Db, Trx } from '../../db/database.js';
import { defineTask, type JobContext, type TaskDefinition } from '../../platform/jobs/task.js';
import { recordSale } from '../ledger/index.js';
import {
  CHECKOUT_COMPLETED,
  CHECKOUT_FAILED,
  checkoutSessionSchema,
  eventEnvelopeSchema,
  type CheckoutSessionObject,
} from './payment-events.js';
import {
  findVerifiedUserByEmail,
  lockEvent,
  lockOrder,
  markEventApplied,
  markOrderFailed,
  markOrderPaid,
} from './payments.repository.js';
import { APPLY_EVENT_TASK } from './webhooks.service.js';

/** Days a sale stays pending before the creator may be paid it (refund/dispute window). */
export const SALE_HOLD_DAYS = 7;

async function applyCheckoutCompleted(
  trx: Trx,
  eventId: string,
  session: CheckoutSessionObject,
  context: JobContext,
): Promise<void> {
  const order = await lockOrder(trx, session.metadata.order_id);
  if (!order) {
    context.log.error({ eventId }, 'payment event for an unknown order; ignored');
    return;
  }
  // Money the processor collected is never lost: a completion also wins over an earlier
  // failure. Anything past paid (refunded, disputed) stays where it is.
  if (order.status !== 'pending' && order.status !== 'failed') return;
  const currency = session.currency.toUpperCase();
  if (session.amount_total !== order.amount || currency !== order.currency.trim()) {
    // Never record a sale we did not ask for; the job fails loudly and is retried/inspected.
    throw new Error(`event ${eventId} does not match order ${order.id}'s amount or currency`);
  }
  let buyerId = order.buyer_id;
  const email = order.buyer_email ?? session.customer_details?.email ?? null;
  if (buyerId === null && email) buyerId = (await findVerifiedUserByEmail(trx, email)) ?? null;
  await markOrderPaid(trx, order.id, session.payment_intent ?? null, buyerId);
  if (order.amount > 0) {
    await recordSale(trx, {
      eventKey: `event:${eventId}`,
      orderId: order.id,
      creatorId: order.creator_id,
      gross: order.amount,
      fee: Math.min(session.fee ?? 0, order.amount),
      currency,
      holdDays: SALE_HOLD_DAYS,
    });
  }
}

export async function applyPaymentEvent(
  db: Db,
  eventId: string,
  context: JobContext,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const stored = await lockEvent(trx, eventId);
    if (!stored || stored.applied_at !== null) return;
    const envelope = eventEnvelopeSchema.parse(stored.payload);
    switch (envelope.type) {
      case CHECKOUT_COMPLETED:
        await applyCheckoutCompleted(
          trx,
          eventId,
          checkoutSessionSchema.parse(envelope.data.object),
          context,
        );
        break;
      case CHECKOUT_FAILED: {
        const session = checkoutSessionSchema.parse(envelope.data.object);
        // Only a pending order fails: a late failure never undoes a payment.
        await markOrderFailed(trx, session.metadata.order_id);
        break;
      }
      default:
        context.log.info({ eventId, type: envelope.type }, 'payment event type not handled');
    }
    await markEventApplied(trx, eventId);
  });
}

export function applyEventTask(db: Db): TaskDefinition<{ eventId: string }> {
  return defineTask({
    name: APPLY_EVENT_TASK,
    payload: z.object({ eventId: z.string().min(1).max(255) }),
    run: (payload, context) => applyPaymentEvent(db, payload.eventId, context),
  });
}
