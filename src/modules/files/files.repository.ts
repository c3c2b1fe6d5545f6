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
