// The local processor's hosted checkout: the buyer's choice on /pay/local/<id> completes the
// session once and queues a Stripe-shaped event for delivery to our own webhook receiver.
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { Db, Executor } from '../../../db/database.js';
import { defineJob } from '../../../platform/jobs/job.js';
import type { TaskDefinition } from '../../../platform/jobs/task.js';
import { randomToken } from '../../../platform/secrets.js';
import { localProcessorFee } from './local-processor.js';
import { completeLocalSessionRow, lockLocalSession } from './local-processor.repository.js';
import { startLocalSubscription } from './local-subscriptions.service.js';
import { CHECKOUT_COMPLETED, CHECKOUT_FAILED } from '../payment-events.js';
import type { CheckoutExpiry } from '../processor.js';
import { signPayload } from '../stripe/stripe-signature.js';
import { receivePaymentEvent, type ReceiveDeps } from '../webhooks.service.js';

/** Delivers a local processor's event to our own webhook receiver, signed at each attempt. */
export const deliverLocalEventJob = defineJob(
  'payments:deliver_local_event',
  z.object({
    body: z
      .string()
      .min(2)
      .max(64 * 1024),
  }),
);
export type LocalOutcome = 'succeeded' | 'declined';

/** The checkout.session object the local processor's events carry. */
function sessionObject(
  session: {
    id: string;
    order_id: string;
    amount: number;
    currency: string;
    mode: 'payment' | 'subscription';
    metadata: Record<string, string>;
  },
  email: string | null,
  outcome: LocalOutcome,
  paymentId: string,
): Record<string, unknown> {
  return {
    id: session.id,
    object: 'checkout.session',
    mode: session.mode,
    payment_intent: paymentId,
    payment_status: outcome === 'succeeded' ? 'paid' : 'unpaid',
    amount_total: session.amount,
    currency: session.currency.trim().toLowerCase(),
    metadata: { ...session.metadata, order_id: session.order_id },
    customer_details: { email },
    fee: outcome === 'succeeded' ? localProcessorFee(session.amount) : 0,
  };
}

/**
 * Queues a Stripe-shaped event from the local processor for delivery to our webhook receiver a
 * moment later, through the job queue (retried with backoff), in the caller's transaction: the
 * local processor's own record and its event commit together or not at all.
 */
export async function queueLocalEvent(
  trx: Executor,
  type: string,
  object: Record<string, unknown>,
): Promise<string> {
  const event = {
    id: `evt_local_${randomToken(18)}`,
    object: 'event',
    type,
    created: Math.floor(Date.now() / 1000),
    data: { object },
  };
  await deliverLocalEventJob.add(
    trx,
    { body: JSON.stringify(event) },
    { jobKey: `local-event:${event.id}`, runAt: new Date(Date.now() + randomInt(50, 750)) },
  );
  return event.id;
}

/** Hours a local checkout session can be paid, as long as Stripe's sessions live by default. */
export const LOCAL_SESSION_HOURS = 24;

/** Whether the session can no longer be paid: expired by us, or older than a session lives. */
export function isLocalSessionExpired(
  session: { expired_at: Date | null; created_at: Date },
  now = new Date(),
): boolean {
  return (
    session.expired_at !== null ||
    session.created_at.getTime() <= now.getTime() - LOCAL_SESSION_HOURS * 3_600_000
  );
}

/**
 * Expires an unpaid session (its order expired): its page then refuses to take a payment.
 * 'complete' when the buyer finished it first (its event is on its way).
 */
export async function expireLocalSession(db: Db, sessionId: string): Promise<CheckoutExpiry> {
  return db.transaction().execute(async (trx) => {
    const session = await lockLocalSession(trx, sessionId);
    if (!session) return 'expired'; // nothing could ever be paid through it
    if (session.outcome !== null) return 'complete';
    if (session.expired_at === null) {
      await trx
        .updateTable('local_checkout_sessions')
        .set({ expired_at: new Date() })
        .where('id', '=', sessionId)
        .execute();
    }
    return 'expired';
  });
}

/**
 * Completes the session with the buyer's choice and queues its event, once: a session completed
 * before (a second submission, a double click) sends nothing, nor does an expired one.
 */
export async function completeLocalSession(
  db: Db,
  sessionId: string,
  outcome: LocalOutcome,
): Promise<'completed' | 'already_completed' | 'expired' | 'not_found'> {
  return db.transaction().execute(async (trx) => {
    const session = await lockLocalSession(trx, sessionId);
    if (!session) return 'not_found';
    if (session.outcome !== null) return 'already_completed';
    if (isLocalSessionExpired(session)) return 'expired';
    const paymentId = `pi_local_${randomToken(18)}`;
    await completeLocalSessionRow(trx, sessionId, outcome, paymentId);
    // A paid subscription-mode session starts a subscription; its id rides on the session.
    const subscriptionId =
      outcome === 'succeeded' && session.mode === 'subscription'
        ? await startLocalSubscription(trx, session, paymentId)
        : undefined;
    // Like a real processor: the event arrives a moment later, not inside the buyer's request.
    const object = {
      ...sessionObject(session, session.buyer_email, outcome, paymentId),
      ...(subscriptionId !== undefined && { subscription: subscriptionId }),
    };
    await queueLocalEvent(
      trx,
      outcome === 'succeeded' ? CHECKOUT_COMPLETED : CHECKOUT_FAILED,
      object,
    );
    return 'completed';
  });
}

/**
 * Delivers an event to the webhook receiver in-process (the worker may run without the web
 * server). Each attempt signs afresh, as Stripe does, so a retry hours later is still within
 * the signature tolerance; a failure throws and graphile-worker retries with backoff.
 */
export function deliverLocalEventTask(deps: ReceiveDeps): TaskDefinition<{ body: string }> {
  return deliverLocalEventJob.task(async ({ body }) => {
    const secret = deps.secrets.local;
    if (secret === undefined) throw new Error('the local processor is not configured');
    const raw = Buffer.from(body, 'utf8');
    const header = signPayload(raw, secret, Math.floor(Date.now() / 1000));
    await receivePaymentEvent(deps, 'local', raw, header);
  });
}
