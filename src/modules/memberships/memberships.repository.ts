// Memberships and what their orders paid for (Kysely only).
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Viewer } from '../access/index.js';
import './memberships.tables.js';
import type {
  MembershipOrdersTable,
  MembershipsTable,
  MembershipStatus,
} from './memberships.tables.js';

export type MembershipRow = Selectable<MembershipsTable>;

/** Days a past-due membership keeps its access while the processor retries the charge. */
export const GRACE_DAYS = 7;

export async function insertMembershipOrder(
  db: Executor,
  row: Insertable<MembershipOrdersTable>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('membership_orders')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('order_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findMembershipOrder(db: Executor, orderId: string) {
  return db
    .selectFrom('membership_orders')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirst();
}

export async function linkMembershipOrder(db: Executor, orderId: string, membershipId: string) {
  await db
    .updateTable('membership_orders')
    .set({ membership_id: membershipId })
    .where('order_id', '=', orderId)
    .execute();
}

export async function lockMembershipBySubscription(db: Executor, subscriptionId: string) {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .forUpdate()
    .executeTakeFirst();
}

/** A fan's membership of a project (a member's one row, or a guest's by email), locked. */
export async function lockMembershipOfFan(
  db: Executor,
  projectId: string,
  fan: { memberId: string | null; email: string | null },
) {
  let query = db.selectFrom('memberships').selectAll().where('project_id', '=', projectId);
  if (fan.memberId !== null) query = query.where('member_id', '=', fan.memberId);
  else
    query = query
      .where('member_id', 'is', null)
      .where(sql<boolean>`lower(member_email) = lower(${fan.email})`);
  return query.forUpdate().executeTakeFirst();
}

export async function insertMembership(
  db: Executor,
  row: Insertable<MembershipsTable>,
): Promise<MembershipRow> {
  return db.insertInto('memberships').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateMembership(
  db: Executor,
  id: string,
  changes: Updateable<MembershipsTable>,
): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The membership, locked until the transaction ends. */
export async function lockMembership(db: Executor, id: string) {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function findMembership(db: Executor, id: string) {
  return db.selectFrom('memberships').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The SQL test of "this membership gives access now" (see hasAccess for the same rule). */
const accessNow = sql<boolean>`(
  memberships.status in ('active', 'trialing')
  or (memberships.status = 'past_due'
      and memberships.past_due_since > now() - make_interval(days => ${GRACE_DAYS}))
  or (memberships.status = 'canceled' and memberships.current_period_end > now())
)`;

export function hasAccess(
  row: Pick<MembershipRow, 'status' | 'past_due_since' | 'current_period_end'>,
  now = new Date(),
): boolean {
  const status: MembershipStatus = row.status;
  switch (status) {
    case 'active':
    case 'trialing':
      return true;
    case 'past_due':
      return (
        row.past_due_since !== null &&
        row.past_due_since.getTime() > now.getTime() - GRACE_DAYS * 86_400_000
      );
    case 'canceled':
      return row.current_period_end > now;
    case 'ended':
      return false;
  }
}

/** Whether the user is a member with access of the project of this members-only item. */
/**
 * The members-only items among `itemIds` whose project the viewer is a member of with access
 * now (a signed-in member, or the membership a guest's claim link proves). Only work that was
 * published once: a members-only draft in progress is not released yet.
 */
export async function findMemberItems(
  db: Executor,
  viewer: Viewer,
  itemIds: readonly string[],
): Promise<Set<string>> {
  const { userId, claimOrderId } = viewer;
  if (itemIds.length === 0 || (userId === undefined && claimOrderId === undefined)) {
    return new Set();
  }
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('items', 'items.project_id', 'memberships.project_id')
    .select('items.id')
    .where('items.id', 'in', [...itemIds])
    .where('items.price_model', '=', 'members')
    .where('items.published_at', 'is not', null)
    .where((eb) =>
      eb.or([
        ...(userId === undefined ? [] : [eb('memberships.member_id', '=', userId)]),
        ...(claimOrderId === undefined
          ? []
          : [
              eb(
                'memberships.id',
                'in',
                eb
                  .selectFrom('membership_orders')
                  .select('membership_id')
                  .where('order_id', '=', claimOrderId),
              ),
            ]),
      ]),
    )
    .where(accessNow)
    .execute();
  return new Set(rows.map((row) => row.id));
}

const withTier = (db: Executor) =>
  db
    .selectFrom('memberships')
    .innerJoin('membership_tiers', 'membership_tiers.id', 'memberships.tier_id')
    .innerJoin('projects', 'projects.id', 'memberships.project_id')
    .innerJoin('users as creators', 'creators.id', 'memberships.creator_id')
    .selectAll('memberships')
    .select([
      'membership_tiers.name as tier_name',
      'projects.title as project_title',
      'projects.slug as project_slug',
      'creators.handle as creator_handle',
    ]);

export type MembershipWithTier = Awaited<ReturnType<typeof listMembershipsOfUser>>[number];

export async function listMembershipsOfUser(db: Executor, userId: string) {
  return withTier(db)
    .where('memberships.member_id', '=', userId)
    .orderBy('memberships.created_at', 'desc')
    .limit(200)
    .execute();
}

export async function listMembersOfProject(db: Executor, projectId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('membership_tiers', 'membership_tiers.id', 'memberships.tier_id')
    .leftJoin('users as members', 'members.id', 'memberships.member_id')
    .select([
      'memberships.id',
      'memberships.status',
      'memberships.interval',
      'memberships.started_at',
      'memberships.current_period_end',
      'memberships.cancel_at_period_end',
      'memberships.past_due_since',
      'memberships.member_email',
      'membership_tiers.name as tier_name',
      'members.handle as member_handle',
      'members.display_name as member_name',
      'members.email as member_account_email',
    ])
    .where('memberships.project_id', '=', projectId)
    .orderBy('memberships.started_at', 'desc')
    .limit(10_000)
    .execute();
}
export type MemberRow = Awaited<ReturnType<typeof listMembersOfProject>>[number];

/** A membership order's first-period amount after a promo code (still pending). */
export async function setOrderAmount(db: Executor, orderId: string, amount: number) {
  return db
    .updateTable('orders')
    .set({ amount, updated_at: new Date() })
    .where('id', '=', orderId)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The order a processor invoice (a renewal) made, if it made one. */
export async function findInvoiceOrder(db: Executor, invoiceId: string) {
  return db
    .selectFrom('membership_orders')
    .select('order_id')
    .where('invoice_id', '=', invoiceId)
    .executeTakeFirst();
}

/** Who to tell about a membership: the tier, the project, the creator and the member. */
export async function findMailDetails(
  db: Executor,
  membership: Pick<MembershipRow, 'tier_id' | 'member_id'>,
) {
  const details = await db
    .selectFrom('membership_tiers')
    .innerJoin('projects', 'projects.id', 'membership_tiers.project_id')
    .innerJoin('users as creators', 'creators.id', 'membership_tiers.creator_id')
    .select([
      'membership_tiers.name as tier',
      'projects.title as project',
      'projects.slug as project_slug',
      'creators.email as creator_email',
      'creators.handle as creator_handle',
      'creators.display_name as creator_name',
    ])
    .where('membership_tiers.id', '=', membership.tier_id)
    .executeTakeFirstOrThrow();
  const member =
    membership.member_id === null
      ? undefined
      : await db
          .selectFrom('users')
          .select(['email', 'handle', 'display_name'])
          .where('id', '=', membership.member_id)
          .executeTakeFirst();
  return { details, member };
}

/**
 * Gives a user the memberships a guest started with their (verified) email, except where they
 * are a member of that project already.
 */
export async function attachGuestMembershipsByEmail(
  db: Executor,
  userId: string,
  email: string,
): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ member_id: userId, updated_at: new Date() })
    .where('member_id', 'is', null)
    .where(sql<boolean>`lower(member_email) = lower(${email})`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('memberships as own')
            .select('own.id')
            .where('own.member_id', '=', userId)
            .whereRef('own.project_id', '=', 'memberships.project_id'),
        ),
      ),
    )
    .execute();
}

/**
 * A membership order this user placed (the success page's `?order=`): its status, its project,
 * and the membership its payment started, once it has.
 */
export async function findJoinOrder(db: Executor, orderId: string, userId: string) {
  return db
    .selectFrom('orders')
    .innerJoin('membership_orders', 'membership_orders.order_id', 'orders.id')
    .innerJoin('projects', 'projects.id', 'orders.project_id')
    .select(['orders.status', 'projects.title as project_title', 'membership_orders.membership_id'])
    .where('orders.id', '=', orderId)
    .where('orders.kind', '=', 'membership')
    .where('orders.buyer_id', '=', userId)
    .executeTakeFirst();
}

/** The membership an order paid for (its first period or a renewal), with its tier. */
export async function findMembershipOfOrder(db: Executor, orderId: string) {
  return withTier(db)
    .innerJoin('membership_orders', 'membership_orders.membership_id', 'memberships.id')
    .where('membership_orders.order_id', '=', orderId)
    .executeTakeFirst();
}
