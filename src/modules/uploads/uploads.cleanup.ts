// The hourly cleanup's part: unfinished uploads past their 24 hours, objects first, then rows.
import type { Db } from '../../db/database.js';
import type { CleanupStep } from '../../platform/maintenance/cleanup.jobs.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { deleteUploadObjects } from './upload-parts.js';
import { deleteUploadRow, findExpiredUploads } from './uploads.repository.js';

export function uploadsCleanupStep(db: Db, store: ObjectStore): CleanupStep {
  return {
    name: 'expired_uploads',
    async run() {
      let removed = 0;
      for (;;) {
        const expired = await findExpiredUploads(db, 100);
        for (const row of expired) {
          await deleteUploadObjects(store, row.id);
          await deleteUploadRow(db, row.id);
        }
        removed += expired.length;
        if (expired.length < 100) return removed;
      }
    },
  };
}
