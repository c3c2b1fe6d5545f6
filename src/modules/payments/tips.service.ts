// Tips: money for a creator who takes tips, optionally on one of their projects, with an
// optional message. A tip is an order of kind 'tip' through the same placeOrder as items; once
// paid, the apply job records the ledger sale for the creator like any other order. The
// processor sends the fan back to the page they tipped on with ?tipped=<signed order id>, where
// the catalogue asks tipThanksState how the tip stands.
import type { Db } from '../../db/database.js';
import { notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { isUuid } from '../../platform/ids.js';
import { formatPrice } from '../../platform/money/index.js';
import { deriveKey, hmac, safeEqual } from '../../platform/secrets.js';
import type { TipThanksLoader, TipThanksState } from '../catalog/index.js';
import { MAX_PRICE } from '../catalog/index.js';
import { creatorPath, projectPath } from '../catalog/index.js';
import {
  buyerOf,
  invalid,
  placeOrder,
  refuseOtherCurrency,
  requireWriteScope,
  type PaymentsDeps,
} from './checkout.service.js';
import { MIN_TIP, type OrderJson, type TipInput } from './payments.schemas.js';
import { findOrder } from './payments.repository.js';
import { findCreatorProject, findTipCreator, type TipCreator } from './tips.repository.js';

/** The `?tipped=` token: the order id and its signature, so nobody reads others' orders by id. */
export function tipThanksToken(appSecret: string, orderId: string): string {
  const key = deriveKey(appSecret, 'payments/tip-thanks');
  return `${orderId}.${hmac(key, `tip:${orderId}`).slice(0, 22)}`;
}

function verifyTipThanksToken(appSecret: string, token: string): string | undefined {
  const [orderId, signature, extra] = token.split('.');
  if (orderId === undefined || signature === undefined || extra !== undefined) return undefined;
  if (!isUuid(orderId)) return undefined;
  const expected = tipThanksToken(appSecret, orderId).split('.')[1] ?? '';
  return safeEqual(signature, expected) ? orderId : undefined;
}

/**
 * How the tip a token names stands, if it is a tip to this creator: pending until the
 * processor's event is applied, then received (paid) or failed; refunded ones get no thanks.
 */
export async function tipThanksState(
  deps: { db: Db; config: { appSecret: string } },
  creatorId: string,
  token: string,
): Promise<TipThanksState | undefined> {
  const orderId = verifyTipThanksToken(deps.config.appSecret, token);
  const order = orderId ? await findOrder(deps.db, orderId) : undefined;
  if (order?.kind !== 'tip' || order.creator_id !== creatorId) return undefined;
  switch (order.status) {
    case 'pending':
      return 'confirming';
    case 'paid':
    case 'partially_refunded':
      return 'received';
    case 'failed':
      return 'failed';
    case 'refunded':
    case 'disputed':
      return undefined;
  }
}

/** The catalogue's TipThanksLoader: the thanks on creator and project pages ask it. */
export function createTipThanksLoader(db: Db, config: { appSecret: string }): TipThanksLoader {
  return (creatorId, token) => tipThanksState({ db, config }, creatorId, token);
}

/** An active creator who takes tips; anyone else is not found (404). */
export async function loadTipCreator(deps: PaymentsDeps, handle: string): Promise<TipCreator> {
  const creator = await findTipCreator(deps.db, handle);
  if (!creator?.tips_enabled) throw notFound('creator');
  return creator;
}

export async function startTip(
  deps: PaymentsDeps,
  principal: Principal | undefined,
  input: TipInput,
): Promise<{ order: OrderJson; checkout_url: string | null }> {
  requireWriteScope(principal);
  const creator = await loadTipCreator(deps, input.creator);
  const project = input.project_id
    ? await findCreatorProject(deps.db, creator.id, input.project_id)
    : undefined;
  if (input.project_id && !project) {
    throw invalid('PROJECT_NOT_FOUND', 'project_id', 'Choose one of the creator’s projects.');
  }
  const currency = creator.currency.trim();
  refuseOtherCurrency(input.currency, currency, 'Tips to this creator are');
  if (input.amount < MIN_TIP) {
    throw invalid('AMOUNT_TOO_SMALL', 'amount', `Tip at least ${formatPrice(MIN_TIP, currency)}.`);
  }
  if (input.amount > MAX_PRICE) {
    throw invalid('AMOUNT_TOO_LARGE', 'amount', 'That amount is larger than we accept.');
  }
  const buyer = buyerOf(principal, input.email, 'Enter your email: the receipt is sent to it.');
  const back = project ? projectPath(creator.handle, project.slug) : creatorPath(creator.handle);
  return placeOrder(deps, {
    order: {
      kind: 'tip',
      item_id: null,
      project_id: project?.id ?? null,
      creator_id: creator.id,
      currency,
      message: input.message || null,
      ...buyer,
    },
    price: () => Promise.resolve(input.amount),
    checkout: {
      description: `Tip for ${creator.display_name}`,
      successPath: (orderId) =>
        `${back}?${new URLSearchParams({ tipped: tipThanksToken(deps.config.appSecret, orderId) }).toString()}`,
      cancelPath: back,
    },
  });
}
