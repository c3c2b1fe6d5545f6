// What a tip or a promo code needs to know about its target (Kysely only).
import type { Executor } from '../../db/database.js';

export interface TipCreator {
  id: string;
  handle: string;
  display_name: string;
  currency: string;
  tips_enabled: boolean;
}

/** An active creator by handle (any case); tips_enabled says whether they take tips. */
export async function findTipCreator(
  db: Executor,
  handle: string,
): Promise<TipCreator | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'handle', 'display_name', 'currency', 'tips_enabled'])
    .where((eb) => eb(eb.fn('lower', ['handle']), '=', handle.toLowerCase()))
    .where('status', '=', 'active')
    .where('is_creator', '=', true)
    .executeTakeFirst();
}

export async function findCreatorProject(
  db: Executor,
  creatorId: string,
  projectId: string,
): Promise<{ id: string; slug: string; title: string } | undefined> {
  return db
    .selectFrom('projects')
    .select(['id', 'slug', 'title'])
    .where('id', '=', projectId)
    .where('creator_id', '=', creatorId)
    .executeTakeFirst();
}

export async function findItemProjectId(db: Executor, itemId: string): Promise<string | null> {
  const row = await db
    .selectFrom('items')
    .select('project_id')
    .where('id', '=', itemId)
    .executeTakeFirst();
  return row?.project_id ?? null;
}
