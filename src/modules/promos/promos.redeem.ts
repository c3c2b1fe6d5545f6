// Redeeming a code for one order, inside the transaction that inserts the order. The code's row
// is locked (SELECT … FOR UPDATE) before its uses are counted, so concurrent checkouts queue on
// it and the usage limit holds; a use is an order that did not fail.
import type { Trx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import {
  countUses,
  insertRedemption,
  lockPromoByCode,
  type PromoRow,
} from './promos.repository.js';
import { promoCodeText } from './promos.schemas.js';

export interface PromoTarget {
  creatorId: string;
  /** the item's or the tier's project */
  projectId: string | null;
  itemId: string | null;
  tierId: string | null;
  /** minor units: the price before the code */
  amount: number;
  currency: string;
  orderId: string;
}

export interface Redemption {
  promoId: string;
  /** what is left to pay (never below 0) */
  amount: number;
  discount: number;
  /** a trial code's days (tiers only) */
  trialDays: number | null;
}

export type PromoErrorCode =
  | 'PROMO_INVALID'
  | 'PROMO_NOT_STARTED'
  | 'PROMO_EXPIRED'
  | 'PROMO_USED_UP'
  | 'PROMO_NOT_APPLICABLE';

const MESSAGES: Record<PromoErrorCode, string> = {
  PROMO_INVALID: 'That code does not exist.',
  PROMO_NOT_STARTED: 'That code is not valid yet.',
  PROMO_EXPIRED: 'That code has expired.',
  PROMO_USED_UP: 'That code has been used up.',
  PROMO_NOT_APPLICABLE: 'That code does not apply to this.',
};

export const promoError = (code: PromoErrorCode): AppError =>
  new AppError(code, 422, MESSAGES[code], { fields: { promo_code: MESSAGES[code] } });

/** Whether the code's scope and kind cover what is bought. */
export function appliesTo(promo: PromoRow, target: PromoTarget): boolean {
  if (promo.kind === 'trial' && target.tierId === null) return false;
  if (promo.kind === 'fixed' && promo.currency?.trim() !== target.currency.trim()) return false;
  switch (promo.scope) {
    case 'all':
      return target.itemId !== null;
    case 'project':
      return target.projectId !== null && target.projectId === promo.project_id;
    case 'item':
      return target.itemId !== null && target.itemId === promo.item_id;
    case 'tier':
      return target.tierId !== null && target.tierId === promo.tier_id;
  }
}

/** What the code takes off this amount: never more than the amount. */
export function discountFor(promo: PromoRow, amount: number): number {
  switch (promo.kind) {
    case 'percent':
      return Math.min(amount, Math.round((amount * (promo.percent_off ?? 0)) / 100));
    case 'fixed':
      return Math.min(amount, promo.amount_off ?? 0);
    case 'free':
      return amount;
    case 'trial':
      return 0;
  }
}

/** redeemPromo, also telling which kind of code it was (a free code frees a PWYW order). */
export async function redeemPromoCode(
  trx: Trx,
  code: string,
  target: PromoTarget,
): Promise<Redemption & { kind: PromoRow['kind'] }> {
  const parsed = promoCodeText.safeParse(code);
  if (!parsed.success) throw promoError('PROMO_INVALID');
  // Another creator's code is looked up under this creator, so it simply does not exist here.
  const promo = await lockPromoByCode(trx, target.creatorId, parsed.data);
  if (!promo?.active) throw promoError('PROMO_INVALID');
  const now = Date.now();
  if (promo.starts_at && promo.starts_at.getTime() > now) throw promoError('PROMO_NOT_STARTED');
  if (promo.ends_at && promo.ends_at.getTime() <= now) throw promoError('PROMO_EXPIRED');
  if (!appliesTo(promo, target)) throw promoError('PROMO_NOT_APPLICABLE');
  if (promo.max_redemptions !== null && (await countUses(trx, promo.id)) >= promo.max_redemptions) {
    throw promoError('PROMO_USED_UP');
  }
  const discount = discountFor(promo, target.amount);
  await insertRedemption(trx, {
    promo_code_id: promo.id,
    order_id: target.orderId,
    amount_before: target.amount,
    discount,
  });
  return {
    promoId: promo.id,
    amount: target.amount - discount,
    discount,
    trialDays: promo.trial_days,
    kind: promo.kind,
  };
}

export async function redeemPromo(
  trx: Trx,
  code: string,
  target: PromoTarget,
): Promise<Redemption> {
  const { promoId, amount, discount, trialDays } = await redeemPromoCode(trx, code, target);
  return { promoId, amount, discount, trialDays };
}
