// Membership tiers (Kysely only).
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import './memberships.tables.js';
import type { MembershipTiersTable } from './memberships.tables.js';

export type TierRow = Selectable<MembershipTiersTable>;

/** The project with its creator's currency, for a tier's price. */
export async function findProjectForTiers(db: Executor, projectId: string) {
  return db
    .selectFrom('projects')
    .innerJoin('users', 'users.id', 'projects.creator_id')
    .select([
      'projects.id',
      'projects.creator_id',
      'projects.slug',
      'projects.title',
      'users.currency',
      'users.handle',
      'users.status as creator_status',
    ])
    .where('projects.id', '=', projectId)
    .executeTakeFirst();
}

export async function insertTier(
  db: Executor,
  row: Insertable<MembershipTiersTable>,
): Promise<TierRow> {
  return db.insertInto('membership_tiers').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTier(db: Executor, id: string): Promise<TierRow | undefined> {
  return db.selectFrom('membership_tiers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTiers(
  db: Executor,
  projectId: string,
  options: { activeOnly: boolean },
): Promise<TierRow[]> {
  let query = db.selectFrom('membership_tiers').selectAll().where('project_id', '=', projectId);
  if (options.activeOnly) query = query.where('status', '=', 'active');
  return query.orderBy('status').orderBy('position').orderBy('created_at').execute();
}

export async function hasActiveTiers(db: Executor, projectId: string): Promise<boolean> {
  const row = await db
    .selectFrom('membership_tiers')
    .select('id')
    .where('project_id', '=', projectId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateTier(
  db: Executor,
  id: string,
  changes: Updateable<MembershipTiersTable>,
): Promise<TierRow> {
  return db
    .updateTable('membership_tiers')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteTier(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('membership_tiers').where('id', '=', id).execute();
}

/** Whether anyone ever joined the tier (its memberships and orders keep it). */
export async function tierHasMembers(db: Executor, id: string): Promise<boolean> {
  const member = await db
    .selectFrom('membership_orders')
    .select('order_id')
    .where('tier_id', '=', id)
    .executeTakeFirst();
  return member !== undefined;
}

/** A live creator's project by handle and slug, for the public membership page. */
export async function findPublicProject(db: Executor, handle: string, slug: string) {
  return db
    .selectFrom('projects')
    .innerJoin('users', 'users.id', 'projects.creator_id')
    .select([
      'projects.id',
      'projects.slug',
      'projects.title',
      'users.handle',
      'users.display_name',
    ])
    .where('users.handle', '=', handle)
    .where('projects.slug', '=', slug)
    .where('users.status', '=', 'active')
    .executeTakeFirst();
}

/** The creator's projects in their order, each with its tiers open to new members and members. */
export async function listMembershipOverview(db: Executor, creatorId: string) {
  return db
    .selectFrom('projects')
    .select((eb) => [
      'projects.id',
      'projects.title',
      eb
        .selectFrom('membership_tiers')
        .select(eb.fn.countAll<string>().as('count'))
        .whereRef('membership_tiers.project_id', '=', 'projects.id')
        .where('membership_tiers.status', '=', 'active')
        .as('open_tiers'),
      eb
        .selectFrom('memberships')
        .select(eb.fn.countAll<string>().as('count'))
        .whereRef('memberships.project_id', '=', 'projects.id')
        .where('memberships.status', 'in', ['trialing', 'active', 'past_due'])
        .as('members'),
    ])
    .where('projects.creator_id', '=', creatorId)
    .orderBy('projects.position')
    .orderBy('projects.created_at')
    .execute();
}
export type MembershipOverviewRow = Awaited<ReturnType<typeof listMembershipOverview>>[number];
