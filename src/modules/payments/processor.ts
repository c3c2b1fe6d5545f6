// The payment processor interface. Two implementations: `local` (the embedded default and the
// tests: a hosted checkout page under /pay/local/ that signs Stripe-shaped events and delivers
// them through the job queue) and `stripe` (the official SDK). Everything else in the app talks
// to this interface, and learns what happened only from webhook events.

export interface CheckoutRequest {
  orderId: string;
  /** integer minor units */
  amount: number;
  currency: string;
  /** what the buyer sees on the processor's page */
  description: string;
  buyerEmail?: string | undefined;
  successUrl: string;
  cancelUrl: string;
  /** echoed back in the session's events beside order_id (string values, as Stripe keeps them) */
  metadata?: Record<string, string> | undefined;
  /** a recurring subscription (memberships) instead of a one-off payment */
  subscription?: SubscriptionCheckout | undefined;
}

export interface SubscriptionCheckout {
  interval: 'month' | 'year';
  /** days before the first charge; the checkout then collects 0 */
  trialDays?: number | undefined;
}

export interface CheckoutSession {
  /** the processor's id for the session (Stripe: cs_…) */
  sessionId: string;
  /** where to send the buyer */
  url: string;
}

export interface RefundRequest {
  orderId: string;
  /** the processor's payment id the refund is against (Stripe: pi_…) */
  paymentId: string;
  amount: number;
  currency: string;
  /** the same key for a retry of the same refund */
  idempotencyKey: string;
}

export interface TransferRequest {
  payoutId: string;
  /** deterministic: `payout:<id>`, so a retried job never sends a second transfer */
  idempotencyKey: string;
  /** the creator's connected payout account (Stripe: acct_…) */
  destination: string;
  amount: number;
  currency: string;
}

export interface ConnectRequest {
  creatorId: string;
  email: string;
  /** an account made before for this creator, to send them back to its onboarding */
  existing?: string | undefined;
  /** where the processor sends the creator when onboarding is done, or must restart */
  returnUrl: string;
  refreshUrl: string;
}

/** The processor refused a transfer for a reason a creator can act on. */
export class TransferRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TransferRefused';
  }
}

/**
 * The processor refused a refund for good (the payment is refunded or disputed already, the
 * amount is more than is left): asking again with the same key would be refused again.
 */
export class RefundRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RefundRefused';
  }
}

/** What became of a checkout session we asked the processor to expire. */
export type CheckoutExpiry = 'expired' | 'complete';

export interface PaymentProcessor {
  readonly name: 'local' | 'stripe';
  /** the secret webhook events from this processor are signed with */
  readonly webhookSecret: string;
  createCheckout(request: CheckoutRequest): Promise<CheckoutSession>;
  /**
   * Refunds (part of) a payment; the same key answers the same refund. Throws RefundRefused for
   * a refusal, anything else (an outage) to be asked again under the same key.
   */
  refund(request: RefundRequest): Promise<{ refundId: string }>;
  /**
   * Ends an unpaid checkout session so it can no longer be paid (Stripe: expire). 'complete'
   * when it was paid or declined first: its event is on its way.
   */
  expireCheckout(sessionId: string): Promise<CheckoutExpiry>;
  /** sends money to a creator; throws TransferRefused for a refusal, anything else to retry */
  transfer(request: TransferRequest): Promise<{ transferId: string }>;
  /**
   * The processor's fee on a payment in minor units, for events that do not carry it (Stripe
   * keeps it on the charge's balance transaction). Called before, never inside, a transaction.
   */
  paymentFee(paymentId: string): Promise<number>;
  /** ends a subscription now, or at the end of the period already paid for */
  cancelSubscription(subscriptionId: string, options: { atPeriodEnd: boolean }): Promise<void>;
  /**
   * A payout account for a creator and the link where they finish setting it up (Stripe:
   * Connect Express account + account link). `existing` re-links an account made before.
   */
  connectPayoutAccount(
    request: ConnectRequest,
  ): Promise<{ accountId: string; onboardingUrl: string }>;
  /** whether the account may receive transfers yet (onboarding finished) */
  payoutAccountReady(accountId: string): Promise<boolean>;
  /** the transfers the processor has made, for reconciliation with the ledger */
  listTransfers(
    since: Date,
  ): Promise<{ transferId: string; idempotencyKey: string; amount: number; currency: string }[]>;
}
