// What the media worker needs from the runtime.
import type { Db } from '../../db/database.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { singleObjectUploads, type UploadReader } from './upload-reader.js';

export interface MediaDeps {
  db: Db;
  store: ObjectStore;
  /** the runtime's scratch directory; each run works in its own folder inside it */
  tempDir: string;
  /** where uploads keep their bytes; default: one object at files.upload_key */
  uploads?: UploadReader;
}

export const uploadReaderOf = (deps: MediaDeps): UploadReader =>
  deps.uploads ?? singleObjectUploads(deps.store);
