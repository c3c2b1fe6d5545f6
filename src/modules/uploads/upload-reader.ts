// The worker's view of uploaded bytes (media's UploadReader): a tus upload is the parts under
// uploads/<id>/ that its row counts; anything else (the one-shot multipart endpoint) is a
// single object at upload_key.
import type { Db } from '../../db/database.js';
import { singleObjectUploads, type UploadReader } from '../media/index.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { deleteUploadObjects, openUploadStream, partKey, UPLOAD_PREFIX } from './upload-parts.js';
import { deleteUploadRow } from './uploads.repository.js';

const TUS_KEY = new RegExp(`^${UPLOAD_PREFIX}/([0-9a-f]{32})/$`);

export function uploadReader(db: Db, store: ObjectStore): UploadReader {
  const single = singleObjectUploads(store);
  return {
    async open(file) {
      const id = TUS_KEY.exec(file.uploadKey)?.[1];
      if (!id) return single.open(file);
      const row = await db
        .selectFrom('uploads')
        .select(['part_count', 'offset', 'size'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row || row.offset !== row.size) return undefined;
      // An empty upload has no parts at all; otherwise the first part must still be there.
      if (row.part_count > 0 && !(await store.head(partKey(id, 0)))) return undefined;
      return openUploadStream(store, id, row.part_count);
    },
    async remove(file) {
      const id = TUS_KEY.exec(file.uploadKey)?.[1];
      if (!id) return single.remove(file);
      await deleteUploadObjects(store, id);
      await deleteUploadRow(db, id);
    },
  };
}
