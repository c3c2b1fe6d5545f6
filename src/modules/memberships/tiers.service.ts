// Tiers: a project's membership levels. Only the project's creator changes them (anyone else
// gets 404, as for things they may not see); everyone may read the active ones.
import type { Db } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import type { TierInput, TierJson, TierPatch } from './memberships.schemas.js';
import {
  deleteTier,
  findProjectForTiers,
  findTier,
  insertTier,
  listTiers,
  tierHasMembers,
  updateTier,
  type TierRow,
} from './tiers.repository.js';

import { isUuid } from '../../platform/ids.js';

export function toTierJson(tier: TierRow): TierJson {
  return {
    id: tier.id,
    project_id: tier.project_id,
    name: tier.name,
    description: tier.description,
    benefits: tier.benefits,
    monthly_price: tier.monthly_price,
    yearly_price: tier.yearly_price,
    currency: tier.currency.trim(),
    position: tier.position,
    status: tier.status,
  };
}

function requireWrite(principal: Principal): void {
  if (!principal.scopes.includes('write')) {
    throw new AppError('INSUFFICIENT_SCOPE', 403, 'This token lacks the "write" scope.');
  }
}

/** The project, when this user created it; 404 for everyone else. */
export async function requireOwnProject(db: Db, principal: Principal, projectId: string) {
  const project = isUuid(projectId) ? await findProjectForTiers(db, projectId) : undefined;
  if (project?.creator_id !== principal.user.id) throw notFound('project');
  return project;
}

export async function requireOwnTier(db: Db, principal: Principal, tierId: string) {
  const tier = isUuid(tierId) ? await findTier(db, tierId) : undefined;
  if (tier?.creator_id !== principal.user.id) throw notFound('tier');
  return tier;
}

/** The creator sees every tier, archived too; everyone else the active ones of a live project. */
export async function listProjectTiers(
  db: Db,
  principal: Principal | undefined,
  projectId: string,
): Promise<TierJson[]> {
  const project = isUuid(projectId) ? await findProjectForTiers(db, projectId) : undefined;
  if (!project) throw notFound('project');
  const own = project.creator_id === principal?.user.id;
  if (!own && project.creator_status !== 'active') throw notFound('project');
  const tiers = await listTiers(db, projectId, { activeOnly: !own });
  return tiers.map(toTierJson);
}

export async function createTier(
  db: Db,
  principal: Principal,
  projectId: string,
  input: TierInput,
): Promise<TierJson> {
  requireWrite(principal);
  const project = await requireOwnProject(db, principal, projectId);
  const existing = await listTiers(db, projectId, { activeOnly: false });
  const tier = await insertTier(db, {
    project_id: project.id,
    creator_id: project.creator_id,
    name: input.name,
    description: input.description,
    benefits: JSON.stringify(input.benefits),
    monthly_price: input.monthly_price ?? null,
    yearly_price: input.yearly_price ?? null,
    currency: project.currency.trim(),
    position: input.position ?? existing.length,
  });
  return toTierJson(tier);
}

export async function patchTier(
  db: Db,
  principal: Principal,
  tierId: string,
  patch: TierPatch,
): Promise<TierJson> {
  requireWrite(principal);
  const tier = await requireOwnTier(db, principal, tierId);
  const monthly = patch.monthly_price === undefined ? tier.monthly_price : patch.monthly_price;
  const yearly = patch.yearly_price === undefined ? tier.yearly_price : patch.yearly_price;
  if (monthly === null && yearly === null) {
    const message = 'Give a monthly or a yearly price.';
    throw new AppError('VALIDATION_FAILED', 422, message, { fields: { monthly_price: message } });
  }
  const updated = await updateTier(db, tier.id, {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.description !== undefined && { description: patch.description }),
    ...(patch.benefits !== undefined && { benefits: JSON.stringify(patch.benefits) }),
    ...(patch.position !== undefined && { position: patch.position }),
    ...(patch.status !== undefined && { status: patch.status }),
    monthly_price: monthly,
    yearly_price: yearly,
  });
  return toTierJson(updated);
}

/**
 * Deletes a tier nobody joined; a tier with members is archived instead (closed to new members,
 * its members keep their membership), and answered.
 */
export async function removeTier(
  db: Db,
  principal: Principal,
  tierId: string,
): Promise<TierJson | undefined> {
  requireWrite(principal);
  const tier = await requireOwnTier(db, principal, tierId);
  if (await tierHasMembers(db, tier.id)) {
    return toTierJson(await updateTier(db, tier.id, { status: 'archived' }));
  }
  await deleteTier(db, tier.id);
  return undefined;
}
