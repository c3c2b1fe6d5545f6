// A fan's memberships (list, cancel at the period end) and a creator's members.
import type { Db } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import type { PaymentProcessor } from '../payments/index.js';
import {
  findMembership,
  hasAccess,
  listMembershipsOfUser,
  listMembersOfProject,
  updateMembership,
  type MembershipWithTier,
  type MemberRow,
} from './memberships.repository.js';
import type { MembershipJson } from './memberships.schemas.js';
import { isUuid } from '../../platform/ids.js';
import { requireOwnProject } from './tiers.service.js';

export function toMembershipJson(row: MembershipWithTier): MembershipJson {
  return {
    id: row.id,
    tier_id: row.tier_id,
    tier_name: row.tier_name,
    project_id: row.project_id,
    interval: row.interval,
    status: row.status,
    has_access: hasAccess(row),
    current_period_end: row.current_period_end.toISOString(),
    cancel_at_period_end: row.cancel_at_period_end,
    started_at: row.started_at.toISOString(),
  };
}

export async function listMyMemberships(db: Db, principal: Principal) {
  return listMembershipsOfUser(db, principal.user.id);
}

/**
 * Cancels at the end of the period already paid for: the processor first (outside any
 * transaction), then our record, so access lasts until the period end. Its
 * customer.subscription.updated event confirms the same change later.
 */
export async function cancelMembership(
  db: Db,
  processor: PaymentProcessor | undefined,
  principal: Principal,
  membershipId: string,
): Promise<void> {
  if (!principal.scopes.includes('write')) {
    throw new AppError('INSUFFICIENT_SCOPE', 403, 'This token lacks the "write" scope.');
  }
  const membership = isUuid(membershipId) ? await findMembership(db, membershipId) : undefined;
  if (membership?.member_id !== principal.user.id) throw notFound('membership');
  if (membership.status === 'ended' || membership.status === 'canceled') {
    throw new AppError('MEMBERSHIP_NOT_ACTIVE', 409, 'This membership is already canceled.');
  }
  if (!processor) {
    throw new AppError('PAYMENTS_UNAVAILABLE', 503, 'Payments are not available right now.', {
      retryAfter: 300,
    });
  }
  try {
    await processor.cancelSubscription(membership.subscription_id, { atPeriodEnd: true });
  } catch (error) {
    throw new AppError('PAYMENTS_UNAVAILABLE', 503, 'Payments are not available right now.', {
      retryAfter: 60,
      cause: error,
    });
  }
  await updateMembership(db, membership.id, {
    status: 'canceled',
    cancel_at_period_end: true,
    canceled_at: new Date(),
  });
}

/** The project's members, for its creator only (404 to everyone else). */
export async function listMembers(
  db: Db,
  principal: Principal,
  projectId: string,
): Promise<{ project: Awaited<ReturnType<typeof requireOwnProject>>; members: MemberRow[] }> {
  const project = await requireOwnProject(db, principal, projectId);
  return { project, members: await listMembersOfProject(db, project.id) };
}
