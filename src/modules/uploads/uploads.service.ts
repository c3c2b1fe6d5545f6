// Who may upload what: only an item's creator, within their tier's per-file and total limits,
// checked from the declared length before any byte is stored.
import type { Db, Executor } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { bytesInUse, findUploadRow, type UploadRow } from './uploads.repository.js';
import { checkTierLimit } from './tier-limits.js';
import { isUuid } from '../../platform/ids.js';

/** The item a creator may add a file to, or 404 (also for other creators' items). */
export async function assertUploadableItem(db: Executor, principal: Principal, itemId: string) {
  const item = isUuid(itemId)
    ? await db
        .selectFrom('items')
        .select(['id', 'creator_id'])
        .where('id', '=', itemId)
        .executeTakeFirst()
    : undefined;
  if (item?.creator_id !== principal.user.id) throw notFound('item');
  return item;
}

export async function assertWithinTier(db: Db, principal: Principal, size: number) {
  const user = await db
    .selectFrom('users')
    .select(['creator_tier', 'is_creator'])
    .where('id', '=', principal.user.id)
    .executeTakeFirstOrThrow();
  if (!user.is_creator) {
    throw new AppError('NOT_A_CREATOR', 403, 'Turn on creating first, at /join/create.');
  }
  const problem = checkTierLimit(user.creator_tier, size, await bytesInUse(db, principal.user.id));
  if (problem) throw problem;
}

/** An upload of this caller, or 404: nobody learns of or touches someone else's upload. */
export async function findOwnUpload(
  db: Executor,
  principal: Principal,
  id: string,
): Promise<UploadRow> {
  const row = await findUploadRow(db, id);
  if (row?.creator_id !== principal.user.id) throw notFound('upload');
  return row;
}
