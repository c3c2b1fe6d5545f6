// The local processor's subscriptions: a completed subscription-mode checkout starts one; each
// period end (the hourly job, or the developer panel at once) charges the next period with a
// Stripe-shaped invoice.paid, or fails it with invoice.payment_failed; a cancellation at the
// period end is reported with customer.subscription.updated, the end with
// customer.subscription.deleted. Every event goes out through queueLocalEvent, in the same
// transaction as the change it reports.
import type { Db, Trx } from '../../../db/database.js';
import { randomToken } from '../../../platform/secrets.js';
import { queueLocalEvent } from './local-checkout.service.js';
import { localProcessorFee } from './local-processor.js';
import {
  insertLocalSubscription,
  listDueLocalSubscriptions,
  lockLocalSubscription,
  updateLocalSubscription,
  type LocalSubscriptionRow,
} from './local-subscriptions.repository.js';

export const INVOICE_PAID = 'invoice.paid';
export const INVOICE_PAYMENT_FAILED = 'invoice.payment_failed';
export const SUBSCRIPTION_UPDATED = 'customer.subscription.updated';
export const SUBSCRIPTION_DELETED = 'customer.subscription.deleted';

/** Days a past-due subscription waits for a successful retry before it ends. */
export const LOCAL_PAST_DUE_DAYS = 7;
const DAY_MS = 86_400_000;

export type RenewalOutcome = 'succeeded' | 'failed';
export type RenewalResult = 'renewed' | 'failed' | 'ended' | 'not_found';

export function addInterval(from: Date, interval: 'month' | 'year'): Date {
  const next = new Date(from);
  if (interval === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
  else next.setUTCFullYear(next.getUTCFullYear() + 1);
  return next;
}

const unix = (date: Date) => Math.floor(date.getTime() / 1000);

function invoiceObject(
  sub: Pick<LocalSubscriptionRow, 'id' | 'amount' | 'currency' | 'metadata'>,
  reason: 'subscription_create' | 'subscription_cycle',
  paid: { amount: number; paymentId: string | null; periodEnd: Date } | undefined,
): Record<string, unknown> {
  return {
    id: `in_local_${randomToken(18)}`,
    object: 'invoice',
    billing_reason: reason,
    subscription: sub.id,
    amount_due: sub.amount,
    amount_paid: paid?.amount ?? 0,
    currency: sub.currency.trim().toLowerCase(),
    payment_intent: paid?.paymentId ?? null,
    period_end: paid ? unix(paid.periodEnd) : null,
    fee: paid ? localProcessorFee(paid.amount) : 0,
    metadata: sub.metadata,
  };
}

function subscriptionObject(sub: LocalSubscriptionRow, status: string): Record<string, unknown> {
  return {
    id: sub.id,
    object: 'subscription',
    status,
    cancel_at_period_end: sub.cancel_at_period_end,
    current_period_end: unix(sub.current_period_end),
    metadata: sub.metadata,
  };
}

/**
 * Starts the subscription a completed subscription-mode session paid for (or began a trial of)
 * and queues its first invoice.paid (billing_reason subscription_create). The recurring amount
 * is the session's, or metadata.recurring_amount when the first period is a free trial.
 */
export async function startLocalSubscription(
  trx: Trx,
  session: {
    id: string;
    order_id: string;
    amount: number;
    currency: string;
    metadata: Record<string, string>;
    recurring_interval: 'month' | 'year' | null;
    trial_days: number | null;
  },
  paymentId: string,
): Promise<string> {
  const interval = session.recurring_interval ?? 'month';
  const recurring = Number(session.metadata.recurring_amount ?? session.amount);
  const amount = Number.isSafeInteger(recurring) && recurring > 0 ? recurring : session.amount;
  const now = new Date();
  const trial = session.trial_days !== null;
  const periodEnd = trial
    ? new Date(now.getTime() + (session.trial_days ?? 0) * DAY_MS)
    : addInterval(now, interval);
  const sub = {
    id: `sub_local_${randomToken(18)}`,
    session_id: session.id,
    order_id: session.order_id,
    amount,
    currency: session.currency.trim(),
    interval,
    status: trial ? ('trialing' as const) : ('active' as const),
    current_period_end: periodEnd,
    metadata: { ...session.metadata, order_id: session.order_id },
  };
  await insertLocalSubscription(trx, { ...sub, metadata: JSON.stringify(sub.metadata) });
  const paid = { amount: session.amount, paymentId: trial ? null : paymentId, periodEnd };
  await queueLocalEvent(trx, INVOICE_PAID, invoiceObject(sub, 'subscription_create', paid));
  return sub.id;
}

/**
 * What the developer panel and the hourly job call: the subscription's period ends now. A
 * subscription canceled at the period end (or past due beyond its grace) ends; otherwise the
 * next period is charged (`succeeded`: invoice.paid, the period extended) or the charge fails
 * (`failed`: invoice.payment_failed, past due). Each call is one new event.
 */
export async function renewLocalSubscription(
  db: Db,
  subscriptionId: string,
  outcome: RenewalOutcome,
): Promise<RenewalResult> {
  return db.transaction().execute(async (trx) => {
    const sub = await lockLocalSubscription(trx, subscriptionId);
    if (!sub || sub.status === 'canceled') return 'not_found';
    const now = new Date();
    const graceOver =
      sub.status === 'past_due' &&
      sub.past_due_since !== null &&
      sub.past_due_since.getTime() <= now.getTime() - LOCAL_PAST_DUE_DAYS * DAY_MS;
    if (sub.cancel_at_period_end || graceOver) {
      await updateLocalSubscription(trx, sub.id, { status: 'canceled', canceled_at: now });
      await queueLocalEvent(trx, SUBSCRIPTION_DELETED, subscriptionObject(sub, 'canceled'));
      return 'ended';
    }
    if (outcome === 'failed') {
      await updateLocalSubscription(trx, sub.id, {
        status: 'past_due',
        past_due_since: sub.past_due_since ?? now,
      });
      await queueLocalEvent(trx, INVOICE_PAYMENT_FAILED, {
        ...invoiceObject(sub, 'subscription_cycle', undefined),
        attempt_count: 1,
      });
      return 'failed';
    }
    // A retry after a failure pays the period that was due; the next starts where it ended.
    const periodEnd = addInterval(sub.current_period_end, sub.interval);
    const paymentId = `pi_local_${randomToken(18)}`;
    await updateLocalSubscription(trx, sub.id, {
      status: 'active',
      current_period_end: periodEnd,
      past_due_since: null,
    });
    const paid = { amount: sub.amount, paymentId, periodEnd };
    await queueLocalEvent(trx, INVOICE_PAID, invoiceObject(sub, 'subscription_cycle', paid));
    return 'renewed';
  });
}

/** The hourly job: every subscription whose period is over is renewed (or ended). */
export async function renewDueLocalSubscriptions(db: Db, now = new Date()): Promise<number> {
  const graceStart = new Date(now.getTime() - LOCAL_PAST_DUE_DAYS * DAY_MS);
  let done = 0;
  for (;;) {
    const due = await listDueLocalSubscriptions(db, now, graceStart, 100);
    if (due.length === 0) return done;
    for (const id of due) await renewLocalSubscription(db, id, 'succeeded');
    done += due.length;
  }
}

/** Cancels now (customer.subscription.deleted) or at the period end (….updated). */
export async function cancelLocalSubscription(
  db: Db,
  subscriptionId: string,
  atPeriodEnd: boolean,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const sub = await lockLocalSubscription(trx, subscriptionId);
    if (!sub) throw new Error(`no local subscription ${subscriptionId}`);
    if (sub.status === 'canceled') return;
    const now = new Date();
    if (atPeriodEnd) {
      if (sub.cancel_at_period_end) return;
      await updateLocalSubscription(trx, sub.id, { cancel_at_period_end: true, canceled_at: now });
      const updated = { ...sub, cancel_at_period_end: true };
      await queueLocalEvent(trx, SUBSCRIPTION_UPDATED, subscriptionObject(updated, sub.status));
      return;
    }
    await updateLocalSubscription(trx, sub.id, { status: 'canceled', canceled_at: now });
    await queueLocalEvent(trx, SUBSCRIPTION_DELETED, subscriptionObject(sub, 'canceled'));
  });
}
