// Kysely only: the files table, its renditions, and the file_status notification that goes
// with every status change (in the same transaction, so a listener never hears of a change
// that rolled back).
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db, Executor, Trx } from '../../db/database.js';
import type { FileKind, FilesTable, FileStatus } from '../../db/schema.js';

export type FileRow = Selectable<FilesTable>;
export const FILE_STATUS_CHANNEL = 'file_status';

/** States the worker may still move forward; the others are final. */
const OPEN_STATES: readonly FileStatus[] = ['pending', 'processing'];

export interface FileStatusEvent {
  id: string;
  item_id: string;
  creator_id: string;
  status: FileStatus;
  error: string | null;
}

export async function notifyFileStatus(trx: Executor, file: FileRow): Promise<void> {
  const event: FileStatusEvent = {
    id: file.id,
    item_id: file.item_id,
    creator_id: file.creator_id,
    status: file.status,
    error: file.error,
  };
  await sql`select pg_notify(${FILE_STATUS_CHANNEL}, ${JSON.stringify(event)})`.execute(trx);
}

export async function insertFile(trx: Executor, values: Insertable<FilesTable>): Promise<FileRow> {
  return trx.insertInto('files').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findFileById(db: Executor, id: string): Promise<FileRow | undefined> {
  return db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Marks an open file as processing and counts the attempt; undefined when the file is gone or
 * already final (a second run of the job then does nothing).
 */
export async function claimFile(db: Db, id: string): Promise<FileRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('files')
      .select('status')
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current || !OPEN_STATES.includes(current.status)) return undefined;
    const file = await trx
      .updateTable('files')
      .set((eb) => ({
        status: 'processing',
        attempts: eb('attempts', '+', 1),
        updated_at: new Date(),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (current.status !== 'processing') await notifyFileStatus(trx, file);
    return file;
  });
}

export interface RenditionRecord {
  name: string;
  key: string;
  mime: string;
  size: number;
  metadata: Record<string, unknown>;
}

export interface ReadyFile {
  kind: FileKind;
  mime: string;
  size: number;
  sha256: string;
  originalKey: string;
  durationMs: number | null;
  metadata: Record<string, unknown>;
  notice: string | null;
  renditions: readonly RenditionRecord[];
}

/** Closes an open file with a final status; false when it was already final (nothing changes). */
async function closeFile(
  trx: Trx,
  id: string,
  values: Updateable<FilesTable>,
): Promise<FileRow | undefined> {
  return trx
    .updateTable('files')
    .set({ ...values, upload_key: null, updated_at: new Date(), processed_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', OPEN_STATES)
    .returningAll()
    .executeTakeFirst();
}

export async function markFileReady(db: Db, id: string, ready: ReadyFile): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const file = await closeFile(trx, id, {
      status: 'ready',
      kind: ready.kind,
      mime: ready.mime,
      size: ready.size,
      sha256: ready.sha256,
      original_key: ready.originalKey,
      duration_ms: ready.durationMs,
      metadata: JSON.stringify(ready.metadata),
      notice: ready.notice,
      error: null,
    });
    if (!file) return false;
    // A new version takes the old one's place only now that it works (its objects go with the
    // hourly orphan cleanup).
    if (file.replaces_file_id !== null) {
      await trx
        .deleteFrom('files')
        .where('id', '=', file.replaces_file_id)
        .where('item_id', '=', file.item_id)
        .execute();
    }
    // A crashed earlier run may have written none; a row per name is the primary key.
    await trx.deleteFrom('file_renditions').where('file_id', '=', id).execute();
    if (ready.renditions.length > 0) {
      await trx
        .insertInto('file_renditions')
        .values(
          ready.renditions.map((r) => ({
            file_id: id,
            name: r.name,
            key: r.key,
            mime: r.mime,
            size: r.size,
            metadata: JSON.stringify(r.metadata),
          })),
        )
        .execute();
    }
    await notifyFileStatus(trx, file);
    return true;
  });
}

export interface RefusedFile {
  status: 'failed' | 'quarantined';
  error: string;
  kind?: FileKind | null;
  mime?: string | null;
  size?: number | null;
  sha256?: string | null;
  metadata?: Record<string, unknown>;
}

export async function markFileRefused(db: Db, id: string, refused: RefusedFile): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const file = await closeFile(trx, id, {
      status: refused.status,
      error: refused.error,
      original_key: null,
      ...(refused.kind !== undefined && { kind: refused.kind }),
      ...(refused.mime !== undefined && { mime: refused.mime }),
      ...(refused.size !== undefined && { size: refused.size }),
      ...(refused.sha256 !== undefined && { sha256: refused.sha256 }),
      ...(refused.metadata !== undefined && { metadata: JSON.stringify(refused.metadata) }),
    });
    if (!file) return false;
    await trx.deleteFrom('file_renditions').where('file_id', '=', id).execute();
    await notifyFileStatus(trx, file);
    return true;
  });
}

export async function listRenditions(db: Executor, fileId: string) {
  return db
    .selectFrom('file_renditions')
    .selectAll()
    .where('file_id', '=', fileId)
    .orderBy('name')
    .execute();
}

export async function itemHasReadyFile(db: Executor, itemId: string): Promise<boolean> {
  const row = await db
    .selectFrom('files')
    .select('id')
    .where('item_id', '=', itemId)
    .where('status', '=', 'ready')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
