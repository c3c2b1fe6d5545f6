// Tips: money for a creator who takes tips, optionally on one of their projects, with an
// optional message. A tip is an order of kind 'tip' through the same placeOrder as items; once
// paid, the apply job records the ledger sale for the creator like any other order.
import { notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { MAX_PRICE } from '../catalog/pricing.js';
import { creatorPath, projectPath } from '../catalog/public/urls.js';
import {
  buyerOf,
  invalid,
  placeOrder,
  requireWriteScope,
  type PaymentsDeps,
} from './checkout.service.js';
import { MIN_TIP, type OrderJson, type TipInput } from './payments.schemas.js';
import { findCreatorProject, findTipCreator, type TipCreator } from './tips.repository.js';

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
  if (input.currency !== undefined && input.currency !== currency) {
    throw invalid('CURRENCY_MISMATCH', 'currency', `Tips to this creator are in ${currency}.`);
  }
  if (input.amount < MIN_TIP) {
    throw invalid('AMOUNT_TOO_SMALL', 'amount', 'Tip at least 1.00.');
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
      successPath: () => `${back}?tipped=1`,
      cancelPath: back,
    },
  });
}
