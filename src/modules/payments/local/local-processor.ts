// The local payment processor: the embedded default and the tests' processor. It keeps its own
// records (checkout sessions, refunds, transfers) in tables a real processor would keep on its
// side, and its hosted checkout page (local-checkout.pages.tsx) sends Stripe-shaped, signed
// events through the job queue to the same webhook receiver Stripe's events reach.
import type { Config } from '../../../config.js';
import type { Db } from '../../../db/database.js';
import { deriveKey, randomToken } from '../../../platform/secrets.js';
import { expireLocalSession } from './local-checkout.service.js';
import { createLocalRefund, refusalReason } from './local-dev.service.js';
import { findLocalConnectAccount, upsertLocalConnectAccount } from './local-connect.repository.js';
import {
  findLocalPaymentAmount,
  insertLocalSession,
  listLocalTransfers,
  recordLocalTransfer,
} from './local-processor.repository.js';
import { cancelLocalSubscription } from './local-subscriptions.service.js';
import {
  TransferRefused,
  type CheckoutExpiry,
  type CheckoutRequest,
  type ConnectRequest,
  type CheckoutSession,
  type PaymentProcessor,
  type RefundRequest,
  type TransferRequest,
} from '../processor.js';

/** A destination the local processor refuses, so payout failures can be exercised. */
export const LOCAL_REFUSED_DESTINATION = 'acct_local_refused';

export function localWebhookSecret(appSecret: string): string {
  return `whsec_${deriveKey(appSecret, 'payments/local-webhook').toString('base64url')}`;
}

/** Stripe-like: 2.9% + 30 minor units, never more than the payment itself. */
export function localProcessorFee(amount: number): number {
  return Math.min(amount, Math.round(amount * 0.029) + 30);
}

export class LocalProcessor implements PaymentProcessor {
  readonly name = 'local' as const;
  readonly webhookSecret: string;

  constructor(
    private readonly db: Db,
    private readonly config: Pick<Config, 'appSecret' | 'publicUrl'>,
  ) {
    this.webhookSecret = localWebhookSecret(config.appSecret);
  }

  async createCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    const sessionId = `cs_local_${randomToken(18)}`;
    await insertLocalSession(this.db, {
      id: sessionId,
      order_id: request.orderId,
      amount: request.amount,
      currency: request.currency,
      description: request.description,
      buyer_email: request.buyerEmail ?? null,
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
      mode: request.subscription ? 'subscription' : 'payment',
      metadata: JSON.stringify({ ...request.metadata, order_id: request.orderId }),
      recurring_interval: request.subscription?.interval ?? null,
      trial_days: request.subscription?.trialDays ?? null,
    });
    return { sessionId, url: new URL(`/pay/local/${sessionId}`, this.config.publicUrl).href };
  }

  async refund(request: RefundRequest): Promise<{ refundId: string }> {
    // Like Stripe, a new refund is also reported by a charge.refunded event (our ledger keys
    // refunds by this id, so the echo of a refund we recorded ourselves changes nothing). It
    // opens its own transaction: the caller holds none (refunds.service.ts), or it runs pinned
    // on the caller's one connection inside a keyed request (a savepoint, no second connection).
    const refundId = await createLocalRefund(this.db, {
      paymentId: request.paymentId,
      orderId: request.orderId,
      amount: request.amount,
      currency: request.currency,
      key: request.idempotencyKey,
    });
    return { refundId };
  }

  async expireCheckout(sessionId: string): Promise<CheckoutExpiry> {
    return expireLocalSession(this.db, sessionId);
  }

  async transfer(request: TransferRequest): Promise<{ transferId: string }> {
    if (request.destination === LOCAL_REFUSED_DESTINATION) {
      throw new TransferRefused('The payout account was closed.');
    }
    const refusal = await refusalReason(this.db, request.destination);
    if (refusal !== undefined) throw new TransferRefused(refusal);
    // The same key answers the transfer it made the first time, never a second one.
    const transferId = await recordLocalTransfer(this.db, {
      id: `tr_local_${randomToken(18)}`,
      idempotency_key: request.idempotencyKey,
      destination: request.destination,
      amount: request.amount,
      currency: request.currency,
    });
    return { transferId };
  }

  async paymentFee(paymentId: string): Promise<number> {
    const amount = await findLocalPaymentAmount(this.db, paymentId);
    return amount === undefined ? 0 : localProcessorFee(amount);
  }

  async cancelSubscription(
    subscriptionId: string,
    options: { atPeriodEnd: boolean },
  ): Promise<void> {
    await cancelLocalSubscription(this.db, subscriptionId, options.atPeriodEnd);
  }

  async connectPayoutAccount(
    request: ConnectRequest,
  ): Promise<{ accountId: string; onboardingUrl: string }> {
    // Like a Connect account: made once, finished on the processor's own page (local-connect).
    const accountId = request.existing ?? `acct_local_${randomToken(18)}`;
    await upsertLocalConnectAccount(this.db, {
      id: accountId,
      creator_id: request.creatorId,
      email: request.email,
      return_url: request.returnUrl,
      refresh_url: request.refreshUrl,
    });
    const onboardingUrl = new URL(`/pay/local/connect/${accountId}`, this.config.publicUrl).href;
    return { accountId, onboardingUrl };
  }

  async payoutAccountReady(accountId: string): Promise<boolean> {
    const account = await findLocalConnectAccount(this.db, accountId);
    // An account made on the spot (PUT /me/payout-account) needs no onboarding.
    return account ? account.completed_at !== null : true;
  }

  async listTransfers(since: Date) {
    const rows = await listLocalTransfers(this.db, since);
    return rows.map((row) => ({
      transferId: row.id,
      idempotencyKey: row.idempotency_key,
      amount: row.amount,
      currency: row.currency.trim(),
    }));
  }
}
