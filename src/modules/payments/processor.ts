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

/** The processor refused a transfer for a reason a creator can act on. */
export class TransferRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TransferRefused';
  }
}

export interface PaymentProcessor {
  readonly name: 'local' | 'stripe';
  /** the secret webhook events from this processor are signed with */
  readonly webhookSecret: string;
  createCheckout(request: CheckoutRequest): Promise<CheckoutSession>;
  refund(request: RefundRequest): Promise<{ refundId: string }>;
  /** sends money to a creator; throws TransferRefused for a refusal, anything else to retry */
  transfer(request: TransferRequest): Promise<{ transferId: string }>;
  /** the transfers the processor has made, for reconciliation with the ledger */
  listTransfers(
    since: Date,
  ): Promise<{ transferId: string; idempotencyKey: string; amount: number; currency: string }[]>;
}
