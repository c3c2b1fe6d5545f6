// The Stripe processor, through the official SDK: Checkout for payments and subscriptions,
// refunds, Connect Express accounts for creators, and transfers to them (separate charges and
// transfers: each charge carries the transfer group `order:<id>`, each payout one transfer under
// `payout:<id>`). Every call that creates something sends an idempotency key, so the SDK's own
// retries and our job retries never create a second object. Events reach us by webhook only.
import Stripe from 'stripe';
import type { Config } from '../../../config.js';
import {
  RefundRefused,
  TransferRefused,
  type CheckoutExpiry,
  type CheckoutRequest,
  type CheckoutSession,
  type ConnectRequest,
  type PaymentProcessor,
  type RefundRequest,
  type TransferRequest,
} from '../processor.js';

type StripeSettings = NonNullable<Config['stripe']>;

/** SDK options that send every request to `apiBase` (a test server) instead of Stripe. */
function addressOf(
  apiBase: string | undefined,
): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (apiBase === undefined) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname,
    port: url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port),
    protocol,
  };
}

/** Refusals a creator can act on, by Stripe error code, in words for them. */
const REFUSALS: Record<string, string> = {
  insufficient_capabilities_for_transfer:
    'Your payout account cannot receive transfers yet: finish setting it up from your dashboard.',
  transfers_not_allowed:
    'Your payout account does not accept transfers right now: check it with Stripe.',
  account_invalid: 'Your payout account was closed or cannot be found: connect it again.',
  resource_missing: 'Your payout account was closed or cannot be found: connect it again.',
};

/**
 * A transfer refused because of the destination account (closed, not onboarded, lacking the
 * transfers capability) is the creator's to fix; anything else (network, Stripe's 5xx, our
 * platform balance) is retried by the job queue.
 */
export function refusalOf(error: unknown): string | undefined {
  if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) return undefined;
  const known = error.code === undefined ? undefined : REFUSALS[error.code];
  if (known !== undefined) return known;
  if (error.param === 'destination') {
    return 'Your payout account refused the transfer: check it from your dashboard.';
  }
  return undefined;
}

export class StripeProcessor implements PaymentProcessor {
  readonly name = 'stripe' as const;
  readonly webhookSecret: string;
  private readonly stripe: Stripe;

  constructor(settings: StripeSettings) {
    this.webhookSecret = settings.webhookSecret;
    this.stripe = new Stripe(settings.secretKey, {
      ...addressOf(settings.apiBase),
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      appInfo: { name: 'makenot.work' },
    });
  }

  async createCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    const metadata = { ...request.metadata, order_id: request.orderId };
    const product_data = { name: request.description };
    const currency = request.currency.toLowerCase();
    const common = {
      client_reference_id: request.orderId,
      customer_email: request.buyerEmail,
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
      metadata,
    };
    const subscription = request.subscription;
    const params: Stripe.Checkout.SessionCreateParams = subscription
      ? {
          ...common,
          mode: 'subscription',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency,
                unit_amount: request.amount,
                product_data,
                recurring: { interval: subscription.interval },
              },
            },
          ],
          subscription_data: {
            metadata,
            ...(subscription.trialDays ? { trial_period_days: subscription.trialDays } : {}),
          },
        }
      : {
          ...common,
          mode: 'payment',
          line_items: [
            { quantity: 1, price_data: { currency, unit_amount: request.amount, product_data } },
          ],
          payment_intent_data: { transfer_group: `order:${request.orderId}`, metadata },
        };
    const session = await this.stripe.checkout.sessions.create(params, {
      idempotencyKey: `checkout:${request.orderId}`,
    });
    if (!session.url) throw new Error(`checkout session ${session.id} has no url`);
    return { sessionId: session.id, url: session.url };
  }

  async refund(request: RefundRequest): Promise<{ refundId: string }> {
    try {
      const refund = await this.stripe.refunds.create(
        {
          payment_intent: request.paymentId,
          amount: request.amount,
          metadata: { order_id: request.orderId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return { refundId: refund.id };
    } catch (error) {
      // a 4xx about the refund itself (already refunded, too large, disputed) is final
      if (error instanceof Stripe.errors.StripeInvalidRequestError) {
        throw new RefundRefused(error.message);
      }
      throw error;
    }
  }

  async expireCheckout(sessionId: string): Promise<CheckoutExpiry> {
    try {
      await this.stripe.checkout.sessions.expire(sessionId);
      return 'expired';
    } catch (error) {
      // Only an open session can be expired: one that is not may have expired by itself
      // (24 hours) or been paid, which its event will tell.
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      const session = await this.stripe.checkout.sessions.retrieve(sessionId);
      if (session.status === 'expired') return 'expired';
      if (session.status === 'complete') return 'complete';
      throw error;
    }
  }

  async transfer(request: TransferRequest): Promise<{ transferId: string }> {
    try {
      const transfer = await this.stripe.transfers.create(
        {
          destination: request.destination,
          amount: request.amount,
          currency: request.currency.toLowerCase(),
          transfer_group: `payout:${request.payoutId}`,
          metadata: { payout_id: request.payoutId },
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return { transferId: transfer.id };
    } catch (error) {
      const reason = refusalOf(error);
      if (reason !== undefined) throw new TransferRefused(reason);
      throw error;
    }
  }

  async paymentFee(paymentId: string): Promise<number> {
    const intent = await this.stripe.paymentIntents.retrieve(paymentId, {
      expand: ['latest_charge.balance_transaction'],
    });
    const charge = intent.latest_charge;
    const balance = typeof charge === 'object' && charge ? charge.balance_transaction : null;
    // Not known yet (an asynchronous payment method): the apply job fails and is retried.
    if (typeof balance !== 'object' || !balance) {
      throw new Error(`payment ${paymentId} has no balance transaction yet`);
    }
    return balance.fee;
  }

  async cancelSubscription(
    subscriptionId: string,
    options: { atPeriodEnd: boolean },
  ): Promise<void> {
    if (options.atPeriodEnd) {
      await this.stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
      return;
    }
    try {
      await this.stripe.subscriptions.cancel(subscriptionId);
    } catch (error) {
      // Canceling twice is refused by Stripe; for us it is done (a retried job, a repeated end).
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
      const subscription = await this.stripe.subscriptions.retrieve(subscriptionId);
      if (subscription.status !== 'canceled') throw error;
    }
  }

  async connectPayoutAccount(
    request: ConnectRequest,
  ): Promise<{ accountId: string; onboardingUrl: string }> {
    const accountId =
      request.existing ??
      (
        await this.stripe.accounts.create(
          {
            type: 'express',
            email: request.email,
            capabilities: { transfers: { requested: true } },
            metadata: { creator_id: request.creatorId },
          },
          { idempotencyKey: `connect:${request.creatorId}` },
        )
      ).id;
    const link = await this.stripe.accountLinks.create({
      account: accountId,
      type: 'account_onboarding',
      return_url: request.returnUrl,
      refresh_url: request.refreshUrl,
    });
    return { accountId, onboardingUrl: link.url };
  }

  async payoutAccountReady(accountId: string): Promise<boolean> {
    const account = await this.stripe.accounts.retrieve(accountId);
    return account.payouts_enabled && account.details_submitted;
  }

  async listTransfers(since: Date) {
    const transfers = [];
    const list = this.stripe.transfers.list({
      created: { gte: Math.floor(since.getTime() / 1000) },
      limit: 100,
    });
    for await (const transfer of list) {
      const payoutId = transfer.metadata.payout_id;
      transfers.push({
        transferId: transfer.id,
        idempotencyKey: payoutId ? `payout:${payoutId}` : `transfer:${transfer.id}`,
        amount: transfer.amount,
        currency: transfer.currency.toUpperCase(),
      });
    }
    return transfers;
  }
}
