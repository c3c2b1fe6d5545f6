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

/**
 * Whether anyone holds the item through a purchase: a paid or partly refunded order of it, or of
 * a bundle that holds it (the orders the access rule counts as buying).
 */
export async function itemHasBuyers(db: Executor, itemId: string): Promise<boolean> {
  const row = await db
    .selectFrom('orders')
    .select('orders.id')
    .where('orders.status', 'in', ['paid', 'partially_refunded'])
    .where((eb) =>
      eb.or([
        eb('orders.item_id', '=', itemId),
        eb(
          'orders.item_id',
          'in',
          eb.selectFrom('bundle_items').select('bundle_id').where('item_id', '=', itemId),
        ),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes a file's row; its renditions go with it by cascade. */
export async function deleteItemFile(db: Executor, fileId: string): Promise<void> {
  await db.deleteFrom('files').where('id', '=', fileId).execute();
}
