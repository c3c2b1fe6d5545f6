// Checkout: validate what is bought and for how much, create the order, and (for a paid order)
// ask the processor for a checkout session outside the transaction (no processor call while a
// transaction is open). Items and tips share placeOrder; an order that costs nothing (a free
// item, a code that takes everything off) is paid at once with no processor and no ledger sale.
import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Db, Trx } from '../../db/database.js';
import type { OrderKind } from '../../db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { RateLimiter } from '../../platform/http/rate-limit.js';
import { isUuid } from '../../platform/ids.js';
import { MAX_PRICE } from '../catalog/index.js';
import { redeemPromoCode } from '../promos/index.js';
import type { CheckoutRequest, PaymentProcessor } from './processor.js';
import { runOrderPaidHooks } from './apply-event.js';
import { claimToken } from './receipts.js';
import type { OrderPaidHook, OrderReversedHook } from './payment-event-handlers.js';
import type { CheckoutInput, OrderJson } from './payments.schemas.js';
import { CHECKOUT_LIMITS } from './payments.rate-limits.js';
import {
  findPurchasableItem,
  insertOrder,
  setOrderSession,
  markOrderFailed,
  type OrderRow,
  type PurchasableItem,
} from './payments.repository.js';
import { findItemProjectId } from './tips.repository.js';

export interface PaymentsDeps {
  db: Db;
  config: Readonly<Config>;
  /** undefined while the configured processor has no implementation (PAYMENTS=stripe) */
  processor: PaymentProcessor | undefined;
  /** run in the transaction that makes an order paid (free claims too) */
  onOrderPaid: readonly OrderPaidHook[];
  /** run in the transaction that records an order's money gone back for good */
  onOrderReversed: readonly OrderReversedHook[];
}

export function toOrderJson(order: OrderRow): OrderJson {
  return {
    id: order.id,
    kind: order.kind,
    item_id: order.item_id,
    project_id: order.project_id,
    status: order.status,
    amount: order.amount,
    currency: order.currency.trim(),
    refunded_amount: order.refunded_amount,
    message: order.message,
    created_at: order.created_at.toISOString(),
    paid_at: order.paid_at?.toISOString() ?? null,
  };
}

export const invalid = (code: string, field: string, message: string) =>
  new AppError(code, 422, message, { fields: { [field]: message } });

/** A currency the caller stated must be the one charged: 422 CURRENCY_MISMATCH otherwise. */
export function refuseOtherCurrency(stated: string | undefined, charged: string, what: string) {
  if (stated !== undefined && stated !== charged) {
    throw invalid('CURRENCY_MISMATCH', 'currency', `${what} in ${charged}.`);
  }
}

const unavailable = (retryAfter: number, cause?: unknown) =>
  new AppError('PAYMENTS_UNAVAILABLE', 503, 'Payments are not available right now.', {
    retryAfter,
    cause,
  });

/**
 * What this buyer pays for this item, or a 422 saying why not. `minimum` replaces a PWYW item's
 * minimum (a promo code lowers it).
 */
export function chargeFor(
  item: PurchasableItem,
  amount: number | undefined,
  minimum = item.price_minimum ?? 0,
): number {
  switch (item.price_model) {
    case 'free':
      return 0;
    case 'members':
      throw invalid('MEMBERS_ONLY', 'item_id', 'This item comes with a membership.');
    case 'fixed':
      return item.price_amount ?? 0;
    case 'pwyw': {
      const chosen = amount ?? item.price_suggested ?? minimum;
      if (chosen < minimum) {
        throw invalid('AMOUNT_BELOW_MINIMUM', 'amount', 'Pay at least the minimum amount.');
      }
      if (chosen > MAX_PRICE) {
        throw invalid('AMOUNT_TOO_LARGE', 'amount', 'That amount is larger than we accept.');
      }
      return chosen;
    }
  }
}

export async function loadPurchasable(
  deps: PaymentsDeps,
  itemId: string,
): Promise<PurchasableItem> {
  if (!isUuid(itemId)) throw notFound('item'); // a made-up address, not a database error
  const item = await findPurchasableItem(deps.db, itemId);
  // Drafts and work of inactive creators are not for sale, and not admitted to exist.
  if (!item || item.status === 'draft' || item.creator_status !== 'active') throw notFound('item');
  return item;
}

/** The order's fields that do not depend on its price. */
export interface NewOrder {
  kind: OrderKind;
  item_id: string | null;
  project_id: string | null;
  creator_id: string;
  currency: string;
  message: string | null;
  buyer_id: string | null;
  buyer_email: string | null;
}

export interface OrderPlan {
  order: NewOrder;
  /** what to pay, decided in the transaction that inserts the order (a promo code redeems there) */
  price: (trx: Trx, orderId: string) => Promise<number>;
  /** the processor's page: what it says, and where it sends the buyer back to */
  checkout: { description: string; successPath: (orderId: string) => string; cancelPath: string };
  /** where a receipt would go to an address nobody has confirmed, and who asks for it */
  unconfirmedMail?: UnconfirmedMail;
}

/** Who asks, as rate limits see them (request.ip: the forwarded client behind a local proxy). */
export interface Client {
  ip: string;
}

export interface UnconfirmedMail {
  to: string;
  client: Client;
}

/** A guest's address, or a signed-in buyer's while they have not verified it. */
export function unconfirmedMailOf(
  principal: Principal | undefined,
  email: string | undefined,
  client: Client,
): UnconfirmedMail | undefined {
  const to = principal ? (principal.user.emailVerified ? undefined : principal.user.email) : email;
  return to === undefined ? undefined : { to, client };
}

/** One key per mailbox: case and a +tag do not make another recipient. */
const recipientKey = (email: string) =>
  email
    .trim()
    .toLowerCase()
    .replace(/\+[^@]*(?=@)/, '');

/**
 * A free claim is paid at once and its receipt mailed in the same transaction. Mailed to an
 * address nobody confirmed, that would let anyone make us mail anyone: such claims are counted
 * per recipient and per client in the order's transaction (a refused or failed claim counts
 * nothing) and refused with 429 over either limit, before anything is made or mailed.
 */
async function limitUnconfirmedMail(trx: Trx, mail: UnconfirmedMail): Promise<void> {
  const limiter = new RateLimiter(trx);
  const checks = [
    {
      rule: CHECKOUT_LIMITS.unconfirmedFreeClaimsPerAddress,
      subject: recipientKey(mail.to),
      field: 'email',
      why: 'We have sent many free items to this email address today.',
    },
    {
      rule: CHECKOUT_LIMITS.unconfirmedFreeClaimsPerIp,
      subject: mail.client.ip,
      field: 'form',
      why: 'Many free items have been claimed from your connection in the last hour.',
    },
  ];
  for (const { rule, subject, field, why } of checks) {
    const { allowed, resetAt } = await limiter.hit(rule, subject);
    if (allowed) continue;
    const retryAfter = Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 1000));
    const message = `${why} Try again later, or sign in with a confirmed email address.`;
    throw new AppError('RATE_LIMITED', 429, message, { retryAfter, fields: { [field]: message } });
  }
}

/** A token must carry "write" to order anything. */
export function requireWriteScope(principal: Principal | undefined): void {
  if (principal && !principal.scopes.includes('write')) {
    throw new AppError('INSUFFICIENT_SCOPE', 403, 'This token lacks the "write" scope.');
  }
}

/** Who orders: the signed-in user, or a guest by email (required: the receipt goes there). */
export function buyerOf(
  principal: Principal | undefined,
  email: string | undefined,
  why: string,
): { buyer_id: string | null; buyer_email: string | null } {
  if (!principal && email === undefined) throw invalid('EMAIL_REQUIRED', 'email', why);
  return { buyer_id: principal?.user.id ?? null, buyer_email: email ?? null };
}

/**
 * Inserts the order (paid at once when it costs nothing) and, for a paid one, opens the
 * processor's checkout after the transaction commits. A processor failure fails the order,
 * which also gives back any promo code use.
 */
export async function placeOrder(
  deps: PaymentsDeps,
  plan: OrderPlan,
): Promise<{ order: OrderJson; checkout_url: string | null }> {
  const id = randomUUID();
  const processor = deps.processor;
  const order = await deps.db.transaction().execute(async (trx) => {
    const amount = await plan.price(trx, id);
    if (amount === 0) {
      if (plan.unconfirmedMail) await limitUnconfirmedMail(trx, plan.unconfirmedMail);
      const paid = await insertOrder(trx, {
        ...plan.order,
        id,
        amount,
        processor: 'none',
        status: 'paid',
        paid_at: new Date(),
        processor_fee: 0,
      });
      await runOrderPaidHooks(deps.onOrderPaid, trx, { order: paid, subscriptionId: null });
      return paid;
    }
    if (!processor) throw unavailable(300);
    return insertOrder(trx, { ...plan.order, id, amount, processor: processor.name });
  });
  if (order.status === 'paid' || !processor)
    return { order: toOrderJson(order), checkout_url: null };
  const publicUrl = deps.config.publicUrl;
  return openCheckout(deps, processor, order, {
    description: plan.checkout.description,
    buyerEmail: order.buyer_email ?? undefined,
    successUrl: new URL(plan.checkout.successPath(order.id), publicUrl).href,
    cancelUrl: new URL(plan.checkout.cancelPath, publicUrl).href,
  });
}

/**
 * Opens the processor's checkout for a pending order, after the transaction that made it
 * committed (no processor call inside a transaction). A processor failure fails the order —
 * which also gives back any promo code use — and answers 503.
 */
export async function openCheckout(
  deps: Pick<PaymentsDeps, 'db'>,
  processor: PaymentProcessor,
  order: OrderRow,
  request: Omit<CheckoutRequest, 'orderId' | 'amount' | 'currency'>,
): Promise<{ order: OrderJson; checkout_url: string }> {
  let session;
  try {
    session = await processor.createCheckout({
      ...request,
      orderId: order.id,
      amount: order.amount,
      currency: order.currency.trim(),
    });
  } catch (error) {
    await markOrderFailed(deps.db, order.id, 'processor_unavailable');
    throw unavailable(60, error);
  }
  await setOrderSession(deps.db, order.id, session.sessionId);
  return {
    order: toOrderJson({ ...order, processor_session_id: session.sessionId }),
    checkout_url: session.url,
  };
}

/**
 * What an item costs with a promo code, in the order's transaction. A fixed-price item costs its
 * price less the code's discount. For pay-what-you-want the code lowers the minimum (the buyer
 * still pays the amount they chose, at least the lowered minimum; without a chosen amount, the
 * lowered minimum); a free code makes any item free.
 */
async function priceWithCode(
  trx: Trx,
  item: PurchasableItem,
  input: CheckoutInput,
  code: string,
  orderId: string,
): Promise<number> {
  chargeFor(item, undefined); // members-only items refuse before a code is spent
  const pwyw = item.price_model === 'pwyw';
  const before = pwyw ? (item.price_minimum ?? 0) : chargeFor(item, undefined);
  const redemption = await redeemPromoCode(trx, code, {
    creatorId: item.creator_id,
    projectId: await findItemProjectId(trx, item.id),
    itemId: item.id,
    tierId: null,
    amount: before,
    currency: item.currency.trim(),
    orderId,
  });
  if (redemption.kind === 'free') return 0;
  if (!pwyw) return redemption.amount;
  return chargeFor(item, input.amount ?? redemption.amount, redemption.amount);
}

export async function startCheckout(
  deps: PaymentsDeps,
  principal: Principal | undefined,
  input: CheckoutInput,
  client: Client,
): Promise<{ order: OrderJson; checkout_url: string | null }> {
  requireWriteScope(principal);
  const item = await loadPurchasable(deps, input.item_id);
  refuseOtherCurrency(input.currency, item.currency.trim(), 'This item is priced');
  // A free item has nothing to take off: a code is not spent on it.
  const code = item.price_model === 'free' ? undefined : input.promo_code || undefined;
  // Without a code the price is checked before any transaction opens.
  const amount = code === undefined ? chargeFor(item, input.amount) : undefined;
  const buyer = buyerOf(principal, input.email, 'Enter your email: the purchase is sent to it.');
  return placeOrder(deps, {
    order: {
      kind: 'item',
      item_id: item.id,
      project_id: null,
      creator_id: item.creator_id,
      currency: item.currency.trim(),
      message: null,
      ...buyer,
    },
    price: async (trx, orderId) =>
      code === undefined ? (amount ?? 0) : priceWithCode(trx, item, input, code, orderId),
    checkout: {
      description: item.title,
      // The thank-you page: confirms the payment, and lets a guest keep it in an account.
      successPath: (orderId) => `/claim/${claimToken(deps.config.appSecret, orderId)}`,
      cancelPath: `/i/${item.id}`,
    },
    unconfirmedMail: unconfirmedMailOf(principal, input.email, client),
  });
}
