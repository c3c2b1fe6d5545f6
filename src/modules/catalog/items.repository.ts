// Items (Kysely only). Reads join the creator's handle and currency and the project's slug,
// which every answer needs for its URLs and prices.
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ItemsTable, UserStatus } from '../../db/schema.js';
import type { ImageRow } from './images.repository.js';
import type { Keyset } from './projects.repository.js';
import { renderedItemText } from './rendered-text.js';

export type ItemRow = Omit<Selectable<ItemsTable>, 'release_date'> & {
  release_date: string | null;
  handle: string;
  creator_currency: string;
  creator_status: UserStatus;
  creator_left_at: Date | null;
  project_slug: string;
};

export function selectItems(db: Executor) {
  return db
    .selectFrom('items')
    .innerJoin('users', 'users.id', 'items.creator_id')
    .innerJoin('projects', 'projects.id', 'items.project_id')
    .selectAll('items')
    .select([
      // pg turns dates into local-midnight Date objects; the calendar date is what we mean.
      sql<string | null>`items.release_date::text`.as('release_date'),
      'users.handle',
      'users.currency as creator_currency',
      'users.status as creator_status',
      'users.left_at as creator_left_at',
      'projects.slug as project_slug',
    ]);
}

export async function findItemById(db: Executor, id: string): Promise<ItemRow | undefined> {
  return selectItems(db).where('items.id', '=', id).executeTakeFirst();
}

/** What an item's JSON shows beside the row: its tags and its cover's image row. */
export interface ItemExtras {
  tags: string[];
  cover: ImageRow | null;
}

/** Items with their tags and cover, read in the same statement (no query per list). */
function selectItemsWithExtras(db: Executor) {
  return selectItems(db).select([
    sql<
      string[]
    >`array(select tag_path from item_tags where item_id = items.id order by tag_path)`.as('tags'),
    sql<ImageRow | null>`(select to_jsonb(x) from (select id, owner_id, purpose, width, height, variants from images where id = items.cover_image_id) x)`.as(
      'cover',
    ),
  ]);
}

export async function findItemWithExtras(
  db: Executor,
  id: string,
): Promise<(ItemRow & ItemExtras) | undefined> {
  return selectItemsWithExtras(db).where('items.id', '=', id).executeTakeFirst();
}

export async function isItemSlugTaken(
  db: Executor,
  projectId: string,
  slug: string,
  exceptId?: string,
): Promise<boolean> {
  let query = db
    .selectFrom('items')
    .select('id')
    .where('project_id', '=', projectId)
    .where(sql<boolean>`lower(slug) = lower(${slug})`);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertItem(
  db: Executor,
  row: Omit<Insertable<ItemsTable>, 'position'>,
): Promise<string> {
  const { id } = await db
    .insertInto('items')
    .values({
      ...row,
      ...renderedItemText(row),
      position: sql<number>`(select coalesce(max(position), 0) + 1 from items where project_id = ${row.project_id})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateItem(
  db: Executor,
  id: string,
  patch: Updateable<ItemsTable>,
): Promise<void> {
  await db
    .updateTable('items')
    .set({ ...patch, ...renderedItemText(patch), updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteItem(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('items').where('id', '=', id).execute();
}

/** A project's items in their order; drafts only for the creator, unlisted never listed to others. */
export async function listItemsOfProject(
  db: Executor,
  projectId: string,
  options: { includeHidden: boolean; limit: number; after?: Keyset | undefined },
): Promise<(ItemRow & ItemExtras)[]> {
  let query = selectItemsWithExtras(db).where('items.project_id', '=', projectId);
  if (!options.includeHidden) query = query.where('items.status', '=', 'published');
  if (options.after) {
    query = query.where(
      sql<boolean>`(items.position, items.id) > (${options.after.position}, ${options.after.id}::uuid)`,
    );
  }
  return query.orderBy('items.position').orderBy('items.id').limit(options.limit).execute();
}

/** A creator's items in their projects' order, then each project's item order. */
export async function listItemsOfCreator(
  db: Executor,
  creatorId: string,
  limit: number,
): Promise<ItemRow[]> {
  return selectItems(db)
    .where('items.creator_id', '=', creatorId)
    .orderBy('projects.position')
    .orderBy('projects.id')
    .orderBy('items.position')
    .orderBy('items.id')
    .limit(limit)
    .execute();
}
