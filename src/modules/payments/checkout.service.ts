// Checkout: validate what is bought and for how much, create the order, and (for a paid item)
// ask the processor for a checkout session outside the transaction (no processor call while a
// transaction is open). Free items are paid at once with no processor and no ledger sale.
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { MAX_PRICE } from '../catalog/pricing.js';
import type { PaymentProcessor } from './processor.js';
import { runOrderPaidHooks } from './apply-event.js';
import type { OrderPaidHook } from './payment-event-handlers.js';
import type { CheckoutInput, OrderJson } from './payments.schemas.js';
import {
  findPurchasableItem,
  insertOrder,
  setOrderSession,
  markOrderFailed,
  type OrderRow,
  type PurchasableItem,
} from './payments.repository.js';

export interface PaymentsDeps {
  db: Db;
  config: Readonly<Config>;
  /** undefined while the configured processor has no implementation (PAYMENTS=stripe) */
  processor: PaymentProcessor | undefined;
  /** run in the transaction that makes an order paid (free claims too) */
  onOrderPaid: readonly OrderPaidHook[];
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
    created_at: order.created_at.toISOString(),
    paid_at: order.paid_at?.toISOString() ?? null,
  };
}

const invalid = (code: string, field: string, message: string) =>
  new AppError(code, 422, message, { fields: { [field]: message } });

/** What this buyer pays for this item, or a 422 saying why not. */
export function chargeFor(item: PurchasableItem, amount: number | undefined): number {
  switch (item.price_model) {
    case 'free':
      return 0;
    case 'members':
      throw invalid('MEMBERS_ONLY', 'item_id', 'This item comes with a membership.');
    case 'fixed':
      return item.price_amount ?? 0;
    case 'pwyw': {
      const minimum = item.price_minimum ?? 0;
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
  const item = await findPurchasableItem(deps.db, itemId);
  // Drafts and work of inactive creators are not for sale, and not admitted to exist.
  if (!item || item.status === 'draft' || item.creator_status !== 'active') throw notFound('item');
  return item;
}

export async function startCheckout(
  deps: PaymentsDeps,
  principal: Principal | undefined,
  input: CheckoutInput,
): Promise<{ order: OrderJson; checkout_url: string | null }> {
  if (principal && !principal.scopes.includes('write')) {
    throw new AppError('INSUFFICIENT_SCOPE', 403, 'This token lacks the "write" scope.');
  }
  const item = await loadPurchasable(deps, input.item_id);
  const amount = chargeFor(item, input.amount);
  const email = input.email ?? null;
  if (!principal && email === null) {
    throw invalid('EMAIL_REQUIRED', 'email', 'Enter your email: the purchase is sent to it.');
  }
  const currency = item.currency.trim();
  const base = { item_id: item.id, creator_id: item.creator_id, amount, currency };
  const buyer = { buyer_id: principal?.user.id ?? null, buyer_email: email };
  if (amount === 0) {
    const order = await deps.db.transaction().execute(async (trx) => {
      const paid = await insertOrder(trx, {
        ...base,
        ...buyer,
        processor: 'none',
        status: 'paid',
        paid_at: new Date(),
      });
      await runOrderPaidHooks(deps.onOrderPaid, trx, { order: paid, subscriptionId: null });
      return paid;
    });
    return { order: toOrderJson(order), checkout_url: null };
  }
  const processor = deps.processor;
  if (!processor) {
    throw new AppError('PAYMENTS_UNAVAILABLE', 503, 'Payments are not available right now.', {
      retryAfter: 300,
    });
  }
  const order = await insertOrder(deps.db, { ...base, ...buyer, processor: processor.name });
  const publicUrl = deps.config.publicUrl;
  let session;
  try {
    session = await processor.createCheckout({
      orderId: order.id,
      amount,
      currency,
      description: item.title,
      buyerEmail: email ?? undefined,
      // TODO(receipts slice): a thank-you page with the receipt; the item page until then.
      successUrl: new URL(`/i/${item.id}?order=${order.id}`, publicUrl).href,
      cancelUrl: new URL(`/i/${item.id}`, publicUrl).href,
    });
  } catch (error) {
    await markOrderFailed(deps.db, order.id);
    throw new AppError('PAYMENTS_UNAVAILABLE', 503, 'Payments are not available right now.', {
      retryAfter: 60,
      cause: error,
    });
  }
  await setOrderSession(deps.db, order.id, session.sessionId);
  return {
    order: toOrderJson({ ...order, processor_session_id: session.sessionId }),
    checkout_url: session.url,
  };
}
