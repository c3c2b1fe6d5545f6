// Managing a creator's promo codes: only the owner sees or changes a code (404 to anyone else);
// a code that was used is deactivated instead of deleted, so past orders keep their record.
import type { Db } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { isUuid } from '../../platform/ids.js';
import {
  countUses,
  deletePromo,
  findCreatorCurrency,
  findOwnedTarget,
  findPromo,
  hasRedemptions,
  insertPromo,
  listPromos,
  updatePromo,
  type PromoRow,
  type PromoWithUses,
} from './promos.repository.js';
import type { PromoCodeJson, PromoInput, PromoPatch } from './promos.schemas.js';

export function stateOf(promo: PromoWithUses, now = Date.now()): PromoCodeJson['state'] {
  if (!promo.active) return 'inactive';
  if (promo.ends_at && promo.ends_at.getTime() <= now) return 'expired';
  if (promo.starts_at && promo.starts_at.getTime() > now) return 'scheduled';
  if (promo.max_redemptions !== null && promo.uses >= promo.max_redemptions) return 'used_up';
  return 'active';
}

export function toPromoJson(promo: PromoWithUses): PromoCodeJson {
  return {
    id: promo.id,
    code: promo.code,
    kind: promo.kind,
    percent_off: promo.percent_off,
    amount_off: promo.amount_off,
    currency: promo.currency?.trim() ?? null,
    trial_days: promo.trial_days,
    scope: promo.scope,
    project_id: promo.project_id,
    item_id: promo.item_id,
    tier_id: promo.tier_id,
    starts_at: promo.starts_at?.toISOString() ?? null,
    ends_at: promo.ends_at?.toISOString() ?? null,
    max_redemptions: promo.max_redemptions,
    uses: promo.uses,
    active: promo.active,
    state: stateOf(promo),
    created_at: promo.created_at.toISOString(),
  };
}

function creatorOf(principal: Principal, write: boolean): string {
  if (write && !principal.scopes.includes('write')) {
    throw new AppError('INSUFFICIENT_SCOPE', 403, 'This token lacks the "write" scope.');
  }
  if (!principal.user.isCreator) {
    throw new AppError('NOT_A_CREATOR', 403, 'Turn on creating first, at /join/create.');
  }
  return principal.user.id;
}

const invalid = (code: string, field: string, message: string) =>
  new AppError(code, 422, message, { fields: { [field]: message } });

export async function listOwnPromos(db: Db, principal: Principal): Promise<PromoCodeJson[]> {
  const rows = await listPromos(db, creatorOf(principal, false));
  return rows.map(toPromoJson);
}

export async function createPromo(
  db: Db,
  principal: Principal,
  input: PromoInput,
): Promise<PromoCodeJson> {
  const creatorId = creatorOf(principal, true);
  const scoped = {
    projectId: input.scope === 'project' ? input.project_id : undefined,
    itemId: input.scope === 'item' ? input.item_id : undefined,
  };
  if (!(await findOwnedTarget(db, creatorId, scoped))) {
    const field = scoped.projectId ? 'project_id' : 'item_id';
    throw invalid('PROMO_SCOPE_NOT_FOUND', field, 'Choose one of your own.');
  }
  const fixed = input.kind === 'fixed';
  const row = await insertPromo(db, {
    creator_id: creatorId,
    code: input.code,
    kind: input.kind,
    percent_off: input.kind === 'percent' ? (input.percent_off ?? null) : null,
    amount_off: fixed ? (input.amount_off ?? null) : null,
    currency: fixed ? (input.currency ?? (await findCreatorCurrency(db, creatorId))) : null,
    trial_days: input.kind === 'trial' ? (input.trial_days ?? null) : null,
    scope: input.scope,
    project_id: scoped.projectId ?? null,
    item_id: scoped.itemId ?? null,
    tier_id: input.scope === 'tier' ? (input.tier_id ?? null) : null,
    starts_at: input.starts_at ? new Date(input.starts_at) : null,
    ends_at: input.ends_at ? new Date(input.ends_at) : null,
    max_redemptions: input.max_redemptions ?? null,
  });
  if (!row) throw invalid('PROMO_CODE_TAKEN', 'code', 'You already have a code spelled so.');
  return toPromoJson({ ...row, uses: 0 });
}

async function ownPromo(db: Db, creatorId: string, id: string): Promise<PromoRow> {
  const promo = isUuid(id) ? await findPromo(db, id) : undefined;
  if (promo?.creator_id !== creatorId) throw notFound('promo code');
  return promo;
}

export async function changePromo(
  db: Db,
  principal: Principal,
  id: string,
  patch: PromoPatch,
): Promise<PromoCodeJson> {
  const promo = await ownPromo(db, creatorOf(principal, true), id);
  const date = (value: string | null | undefined) =>
    value === undefined ? undefined : value === null ? null : new Date(value);
  const startsAt = date(patch.starts_at);
  const endsAt = date(patch.ends_at);
  const start = startsAt === undefined ? promo.starts_at : startsAt;
  const end = endsAt === undefined ? promo.ends_at : endsAt;
  if (start && end && start >= end)
    throw invalid('VALIDATION_FAILED', 'ends_at', 'End after the start.');
  const row = await updatePromo(db, promo.id, {
    ...(patch.active !== undefined && { active: patch.active }),
    ...(startsAt !== undefined && { starts_at: startsAt }),
    ...(endsAt !== undefined && { ends_at: endsAt }),
    ...(patch.max_redemptions !== undefined && { max_redemptions: patch.max_redemptions }),
  });
  return toPromoJson({ ...row, uses: await countUses(db, row.id) });
}

/** Deletes an unused code; a used one is only deactivated (and returned). */
export async function removePromo(
  db: Db,
  principal: Principal,
  id: string,
): Promise<PromoCodeJson | undefined> {
  const promo = await ownPromo(db, creatorOf(principal, true), id);
  if (await hasRedemptions(db, promo.id)) {
    const row = await updatePromo(db, promo.id, { active: false });
    return toPromoJson({ ...row, uses: await countUses(db, row.id) });
  }
  await deletePromo(db, promo.id);
  return undefined;
}
