// Joining a tier: the order for the first period (0 with a trial code), then the processor's
// subscription checkout, asked for outside any transaction (no processor call while one is
// open). The membership itself starts when the order is paid (membership-events.ts).
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { purchaseLink, type PaymentProcessor } from '../payments/index.js';
import { openCheckout } from '../payments/index.js';
import { insertOrder } from '../payments/index.js';
import type { OrderJson } from '../payments/index.js';
import { redeemPromo } from '../promos/index.js';
import {
  hasAccess,
  insertMembershipOrder,
  lockMembershipOfFan,
  setOrderAmount,
} from './memberships.repository.js';
import type { SubscribeInput } from './memberships.schemas.js';
import { findProjectForTiers, findTier } from './tiers.repository.js';
import { isUuid } from '../../platform/ids.js';

export interface MembershipsDeps {
  db: Db;
  config: Readonly<Config>;
  /** undefined while the configured processor has no implementation */
  processor: PaymentProcessor | undefined;
}

const invalid = (code: string, field: string, message: string) =>
  new AppError(code, 422, message, { fields: { [field]: message } });

const unavailable = (retryAfter: number, cause?: unknown) =>
  new AppError('PAYMENTS_UNAVAILABLE', 503, 'Payments are not available right now.', {
    retryAfter,
    cause,
  });

/** The active tier and its live project, or 404. */
export async function loadJoinableTier(db: Db, tierId: string) {
  const tier = isUuid(tierId) ? await findTier(db, tierId) : undefined;
  const project = tier && (await findProjectForTiers(db, tier.project_id));
  if (!tier || !project || tier.status !== 'active' || project.creator_status !== 'active') {
    throw notFound('tier');
  }
  return { tier, project };
}

export async function subscribe(
  deps: MembershipsDeps,
  principal: Principal | undefined,
  input: SubscribeInput,
): Promise<{ order: OrderJson; checkout_url: string }> {
  if (principal && !principal.scopes.includes('write')) {
    throw new AppError('INSUFFICIENT_SCOPE', 403, 'This token lacks the "write" scope.');
  }
  const { tier, project } = await loadJoinableTier(deps.db, input.tier_id);
  const price = input.interval === 'month' ? tier.monthly_price : tier.yearly_price;
  if (price === null) {
    throw invalid('INTERVAL_NOT_OFFERED', 'interval', 'This tier has no such billing option.');
  }
  const email = input.email ?? null;
  if (!principal && email === null) {
    throw invalid('EMAIL_REQUIRED', 'email', 'Enter your email: the membership is sent to it.');
  }
  const processor = deps.processor;
  if (!processor) throw unavailable(300);
  const fan = { memberId: principal?.user.id ?? null, email };
  const currency = tier.currency.trim();
  const { order, trialDays } = await deps.db.transaction().execute(async (trx) => {
    const current = await lockMembershipOfFan(trx, project.id, fan);
    if (current && principal && hasAccess(current)) {
      throw new AppError('ALREADY_MEMBER', 409, 'You are a member of this project already.');
    }
    let created = await insertOrder(trx, {
      kind: 'membership',
      item_id: null,
      project_id: project.id,
      creator_id: project.creator_id,
      amount: price,
      currency,
      buyer_id: fan.memberId,
      buyer_email: email,
      processor: processor.name,
    });
    let trial: number | null = null;
    if (input.promo_code !== undefined) {
      const redemption = await redeemPromo(trx, input.promo_code, {
        creatorId: project.creator_id,
        projectId: project.id,
        itemId: null,
        tierId: tier.id,
        amount: price,
        currency,
        orderId: created.id,
      });
      trial = redemption.trialDays;
      // a trial collects nothing now; a discount applies to the first period
      const first = trial !== null ? 0 : redemption.amount;
      if (first !== price) created = await setOrderAmount(trx, created.id, first);
    }
    await insertMembershipOrder(trx, {
      order_id: created.id,
      tier_id: tier.id,
      interval: input.interval,
      trial_days: trial,
    });
    return { order: created, trialDays: trial };
  });
  const publicUrl = deps.config.publicUrl;
  const membershipPage = `/@${project.handle}/${project.slug}/membership`;
  return openCheckout(deps, processor, order, {
    description: `${tier.name}: ${project.title} membership (${input.interval === 'month' ? 'monthly' : 'yearly'})`,
    buyerEmail: email ?? principal?.user.email,
    // a member with an account lands on their memberships; a guest on the thank-you page,
    // which needs no account
    successUrl: principal
      ? new URL(`/library/memberships?order=${order.id}`, publicUrl).href
      : purchaseLink(deps.config, order.id),
    cancelUrl: new URL(membershipPage, publicUrl).href,
    subscription: {
      interval: input.interval,
      ...(trialDays !== null && { trialDays }),
    },
    // the recurring price, for a processor that learns it from the checkout (local)
    metadata: { tier_id: tier.id, interval: input.interval, recurring_amount: String(price) },
  });
}
