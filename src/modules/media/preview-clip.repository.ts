// Kysely only: the preview start kept on an item's audio and video files, and the preview
// rendition written again after it moved.
import type { Db, Executor } from '../../db/database.js';

/** Files that are or may become the item's playable audio or video, the playable one first. */
export async function findPreviewFiles(db: Executor, itemId: string) {
  return db
    .selectFrom('files')
    .select(['id', 'status', 'preview_start_ms', 'duration_ms'])
    .where('item_id', '=', itemId)
    .where('status', 'not in', ['failed', 'quarantined'])
    .where((eb) => eb.or([eb('kind', 'in', ['audio', 'video']), eb('kind', 'is', null)]))
    .orderBy((eb) => eb('status', '=', 'ready'), 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

/** Keeps the start on those files; answers them (their previews are to be made again). */
export async function setPreviewStart(trx: Executor, itemId: string, startMs: number | null) {
  return trx
    .updateTable('files')
    .set({ preview_start_ms: startMs, updated_at: new Date() })
    .where('item_id', '=', itemId)
    .where('status', 'not in', ['failed', 'quarantined'])
    .where((eb) => eb.or([eb('kind', 'in', ['audio', 'video']), eb('kind', 'is', null)]))
    .returning(['id', 'status'])
    .execute();
}

export async function updatePreviewRendition(
  db: Db,
  fileId: string,
  preview: { key: string; mime: string; size: number; metadata: Record<string, unknown> },
): Promise<void> {
  const values = {
    key: preview.key,
    mime: preview.mime,
    size: preview.size,
    metadata: JSON.stringify(preview.metadata),
  };
  await db
    .insertInto('file_renditions')
    .values({ file_id: fileId, name: 'preview', ...values })
    .onConflict((oc) => oc.columns(['file_id', 'name']).doUpdateSet(values))
    .execute();
}
