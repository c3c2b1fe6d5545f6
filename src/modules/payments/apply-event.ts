// Applying a stored processor event: idempotent (an applied event is skipped; the order only
// moves forward; the ledger sale has one key per order) and independent of arrival order.
// Checkout events are handled here; other modules add handlers for their event types.
import type { Config } from '../../config.js';
import type { Db, Trx } from '../../db/database.js';
import type { JobContext, TaskDefinition } from '../../platform/jobs/task.js';
import { recordSale } from '../ledger/index.js';
import type {
  OrderPaidHook,
  OrderReversedHook,
  PaymentEventHandler,
  PaymentEventHandlers,
} from './payment-event-handlers.js';
import {
  CHECKOUT_COMPLETED,
  CHECKOUT_FAILED,
  checkoutSessionSchema,
  eventEnvelopeSchema,
  type EventEnvelope,
} from './payment-events.js';
import {
  findEventPayload,
  findVerifiedUserByEmail,
  lockEvent,
  lockOrder,
  markEventApplied,
  markOrderFailed,
  markOrderPaid,
  wakeEventsOfPayment,
} from './payments.repository.js';
import type { PaymentProcessor } from './processor.js';
import { moneyBackHandlers } from './disputes.js';
import { reserveRefundIntent } from './refund-intents.js';
import { applyEventJob } from './webhooks.service.js';

/** Days a sale stays pending before the creator may be paid it (refund/dispute window). */
export const SALE_HOLD_DAYS = 7;

export interface ApplyDeps {
  db: Db;
  processor: PaymentProcessor | undefined;
  /** handlers of other modules, by event type */
  handlers: PaymentEventHandlers;
  /** run in the transaction that makes an order paid */
  onOrderPaid: OrderPaidHook[];
}

/** Runs the paid-order hooks: once per order, in the transaction that made it paid. */
export async function runOrderPaidHooks(
  hooks: readonly OrderPaidHook[],
  trx: Trx,
  paid: Parameters<OrderPaidHook>[1],
): Promise<void> {
  for (const hook of hooks) await hook(trx, paid);
}

/**
 * The processor's fee on a payment: as the event says (the local processor sends it), else asked
 * of the processor (Stripe keeps it on the charge). For a handler's `prepare`: never inside a
 * transaction.
 */
export async function feeOfPayment(
  processor: PaymentProcessor | undefined,
  said: { fee?: number | undefined; payment_intent?: string | null | undefined },
): Promise<number | undefined> {
  if (said.fee !== undefined || !said.payment_intent || !processor) return said.fee;
  return processor.paymentFee(said.payment_intent);
}

function checkoutCompleted(onOrderPaid: OrderPaidHook[]): PaymentEventHandler {
  return {
    prepare: (event, processor) =>
      feeOfPayment(processor, checkoutSessionSchema.parse(event.data.object)),
    apply: async (trx, event, context, prepared) => {
      const session = checkoutSessionSchema.parse(event.data.object);
      const order = await lockOrder(trx, session.metadata.order_id);
      if (!order) {
        context.log.error({ eventId: event.id }, 'payment event for an unknown order; ignored');
        return;
      }
      // Money the processor collected is never lost: a completion also wins over an earlier
      // failure, an expiry included. Anything past paid (refunded, disputed) stays where it is.
      if (order.status !== 'pending' && order.status !== 'failed') return;
      const currency = session.currency.toUpperCase();
      if (session.amount_total !== order.amount || currency !== order.currency.trim()) {
        // Never record a sale we did not ask for; the job fails loudly and is retried/inspected.
        throw new Error(`event ${event.id} does not match order ${order.id}'s amount or currency`);
      }
      let buyerId = order.buyer_id;
      const email = order.buyer_email ?? session.customer_details?.email ?? null;
      if (buyerId === null && email) buyerId = (await findVerifiedUserByEmail(trx, email)) ?? null;
      const fee = Math.min(typeof prepared === 'number' ? prepared : 0, order.amount);
      const paid = await markOrderPaid(trx, order.id, {
        paymentId: session.payment_intent ?? null,
        buyerId,
        fee,
      });
      if (session.payment_intent) await wakeEventsOfPayment(trx, session.payment_intent);
      if (order.amount > 0) {
        await recordSale(trx, {
          eventKey: `event:${event.id}`,
          orderId: order.id,
          creatorId: order.creator_id,
          gross: order.amount,
          fee,
          currency,
          holdDays: SALE_HOLD_DAYS,
        });
      }
      if (paid.kind === 'item' && paid.item_id === null) {
        // Paid after its order expired, for an item deleted since: it cannot be had, so the
        // whole payment goes back by itself (its settle job asks the processor at once).
        context.log.warn({ orderId: paid.id }, 'late payment for a deleted item; refunding it');
        await reserveRefundIntent(
          trx,
          paid,
          { amount: paid.amount, reason: 'item_removed', requestedBy: null },
          0,
        );
        return;
      }
      await runOrderPaidHooks(onOrderPaid, trx, {
        order: paid,
        subscriptionId: session.subscription ?? null,
      });
    },
  };
}

const checkoutFailed: PaymentEventHandler = {
  apply: async (trx, event) => {
    const session = checkoutSessionSchema.parse(event.data.object);
    // Only a pending order fails: a late failure never undoes a payment.
    await markOrderFailed(trx, session.metadata.order_id, 'declined');
  },
};

export function paymentEventHandlers(
  deps: Omit<ApplyDeps, 'handlers'> & {
    config: Pick<Config, 'appSecret' | 'publicUrl'>;
    onOrderReversed: readonly OrderReversedHook[];
  },
  extra: PaymentEventHandlers,
) {
  return {
    ...extra,
    [CHECKOUT_COMPLETED]: checkoutCompleted(deps.onOrderPaid),
    [CHECKOUT_FAILED]: checkoutFailed,
    ...moneyBackHandlers(deps),
  } satisfies PaymentEventHandlers;
}

export async function applyPaymentEvent(
  deps: ApplyDeps,
  eventId: string,
  context: JobContext,
): Promise<void> {
  const stored = await findEventPayload(deps.db, eventId);
  if (!stored || stored.applied_at !== null) return;
  const envelope: EventEnvelope = eventEnvelopeSchema.parse(stored.payload);
  const handler = deps.handlers[envelope.type];
  const prepared = handler?.prepare ? await handler.prepare(envelope, deps.processor) : undefined;
  await deps.db.transaction().execute(async (trx) => {
    const locked = await lockEvent(trx, eventId);
    if (!locked || locked.applied_at !== null) return;
    if (handler) await handler.apply(trx, envelope, context, prepared);
    else context.log.info({ eventId, type: envelope.type }, 'payment event type not handled');
    await markEventApplied(trx, eventId);
  });
}

export function applyEventTask(deps: ApplyDeps): TaskDefinition<{ eventId: string }> {
  return applyEventJob.task((payload, context) =>
    applyPaymentEvent(deps, payload.eventId, context),
  );
}
