// The Stripe-shaped events both processors send (API.md): `{id, type, created, data: {object}}`.
// Only the fields we act on are parsed; everything else is kept in payment_events.payload.
import { z } from 'zod';

export const CHECKOUT_COMPLETED = 'checkout.session.completed';
export const CHECKOUT_FAILED = 'checkout.session.async_payment_failed';
export const CHARGE_REFUNDED = 'charge.refunded';
export const DISPUTE_CREATED = 'charge.dispute.created';
export const DISPUTE_CLOSED = 'charge.dispute.closed';

/** What makes an event an event: checked before it is stored. */
export const eventEnvelopeSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(200),
  created: z.number().int().optional(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** A checkout session, as checkout.session.* events carry it. */
export const checkoutSessionSchema = z.object({
  id: z.string().min(1),
  payment_intent: z.string().min(1).nullish(),
  amount_total: z.number().int().nonnegative(),
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
  metadata: z.looseObject({ order_id: z.uuid() }),
  customer_details: z.object({ email: z.string().nullish() }).nullish(),
  mode: z.enum(['payment', 'subscription']).optional(),
  /** the subscription a subscription-mode checkout started */
  subscription: z.string().min(1).nullish(),
  /** the processor's fee in minor units (the local processor sends it; for Stripe it is asked) */
  fee: z.number().int().nonnegative().optional(),
});
export type CheckoutSessionObject = z.infer<typeof checkoutSessionSchema>;
