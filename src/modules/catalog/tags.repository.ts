// Shared tag rows and the tags of each item (Kysely only).
import type { Executor } from '../../db/database.js';
import { tagWithAncestors } from './tags.js';

/** Replaces an item's tags; every tag and each of its ancestors exists afterwards. */
export async function setItemTags(db: Executor, itemId: string, paths: readonly string[]) {
  await db.deleteFrom('item_tags').where('item_id', '=', itemId).execute();
  if (paths.length === 0) return;
  const all = [...new Set(paths.flatMap(tagWithAncestors))];
  await db
    .insertInto('tags')
    .values(all.map((path) => ({ path })))
    .onConflict((oc) => oc.column('path').doNothing())
    .execute();
  await db
    .insertInto('item_tags')
    .values(paths.map((tag_path) => ({ item_id: itemId, tag_path })))
    .execute();
}

export async function findTagsOfItems(
  db: Executor,
  itemIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byItem = new Map<string, string[]>();
  if (itemIds.length === 0) return byItem;
  const rows = await db
    .selectFrom('item_tags')
    .select(['item_id', 'tag_path'])
    .where('item_id', 'in', itemIds)
    .orderBy('tag_path')
    .execute();
  for (const row of rows) {
    const list = byItem.get(row.item_id) ?? [];
    list.push(row.tag_path);
    byItem.set(row.item_id, list);
  }
  return byItem;
}
