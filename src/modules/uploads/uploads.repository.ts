// Upload rows (Kysely only).
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { UploadsTable } from '../../db/schema.js';

export type UploadRow = Selectable<UploadsTable>;

export async function insertUploadRow(
  db: Executor,
  row: Insertable<UploadsTable>,
): Promise<UploadRow> {
  return db.insertInto('uploads').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findUploadRow(db: Executor, id: string): Promise<UploadRow | undefined> {
  if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
  return db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteUploadRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('uploads').where('id', '=', id).execute();
}

export async function setUploadFile(db: Executor, id: string, fileId: string): Promise<void> {
  await db.updateTable('uploads').set({ file_id: fileId }).where('id', '=', id).execute();
}

/** Unfinished uploads past their expiry. */
export async function findExpiredUploads(db: Executor, limit: number): Promise<UploadRow[]> {
  return db
    .selectFrom('uploads')
    .selectAll()
    .where('file_id', 'is', null)
    .where('expires_at', '<', new Date())
    .limit(limit)
    .execute();
}

// sum(bigint) is numeric, which pg hands over as a string.
const total = sql<string>`coalesce(sum(size), 0)::text`.as('n');

/** Bytes a creator has stored or is uploading: their files plus unfinished uploads. */
export async function bytesInUse(db: Executor, creatorId: string): Promise<number> {
  const files = await db
    .selectFrom('files')
    .select(total)
    .where('creator_id', '=', creatorId)
    .where('status', 'in', ['pending', 'processing', 'ready'])
    .executeTakeFirstOrThrow();
  const uploads = await db
    .selectFrom('uploads')
    .select(total)
    .where('creator_id', '=', creatorId)
    .where('file_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(files.n) + Number(uploads.n);
}
