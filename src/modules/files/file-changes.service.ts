// A creator removes or replaces one of an item's files. A file someone has paid for stays:
// buyers of the item (or of a bundle holding it) may download it again whenever they like, so
// removing it is refused and the creator is told to upload a new version instead. A new version
// (any file, sold or not) replaces the old one only once it is ready (media/files.repository.ts
// markFileReady), so buyers always have a working file. A removed row takes its renditions with
// it by cascade; the hourly cleanup deletes the stored objects whose row is gone
// (media/orphaned-objects.ts), and a processing job that finds no row does nothing.
import type { Db } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { isUuid } from '../../platform/ids.js';
import { findFileById, type FileRow } from '../media/index.js';
import type { Executor } from '../../db/database.js';
import { deleteItemFile, itemHasBuyers } from './files.repository.js';
import { uploadSmallFile, type FilesDeps, type SmallUpload } from './files.service.js';

export const FILE_SOLD_MESSAGE =
  'Someone has bought this item, and buyers can download its files again whenever they like, so this file stays. Replace it with a new version instead.';

async function findItemFile(
  db: Executor,
  creatorId: string,
  itemId: string,
  fileId: string,
): Promise<FileRow> {
  const file = isUuid(fileId) ? await findFileById(db, fileId) : undefined;
  if (!file || file.creator_id !== creatorId || file.item_id !== itemId) throw notFound('file');
  return file;
}

export async function removeItemFile(
  db: Db,
  creatorId: string,
  itemId: string,
  fileId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const file = await findItemFile(trx, creatorId, itemId, fileId);
    if (await itemHasBuyers(trx, itemId)) throw new AppError('FILE_SOLD', 409, FILE_SOLD_MESSAGE);
    await deleteItemFile(trx, file.id);
  });
}

/** The one-shot multipart upload of a new version of one of the item's files. */
export async function replaceItemFile(
  deps: Pick<FilesDeps, 'db' | 'store'>,
  principal: Principal,
  itemId: string,
  fileId: string,
  upload: SmallUpload,
): Promise<FileRow> {
  const old = await findItemFile(deps.db, principal.user.id, itemId, fileId);
  return uploadSmallFile(deps, principal, itemId, upload, { replaces: old });
}

/** For the catalogue's item editor (CatalogOptions.removeFile). */
export function createFileRemover(db: Db) {
  return (creatorId: string, itemId: string, fileId: string) =>
    removeItemFile(db, creatorId, itemId, fileId);
}

/** For the catalogue's item editor (CatalogOptions.replaceFile). */
export function createFileReplacer(deps: Pick<FilesDeps, 'db' | 'store'>) {
  return async (principal: Principal, itemId: string, fileId: string, upload: SmallUpload) => {
    await replaceItemFile(deps, principal, itemId, fileId, upload);
  };
}
