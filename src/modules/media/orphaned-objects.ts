// A cleanup step: objects under files/<id>/ whose row is gone (the item or its creator was
// deleted, and the row with it, by cascade). Only objects older than the cutoff are touched, so
// a file being processed right now is never raced.
import type { Db } from '../../db/database.js';
import type { CleanupStep } from '../../platform/maintenance/cleanup.jobs.js';
import type { ObjectInfo, ObjectStore } from '../../platform/storage/index.js';

const BATCH = 500;
const FILE_KEY = /^files\/([0-9a-f-]{36})\//;

async function existingIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('files').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

async function removeOrphans(db: Db, store: ObjectStore, batch: ObjectInfo[]): Promise<number> {
  const idOf = (object: ObjectInfo) => FILE_KEY.exec(object.key)?.[1];
  const ids = [...new Set(batch.map(idOf).filter((id): id is string => id !== undefined))];
  const known = await existingIds(db, ids);
  let removed = 0;
  for (const object of batch) {
    const id = idOf(object);
    if (id !== undefined && !known.has(id)) {
      await store.delete(object.key);
      removed++;
    }
  }
  return removed;
}

export async function removeOrphanedFileObjects(
  db: Db,
  store: ObjectStore,
  cutoff: Date,
): Promise<number> {
  let removed = 0;
  let batch: ObjectInfo[] = [];
  for await (const object of store.list('files/')) {
    if (object.lastModified >= cutoff) continue;
    batch.push(object);
    if (batch.length >= BATCH) {
      removed += await removeOrphans(db, store, batch);
      batch = [];
    }
  }
  return removed + (await removeOrphans(db, store, batch));
}

export function orphanedFileObjectsStep(db: Db, store: ObjectStore): CleanupStep {
  return {
    name: 'orphaned-file-objects',
    run: (cutoff) => removeOrphanedFileObjects(db, store, cutoff),
  };
}
