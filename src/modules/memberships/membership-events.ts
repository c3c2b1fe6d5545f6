// Memberships take part in payments through a paid-order hook (the first checkout starts or
// re-activates the membership) and handlers for the processor's subscription events. Each runs
// in the transaction that marks its event applied and is idempotent on its own as well: a
// renewal's order is keyed by the processor's invoice id, the ledger sale by the order.
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Trx } from '../../db/database.js';
import { queueMail } from '../../platform/mail/mail.js';
import { recordSale } from '../ledger/index.js';
import type { OrderPaidHook, PaymentEventHandlers } from '../payments/index.js';
import type { EventEnvelope } from '../payments/index.js';
import { feeOfPayment } from '../payments/index.js';
import { insertOrder } from '../payments/index.js';
import {
  findInvoiceOrder,
  findMailDetails,
  insertMembership,
  insertMembershipOrder,
  findMembershipOrder,
  linkMembershipOrder,
  lockMembershipBySubscription,
  lockMembershipOfFan,
  updateMembership,
  type MembershipRow,
} from './memberships.repository.js';
import { mailMembershipEnded } from './membership-mail.js';
import { addInterval, DAY_MS, later } from './periods.js';

/** Days a renewal's money stays pending before the creator may be paid it (as for sales). */
export const SALE_HOLD_DAYS = 7;

export const INVOICE_PAID = 'invoice.paid';
export const INVOICE_PAYMENT_FAILED = 'invoice.payment_failed';
export const SUBSCRIPTION_UPDATED = 'customer.subscription.updated';
export const SUBSCRIPTION_DELETED = 'customer.subscription.deleted';

const invoiceSchema = z.looseObject({
  id: z.string().min(1),
  subscription: z.string().min(1).nullish(),
  billing_reason: z.string().nullish(),
  amount_paid: z.number().int().nonnegative().default(0),
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
  payment_intent: z.string().min(1).nullish(),
  /** unix seconds: the end of the period this invoice paid for */
  period_end: z.number().int().nullish(),
  /** the processor's fee (the local processor sends it; Stripe's is asked for) */
  fee: z.number().int().nonnegative().optional(),
});

const subscriptionSchema = z.looseObject({
  id: z.string().min(1),
  status: z.string().optional(),
  cancel_at_period_end: z.boolean().optional(),
  current_period_end: z.number().int().nullish(),
});

const fromUnix = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined ? undefined : new Date(seconds * 1000);

/** When the processor made the event (its clock; the time of applying it when absent). */
const madeAt = (event: EventEnvelope) => fromUnix(event.created) ?? new Date();

/**
 * Whether this event may set the membership's state: not when a newer event already did (events
 * arrive in any order; a late, older one must not undo what a newer one said).
 */
const isCurrent = (membership: MembershipRow, at: Date) =>
  membership.state_event_at === null || at >= membership.state_event_at;

/** The paid-order hook: a membership order's payment starts (or re-starts) the membership. */
export const startMembershipOnPaid: OrderPaidHook = async (trx, { order, subscriptionId }) => {
  if (order.kind !== 'membership') return;
  const bought = await findMembershipOrder(trx, order.id);
  if (!bought || bought.invoice_id !== null) return;
  if (subscriptionId === null || order.project_id === null) {
    // Money was collected for a membership we cannot start: fail loudly, the job is retried.
    throw new Error(`membership order ${order.id} was paid without a subscription`);
  }
  const now = new Date();
  const trial = bought.trial_days;
  const periodEnd =
    trial === null ? addInterval(now, bought.interval) : new Date(now.getTime() + trial * DAY_MS);
  const fan = { memberId: order.buyer_id, email: order.buyer_email };
  const existing =
    (await lockMembershipBySubscription(trx, subscriptionId)) ??
    (await lockMembershipOfFan(trx, order.project_id, fan));
  const state = {
    tier_id: bought.tier_id,
    interval: bought.interval,
    status: trial === null ? ('active' as const) : ('trialing' as const),
    subscription_id: subscriptionId,
    cancel_at_period_end: false,
    past_due_since: null,
    canceled_at: null,
    ended_at: null,
  };
  let membershipId: string;
  if (existing) {
    const sameSubscription = existing.subscription_id === subscriptionId;
    await updateMembership(trx, existing.id, {
      ...state,
      member_id: order.buyer_id ?? existing.member_id,
      current_period_end: sameSubscription
        ? later(existing.current_period_end, periodEnd)
        : periodEnd,
      ...(!sameSubscription && existing.status === 'ended' && { started_at: now }),
    });
    membershipId = existing.id;
  } else {
    const created = await insertMembership(trx, {
      ...state,
      project_id: order.project_id,
      creator_id: order.creator_id,
      member_id: order.buyer_id,
      member_email: order.buyer_email,
      processor: order.processor === 'stripe' ? 'stripe' : 'local',
      current_period_end: periodEnd,
      started_at: now,
    });
    membershipId = created.id;
  }
  await linkMembershipOrder(trx, order.id, membershipId);
};

/** A renewal: a new paid order, its ledger sale, the period extended. */
async function applyRenewal(
  trx: Trx,
  eventId: string,
  madeAtTime: Date,
  invoice: z.infer<typeof invoiceSchema>,
  membership: MembershipRow,
  fee: number,
): Promise<void> {
  if (await findInvoiceOrder(trx, invoice.id)) return; // this invoice made its order already
  const currency = invoice.currency.toUpperCase();
  const now = new Date();
  const order = await insertOrder(trx, {
    kind: 'membership',
    item_id: null,
    project_id: membership.project_id,
    creator_id: membership.creator_id,
    buyer_id: membership.member_id,
    buyer_email: membership.member_email,
    amount: invoice.amount_paid,
    currency,
    processor: membership.processor,
    processor_payment_id: invoice.payment_intent ?? null,
    status: 'paid',
    paid_at: now,
    processor_fee: Math.min(fee, invoice.amount_paid),
  });
  await insertMembershipOrder(trx, {
    order_id: order.id,
    tier_id: membership.tier_id,
    interval: membership.interval,
    membership_id: membership.id,
    invoice_id: invoice.id,
  });
  if (order.amount > 0) {
    await recordSale(trx, {
      eventKey: `event:${eventId}`,
      orderId: order.id,
      creatorId: order.creator_id,
      gross: order.amount,
      fee: order.processor_fee ?? 0,
      currency,
      holdDays: SALE_HOLD_DAYS,
    });
  }
  const periodEnd =
    fromUnix(invoice.period_end) ?? addInterval(membership.current_period_end, membership.interval);
  // The money and the period always count; the state only if nothing newer set it.
  const stopped = membership.status === 'canceled' || membership.status === 'ended';
  const current = isCurrent(membership, madeAtTime);
  await updateMembership(trx, membership.id, {
    current_period_end: later(membership.current_period_end, periodEnd),
    ...(current && { past_due_since: null, state_event_at: madeAtTime }),
    ...(current && !stopped && { status: 'active' }),
  });
}

async function mailPaymentFailed(trx: Trx, membership: MembershipRow): Promise<void> {
  const { details, member } = await findMailDetails(trx, membership);
  const memberEmail = member?.email ?? membership.member_email;
  const who = member ? `@${member.handle}` : 'A member';
  await queueMail(trx, {
    to: details.creator_email,
    subject: `A membership payment failed: ${details.project}`.slice(0, 200),
    text:
      `${who}'s renewal of "${details.tier}" on ${details.project} did not go through. ` +
      'They keep access for 7 days while the payment is retried; after that it ends.\n',
  });
  if (memberEmail) {
    await queueMail(trx, {
      to: memberEmail,
      subject: `Your membership payment failed: ${details.project}`.slice(0, 200),
      text:
        `We could not renew your "${details.tier}" membership of ${details.project}. ` +
        'You keep access for 7 days; update your payment method before then to stay a member.\n',
    });
  }
}

/** The handlers of subscription events; a membership's end mails the member a link to rejoin. */
export const membershipEventHandlers = (
  config: Pick<Config, 'publicUrl'>,
): PaymentEventHandlers => ({
  [INVOICE_PAID]: {
    prepare: (event, processor) => feeOfPayment(processor, invoiceSchema.parse(event.data.object)),
    apply: async (trx, event, context, prepared) => {
      const invoice = invoiceSchema.parse(event.data.object);
      if (!invoice.subscription) return;
      const membership = await lockMembershipBySubscription(trx, invoice.subscription);
      if (invoice.billing_reason === 'subscription_create') {
        // The first invoice: the checkout's completion recorded its sale and started the
        // membership; this only moves the period end if it says a later one.
        const end = fromUnix(invoice.period_end);
        if (membership && end && end > membership.current_period_end) {
          await updateMembership(trx, membership.id, { current_period_end: end });
        }
        return;
      }
      if (!membership) {
        // The checkout's own event has not been applied yet: fail, and the retry finds it.
        context.log.warn({ eventId: event.id }, 'renewal before its membership; retried');
        throw new Error(`no membership for subscription ${invoice.subscription} yet`);
      }
      const fee = typeof prepared === 'number' ? prepared : 0;
      await applyRenewal(trx, event.id, madeAt(event), invoice, membership, fee);
    },
  },
  [INVOICE_PAYMENT_FAILED]: {
    apply: async (trx, event) => {
      const invoice = invoiceSchema.parse(event.data.object);
      if (!invoice.subscription) return;
      const membership = await lockMembershipBySubscription(trx, invoice.subscription);
      if (!membership || (membership.status !== 'active' && membership.status !== 'trialing')) {
        return;
      }
      const at = madeAt(event);
      if (!isCurrent(membership, at)) return; // a later renewal already went through
      await updateMembership(trx, membership.id, {
        status: 'past_due',
        past_due_since: new Date(),
        state_event_at: at,
      });
      await mailPaymentFailed(trx, membership);
    },
  },
  [SUBSCRIPTION_UPDATED]: {
    apply: async (trx, event) => {
      const subscription = subscriptionSchema.parse(event.data.object);
      const membership = await lockMembershipBySubscription(trx, subscription.id);
      if (!membership || membership.status === 'ended') return;
      const at = madeAt(event);
      if (!isCurrent(membership, at)) return; // a newer event already set the state
      if (subscription.cancel_at_period_end === true && membership.status !== 'canceled') {
        await updateMembership(trx, membership.id, {
          status: 'canceled',
          cancel_at_period_end: true,
          canceled_at: membership.canceled_at ?? new Date(),
          state_event_at: at,
        });
      } else if (subscription.cancel_at_period_end === false && membership.status === 'canceled') {
        await updateMembership(trx, membership.id, {
          status: 'active',
          cancel_at_period_end: false,
          canceled_at: null,
          state_event_at: at,
        });
      }
    },
  },
  [SUBSCRIPTION_DELETED]: {
    apply: async (trx, event) => {
      const subscription = subscriptionSchema.parse(event.data.object);
      const membership = await lockMembershipBySubscription(trx, subscription.id);
      if (!membership || membership.status === 'ended') return;
      const now = new Date();
      await updateMembership(trx, membership.id, {
        status: 'ended',
        ended_at: now,
        canceled_at: membership.canceled_at ?? now,
      });
      await mailMembershipEnded(trx, config, membership, now);
    },
  },
});
