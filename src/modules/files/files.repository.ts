// Reads the delivery side needs (Kysely only).
import type { Executor } from '../../db/database.js';

/** The newest ready file of an item among the given kinds. */
export async function findPlayableFile(db: Executor, itemId: string) {
  return db
    .selectFrom('files')
    .selectAll()
    .where('item_id', '=', itemId)
    .where('status', '=', 'ready')
    .where('kind', 'in', ['audio', 'video'])
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findRendition(db: Executor, fileId: string, name: string) {
  return db
    .selectFrom('file_renditions')
    .selectAll()
    .where('file_id', '=', fileId)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function listItemFiles(db: Executor, itemId: string) {
  return db
    .selectFrom('files')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** The creator's plan (null: none chosen, the basic limits apply). */
export async function findCreatorTier(db: Executor, userId: string) {
  const user = await db
    .selectFrom('users')
    .select('creator_tier')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return user.creator_tier;
}

/** What a download's name is made of: the item's title, its creator's name, its ready files. */
export async function findDownloadFacts(db: Executor, itemId: string) {
  return db
    .selectFrom('items')
    .innerJoin('users', 'users.id', 'items.creator_id')
    .select([
      'items.title',
      'users.display_name',
      (eb) =>
        eb
          .selectFrom('files')
          .select((count) => count.fn.countAll<number>().as('n'))
          .whereRef('files.item_id', '=', 'items.id')
          .where('files.status', '=', 'ready')
          .as('ready_files'),
    ])
    .where('items.id', '=', itemId)
    .executeTakeFirst();
}

/** Of these items, those whose playable file (as findPlayableFile picks it) has a poster. */
export async function findItemsWithPoster(
  db: Executor,
  itemIds: readonly string[],
): Promise<string[]> {
  if (itemIds.length === 0) return [];
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('files')
        .select(['id', 'item_id'])
        .distinctOn('item_id')
        .where('item_id', 'in', [...itemIds])
        .where('status', '=', 'ready')
        .where('kind', 'in', ['audio', 'video'])
        .orderBy('item_id')
        .orderBy('created_at', 'desc')
        .as('playable'),
    )
    .innerJoin('file_renditions as r', (join) =>
      join.onRef('r.file_id', '=', 'playable.id').on('r.name', '=', 'poster'),
    )
    .select('playable.item_id')
    .execute();
  return rows.map((row) => row.item_id);
}
