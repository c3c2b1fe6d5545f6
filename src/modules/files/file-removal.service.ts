// A creator removes one of an item's files. A file someone has paid for stays: buyers of the
// item (or of a bundle holding it) may download it again whenever they like, so removing it is
// refused and the creator is told to upload a new version instead. Otherwise the row goes (its
// renditions with it, by cascade); the hourly cleanup deletes the stored objects whose row is
// gone (media/orphaned-objects.ts), and a processing job that finds no row does nothing.
import type { Db } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { deleteItemFile, itemHasBuyers } from './files.repository.js';
import { findFileById } from '../media/index.js';

export const FILE_SOLD_MESSAGE =
  'Someone has bought this item, and buyers can download its files again whenever they like, so this file stays. Replace it with a new version instead.';

export async function removeItemFile(
  db: Db,
  creatorId: string,
  itemId: string,
  fileId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const file = isUuid(fileId) ? await findFileById(trx, fileId) : undefined;
    if (!file || file.creator_id !== creatorId || file.item_id !== itemId) throw notFound('file');
    if (await itemHasBuyers(trx, itemId)) throw new AppError('FILE_SOLD', 409, FILE_SOLD_MESSAGE);
    await deleteItemFile(trx, file.id);
  });
}

/** For the catalogue's item editor (CatalogOptions.removeFile). */
export function createFileRemover(db: Db) {
  return (creatorId: string, itemId: string, fileId: string) =>
    removeItemFile(db, creatorId, itemId, fileId);
}
