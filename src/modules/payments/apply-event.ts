// Applying a stored processor event: idempotent (an applied event is skipped; the order only
// moves forward; the ledger sale has one key per order) and independent of arrival order.
// Checkout events are handled here; other modules add handlers for their event types.
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Db, Trx } from '../../db/database.js';
import type { JobContext, TaskDefinition } from '../../platform/jobs/task.js';
import { recordSales } from '../ledger/index.js';
import { completeJobsByKey } from '../../platform/jobs/queue.js';
import type {
  OrderPaidHook,
  OrderReversedHook,
  PaidOrder,
  PaymentEventHandler,
  PaymentEventHandlers,
  PreparedEvent,
} from './payment-event-handlers.js';
import {
  CHECKOUT_COMPLETED,
  CHECKOUT_FAILED,
  checkoutSessionSchema,
  eventEnvelopeSchema,
  type CheckoutSessionObject,
  type EventEnvelope,
} from './payment-events.js';
import { markOrderFailed, type OrderRow } from './payments.repository.js';
import {
  claimEventsToApply,
  eventJobKey,
  releaseClaims,
  type StoredEvent,
  findVerifiedUsersByEmails,
  lockEventsToApply,
  lockOrders,
  markEventsApplied,
  markOrdersPaid,
  wakeEventsOfPayments,
} from './apply-batch.repository.js';
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

/** Runs the paid-order hooks for several orders made paid in one transaction: each hook in turn
 * for all of them (its set-based form when it has one), in the order the hooks are listed, so
 * the receipt still comes after what the other hooks add. */
export async function runOrderPaidHooksForMany(
  hooks: readonly OrderPaidHook[],
  trx: Trx,
  paid: readonly PaidOrder[],
): Promise<void> {
  if (paid.length === 0) return;
  for (const hook of hooks) {
    if (hook.many) await hook.many(trx, paid);
    else for (const one of paid) await hook(trx, one);
  }
}

/**
 * checkout.session.completed for several events in one transaction, with one statement each to
 * lock their orders, find the buyers' accounts, mark the orders paid, wake the events waiting
 * for these payments and post the sales, then the paid-order hooks. The outcome is that of
 * applying them one after the other (a second event for an order finds it paid).
 */
async function applyCheckouts(
  onOrderPaid: readonly OrderPaidHook[],
  trx: Trx,
  events: readonly PreparedEvent[],
  context: JobContext,
): Promise<void> {
  const sessions = events.map(({ event, prepared }) => ({
    event,
    prepared,
    session: checkoutSessionSchema.parse(event.data.object),
  }));
  const orders = await lockOrders(
    trx,
    sessions.map((s) => s.session.metadata.order_id),
  );
  const paying = new Set<string>();
  const toPay: { order: OrderRow; session: CheckoutSessionObject; event: EventEnvelope; fee: number }[] = []; // prettier-ignore
  for (const { event, prepared, session } of sessions) {
    const order = orders.get(session.metadata.order_id);
    if (!order) {
      context.log.error({ eventId: event.id }, 'payment event for an unknown order; ignored');
      continue;
    }
    // an earlier event of this batch pays it: this one finds it paid, as it would after it
    if (paying.has(order.id)) continue;
    // Money the processor collected is never lost: a completion also wins over an earlier
    // failure, an expiry included. Anything past paid (refunded, disputed) stays where it is.
    if (order.status !== 'pending' && order.status !== 'failed') continue;
    const currency = session.currency.toUpperCase();
    if (session.amount_total !== order.amount || currency !== order.currency.trim()) {
      // Never record a sale we did not ask for; the job fails loudly and is retried/inspected.
      throw new Error(`event ${event.id} does not match order ${order.id}'s amount or currency`);
    }
    paying.add(order.id);
    const fee = Math.min(typeof prepared === 'number' ? prepared : 0, order.amount);
    toPay.push({ order, session, event, fee });
  }
  if (toPay.length === 0) return;
  const emailOf = ({ order, session }: (typeof toPay)[number]) =>
    order.buyer_email ?? session.customer_details?.email ?? null;
  const verified = await findVerifiedUsersByEmails(
    trx,
    toPay.flatMap((p) => (p.order.buyer_id === null ? (emailOf(p) ?? []) : [])),
  );
  const paid = await markOrdersPaid(
    trx,
    toPay.map((p) => {
      const email = emailOf(p);
      return {
        id: p.order.id,
        paymentId: p.session.payment_intent ?? null,
        buyerId: p.order.buyer_id ?? (email ? verified.get(email.toLowerCase()) : null) ?? null,
        fee: p.fee,
      };
    }),
  );
  await wakeEventsOfPayments(
    trx,
    toPay.flatMap((p) => p.session.payment_intent ?? []),
  );
  await recordSales(
    trx,
    toPay
      .filter((p) => p.order.amount > 0)
      .map((p) => ({
        eventKey: `event:${p.event.id}`,
        orderId: p.order.id,
        creatorId: p.order.creator_id,
        gross: p.order.amount,
        fee: p.fee,
        currency: p.session.currency.toUpperCase(),
        holdDays: SALE_HOLD_DAYS,
      })),
  );
  const hooked: PaidOrder[] = [];
  for (const p of toPay) {
    const order = paid.get(p.order.id);
    if (!order) throw new Error(`order ${p.order.id} was not marked paid`);
    if (order.kind === 'item' && order.item_id === null) {
      // Paid after its order expired, for an item deleted since: it cannot be had, so the
      // whole payment goes back by itself (its settle job asks the processor at once).
      context.log.warn({ orderId: order.id }, 'late payment for a deleted item; refunding it');
      await reserveRefundIntent(
        trx,
        order,
        { amount: order.amount, reason: 'item_removed', requestedBy: null },
        0,
      );
      continue;
    }
    hooked.push({ order, subscriptionId: p.session.subscription ?? null });
  }
  await runOrderPaidHooksForMany(onOrderPaid, trx, hooked);
}

function checkoutCompleted(onOrderPaid: OrderPaidHook[]): PaymentEventHandler {
  return {
    prepare: (event, processor) =>
      feeOfPayment(processor, checkoutSessionSchema.parse(event.data.object)),
    apply: (trx, event, context, prepared) =>
      applyCheckouts(onOrderPaid, trx, [{ event, prepared }], context),
    applyMany: (trx, events, context) => applyCheckouts(onOrderPaid, trx, events, context),
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

/** How many events one apply job takes at most: its own and others waiting (see below). */
export const APPLY_BATCH = 100;
/** Processor calls (`prepare`) of one batch made at once. */
const PREPARE_AT_ONCE = 8;

interface ReadyEvent extends PreparedEvent {
  id: string;
  handler: PaymentEventHandler | undefined;
}

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * Applies the events in one transaction: the checkouts together (their handler's set-based
 * form), then every other event in turn. Checkouts go first because the other events of a
 * payment (a refund, a dispute) need its sale: in a batch they then never fail for arriving
 * before it. Events apply in any order by design, so this changes no outcome.
 */
async function applyInTransaction(
  trx: Trx,
  events: readonly ReadyEvent[],
  context: JobContext,
): Promise<{ done: string[]; failures: { event: ReadyEvent; error: unknown }[] }> {
  const byType = new Map<string, ReadyEvent[]>();
  for (const e of events) {
    if (e.handler?.applyMany) byType.set(e.event.type, [...(byType.get(e.event.type) ?? []), e]);
  }
  for (const group of byType.values()) await group[0]?.handler?.applyMany?.(trx, group, context);
  const done = events.filter((e) => e.handler?.applyMany).map((e) => e.id);
  const failures: { event: ReadyEvent; error: unknown }[] = [];
  // With others beside it, each of these events applies under a savepoint: one that fails (a
  // refund whose sale has not arrived yet) is undone alone and left to its job's retry.
  const isolate = events.length > 1;
  for (const e of events) {
    if (e.handler?.applyMany) continue;
    if (!e.handler) {
      context.log.info({ eventId: e.id, type: e.event.type }, 'payment event type not handled');
      done.push(e.id);
      continue;
    }
    if (!isolate) {
      await e.handler.apply(trx, e.event, context, e.prepared);
      done.push(e.id);
      continue;
    }
    await sql`savepoint payment_event`.execute(trx);
    try {
      await e.handler.apply(trx, e.event, context, e.prepared);
      await sql`release savepoint payment_event`.execute(trx);
      done.push(e.id);
    } catch (error) {
      await sql`rollback to savepoint payment_event`.execute(trx);
      failures.push({ event: e, error });
    }
  }
  await markEventsApplied(trx, done);
  return { done, failures };
}

/** One event in its own transaction; `others` when it is not the running job's own event. */
async function applyAlone(
  deps: ApplyDeps,
  e: ReadyEvent,
  own: boolean,
  context: JobContext,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const claimed = await lockEventsToApply(trx, e.id, []);
    if (!claimed.has(e.id)) return false;
    await applyInTransaction(trx, [e], context);
    if (!own) await completeJobsByKey(trx, [eventJobKey(e.id)]);
    return true;
  });
}

/**
 * The job of one stored event. It also takes up to APPLY_BATCH - 1 other events waiting with
 * untouched jobs (claimEventsToApply) and applies them all in one transaction: one commit, one
 * job taken and one finished, a few statements for all the checkouts, their receipts queued in
 * one go. The jobs of the others it applied are deleted in that transaction (a worker that
 * took one meanwhile finds its event applied). Exactly once: an event is applied only under
 * its row lock and only while unapplied, and marked applied in the same transaction.
 *
 * A failing event never holds up the others: an event other than a checkout is applied under
 * a savepoint and, if it fails, undone alone; if the batch fails otherwise (a checkout), it is
 * rolled back and each of its events is applied by itself. An event that failed keeps its
 * job, which retries it alone (with backoff). The job's own event failing fails the job, after
 * the others were applied.
 */
export async function applyPaymentEvent(
  deps: ApplyDeps,
  eventId: string,
  context: JobContext,
): Promise<void> {
  const stored = await claimEventsToApply(deps.db, eventId, APPLY_BATCH - 1);
  const others = stored.flatMap((row) => (row.id === eventId ? [] : [row.id]));
  const applied = new Set<string>();
  try {
    await applyStored(deps, eventId, stored, applied, context);
  } finally {
    // the others not applied here (failed, or taken by someone else) go back to their own jobs
    const left = others.filter((id) => !applied.has(id));
    await releaseClaims(deps.db, left).catch((error: unknown) =>
      context.log.warn({ err: error }, 'could not release claimed payment events'),
    );
  }
}

async function applyStored(
  deps: ApplyDeps,
  eventId: string,
  stored: readonly StoredEvent[],
  applied: Set<string>,
  context: JobContext,
): Promise<void> {
  if (!stored.some((row) => row.id === eventId && row.applied_at === null)) return;
  let ownError: unknown;
  const failed = (e: { id: string }, error: unknown) => {
    if (e.id === eventId) ownError = error;
    else
      context.log.warn({ err: error, eventId: e.id }, 'payment event failed; its job retries it');
  };
  const prepared: (ReadyEvent | undefined)[] = [];
  await eachLimited([...stored.entries()], PREPARE_AT_ONCE, async ([i, row]) => {
    try {
      const event = eventEnvelopeSchema.parse(row.payload);
      const handler = deps.handlers[event.type];
      const made = handler?.prepare ? await handler.prepare(event, deps.processor) : undefined;
      prepared[i] = { id: row.id, event, handler, prepared: made };
    } catch (error) {
      failed(row, error);
    }
  });
  // oldest first, but the checkouts before everything else (see applyInTransaction)
  const ready = prepared
    .filter((e) => e !== undefined)
    .sort((a, b) => Number(!a.handler?.applyMany) - Number(!b.handler?.applyMany));
  if (ready.length === 0) {
    if (ownError !== undefined) throw asError(ownError, eventId);
    return;
  }
  try {
    const outcome = await deps.db.transaction().execute(async (trx) => {
      const own = ready.some((e) => e.id === eventId) ? eventId : undefined;
      const claimed = await lockEventsToApply(
        trx,
        own,
        ready.flatMap((e) => (e.id === eventId ? [] : [e.id])),
      );
      const result = await applyInTransaction(
        trx,
        ready.filter((e) => claimed.has(e.id)),
        context,
      );
      // the jobs of the others applied here will never be needed; those that failed keep theirs
      await completeJobsByKey(trx, result.done.filter((id) => id !== eventId).map(eventJobKey));
      return result;
    });
    for (const id of outcome.done) applied.add(id);
    for (const { event, error } of outcome.failures) failed(event, error);
  } catch (batchError) {
    if (ready.length === 1 && ready[0]) failed(ready[0], batchError);
    else {
      context.log.warn(
        { err: batchError, events: ready.length },
        'payment event batch failed; applying its events one by one',
      );
      for (const e of ready) {
        try {
          if (await applyAlone(deps, e, e.id === eventId, context)) applied.add(e.id);
        } catch (error) {
          failed(e, error);
        }
      }
    }
  }
  if (ownError !== undefined) throw asError(ownError, eventId);
}

const asError = (error: unknown, eventId: string): Error =>
  error instanceof Error ? error : new Error(`payment event ${eventId} failed`, { cause: error });

export function applyEventTask(deps: ApplyDeps): TaskDefinition<{ eventId: string }> {
  return applyEventJob.task((payload, context) =>
    applyPaymentEvent(deps, payload.eventId, context),
  );
}
