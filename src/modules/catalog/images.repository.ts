// Stored images (Kysely only): one row per upload, its renditions' keys in `variants`.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ImagePurpose, ImageVariantRecord } from '../../db/schema.js';

export interface ImageRow {
  id: string;
  owner_id: string | null;
  purpose: ImagePurpose;
  width: number;
  height: number;
  variants: ImageVariantRecord[];
}

export async function insertImage(
  db: Executor,
  row: Omit<ImageRow, 'variants'> & { sha256: string; variants: ImageVariantRecord[] },
): Promise<void> {
  await db
    .insertInto('images')
    .values({ ...row, variants: JSON.stringify(row.variants) })
    .execute();
}

export async function findImages(db: Executor, ids: readonly string[]): Promise<ImageRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('images')
    .select(['id', 'owner_id', 'purpose', 'width', 'height', 'variants'])
    .where('id', 'in', ids)
    .execute();
}

/**
 * Images nobody uses: the owner is gone, or an avatar or cover that no profile, project or item
 * points at any more (replaced or never attached) and is older than `olderThanSeconds`. Markdown
 * images stay while their owner exists, since any text may still link to them.
 */
export async function findUnusedImages(
  db: Executor,
  olderThanSeconds: number,
  limit: number,
): Promise<ImageRow[]> {
  return db
    .selectFrom('images as i')
    .select(['i.id', 'i.owner_id', 'i.purpose', 'i.width', 'i.height', 'i.variants'])
    .where('i.created_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanSeconds})`)
    .where((eb) =>
      eb.or([
        eb('i.owner_id', 'is', null),
        eb.and([
          eb('i.purpose', '<>', 'inline'),
          eb.not(
            eb.exists(
              eb.selectFrom('users').select('id').whereRef('users.avatar_image_id', '=', 'i.id'),
            ),
          ),
          eb.not(
            eb.exists(
              eb
                .selectFrom('projects')
                .select('id')
                .whereRef('projects.cover_image_id', '=', 'i.id'),
            ),
          ),
          eb.not(
            eb.exists(
              eb.selectFrom('items').select('id').whereRef('items.cover_image_id', '=', 'i.id'),
            ),
          ),
        ]),
      ]),
    )
    .limit(limit)
    .execute();
}

export async function deleteImageRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('images').where('id', '=', id).execute();
}
