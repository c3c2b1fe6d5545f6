// Versions, chapters, bundle contents and ordering (Kysely only).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { selectItems, type ItemRow } from './items.repository.js';
import { renderedChangelog } from './rendered-text.js';

export interface VersionRow {
  id: string;
  item_id: string;
  version: string;
  changelog: string;
  released_at: Date;
}

export async function listVersionRows(db: Executor, itemId: string): Promise<VersionRow[]> {
  return db
    .selectFrom('item_versions')
    .select(['id', 'item_id', 'version', 'changelog', 'released_at'])
    .where('item_id', '=', itemId)
    .orderBy('released_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function findVersionRow(
  db: Executor,
  itemId: string,
  versionId: string,
): Promise<VersionRow | undefined> {
  return db
    .selectFrom('item_versions')
    .select(['id', 'item_id', 'version', 'changelog', 'released_at'])
    .where('item_id', '=', itemId)
    .where('id', '=', versionId)
    .executeTakeFirst();
}

export async function isVersionTaken(
  db: Executor,
  itemId: string,
  version: string,
  exceptId?: string,
): Promise<boolean> {
  let query = db
    .selectFrom('item_versions')
    .select('id')
    .where('item_id', '=', itemId)
    .where(sql<boolean>`lower(version) = lower(${version})`);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertVersion(
  db: Executor,
  row: { item_id: string; version: string; changelog: string },
): Promise<string> {
  const { id } = await db
    .insertInto('item_versions')
    .values({ ...row, ...renderedChangelog(row.changelog) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateVersion(
  db: Executor,
  id: string,
  patch: { version?: string; changelog?: string },
): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db
    .updateTable('item_versions')
    .set({ ...patch, ...renderedChangelog(patch.changelog) })
    .where('id', '=', id)
    .execute();
}

export async function deleteVersion(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('item_versions').where('id', '=', id).execute();
}

export async function listChapterRows(db: Executor, itemId: string) {
  return db
    .selectFrom('item_chapters')
    .select(['start_seconds', 'title'])
    .where('item_id', '=', itemId)
    .orderBy('start_seconds')
    .execute();
}

export async function replaceChapters(
  db: Executor,
  itemId: string,
  chapters: readonly { start_seconds: number; title: string }[],
): Promise<void> {
  await db.deleteFrom('item_chapters').where('item_id', '=', itemId).execute();
  if (chapters.length === 0) return;
  await db
    .insertInto('item_chapters')
    .values(chapters.map((c) => ({ item_id: itemId, ...c })))
    .execute();
}

/** A bundle's items in the bundle's order; others see only published ones of active creators. */
export async function listBundleRows(
  db: Executor,
  bundleId: string,
  options: { includeHidden: boolean },
): Promise<ItemRow[]> {
  let query = selectItems(db)
    .innerJoin('bundle_items as b', 'b.item_id', 'items.id')
    .where('b.bundle_id', '=', bundleId);
  if (!options.includeHidden) {
    query = query.where('items.status', '=', 'published').where('users.status', '=', 'active');
  }
  return query.orderBy('b.position').execute();
}

export async function replaceBundleContents(
  db: Executor,
  bundleId: string,
  itemIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('bundle_items').where('bundle_id', '=', bundleId).execute();
  if (itemIds.length === 0) return;
  await db
    .insertInto('bundle_items')
    .values(itemIds.map((item_id, position) => ({ bundle_id: bundleId, item_id, position })))
    .execute();
}

export async function countBundleContents(db: Executor, bundleId: string): Promise<number> {
  const { n } = await db
    .selectFrom('bundle_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('bundle_id', '=', bundleId)
    .executeTakeFirstOrThrow();
  return n;
}

/** The ids among `ids` that are items of this creator and not bundles themselves. */
export async function findBundleableIds(
  db: Executor,
  creatorId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('items')
    .select('id')
    .where('creator_id', '=', creatorId)
    .where('type', '<>', 'bundle')
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** Sets position = index for each id, only among rows matching `scope`. */
export async function setPositions(
  db: Executor,
  table: 'items' | 'projects',
  scope: { column: 'project_id' | 'creator_id'; value: string },
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const values = sql.join(ids.map((id, index) => sql`(${id}::uuid, ${index + 1}::int)`));
  await sql`
    update ${sql.table(table)} as t set position = v.position, updated_at = now()
    from (values ${values}) as v (id, position)
    where t.id = v.id and t.${sql.ref(scope.column)} = ${scope.value}
  `.execute(db);
}

export async function listIdsInOrder(
  db: Executor,
  table: 'items' | 'projects',
  scope: { column: 'project_id' | 'creator_id'; value: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where(scope.column as 'creator_id', '=', scope.value)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}
