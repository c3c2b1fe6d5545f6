// Shared tag rows and the tags of each item (Kysely only).
import type { Executor } from '../../db/database.js';
import { sql } from 'kysely';
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

/**
 * Tags for a typeahead: paths starting with the typed text, or with a level starting with it
 * ("amb" finds music/electronic/ambient), the most used first. Empty text lists popular tags.
 */
export async function suggestTags(
  db: Executor,
  query: string,
  limit: number,
): Promise<{ path: string; items: number }[]> {
  // Only the characters a tag may hold survive, so nothing typed acts as a LIKE wildcard.
  const typed = query
    .normalize('NFKC')
    .toLowerCase()
    .trim()
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9/-]/g, '')
    .slice(0, 200);
  const used = sql<number>`(
    select count(*)::int from item_tags it join items i on i.id = it.item_id
    where (it.tag_path = tags.path or it.tag_path like tags.path || '/%')
      and i.status = 'published'
  )`;
  let select = db.selectFrom('tags').select(['path', used.as('items')]);
  if (typed === '') {
    select = select.where(sql<boolean>`position('/' in path) = 0`);
  } else {
    select = select.where((eb) =>
      eb.or([
        eb('path', 'like', `${typed}%`),
        eb('path', 'like', `%/${typed.split('/').at(-1) ?? typed}%`),
      ]),
    );
  }
  return select
    .orderBy(sql`items`, 'desc')
    .orderBy(sql`length(path)`)
    .orderBy('path')
    .limit(limit)
    .execute();
}
