// How the worker reads and removes the bytes an upload left in object storage. The default is
// one object at upload_key; the uploads module, which stores numbered parts, supplies its own
// reader (its table knows how many parts count), so this module does not depend on that layout.
import type { Readable } from 'node:stream';
import { StorageNotFoundError, type ObjectStore } from '../../platform/storage/index.js';

export interface UploadedFile {
  id: string;
  uploadKey: string;
}

export interface UploadReader {
  /** the uploaded bytes as one stream; undefined when they are gone (already processed) */
  open(file: UploadedFile): Promise<Readable | undefined>;
  /** removes the uploaded bytes; safe to repeat */
  remove(file: UploadedFile): Promise<void>;
}

/** The upload is the single object at upload_key. */
export function singleObjectUploads(store: ObjectStore): UploadReader {
  return {
    async open(file) {
      try {
        return (await store.get(file.uploadKey)).body;
      } catch (error) {
        if (error instanceof StorageNotFoundError) return undefined;
        throw error;
      }
    },
    remove: (file) => store.delete(file.uploadKey),
  };
}
