// Where an upload's bytes live: numbered parts under uploads/<id>/ in object storage, read back
// as one stream in order. Both tus and the one-shot multipart endpoint write this layout; the
// processing worker reads it with openUploadStream and removes it with deleteUploadObjects.
import { Readable } from 'node:stream';
import type { ObjectStore } from '../../platform/storage/index.js';

export const UPLOAD_PREFIX = 'uploads';
/** bytes per stored part: the most a dropped connection can lose, and the memory per PATCH */
export const PART_SIZE = 8 * 1024 * 1024;

export const uploadPrefix = (uploadId: string) => `${UPLOAD_PREFIX}/${uploadId}/`;
export const partKey = (uploadId: string, index: number) =>
  `${uploadPrefix(uploadId)}part-${String(index).padStart(6, '0')}`;
export const tailKey = (uploadId: string) => `${uploadPrefix(uploadId)}tail`;

/** The parts of a finished upload, in order, as one stream (each part fetched when needed). */
export function openUploadStream(
  store: ObjectStore,
  uploadId: string,
  partCount: number,
): Readable {
  async function* parts() {
    for (let index = 0; index < partCount; index++) {
      const part = await store.get(partKey(uploadId, index));
      try {
        for await (const chunk of part.body) yield chunk as Buffer;
      } finally {
        part.body.destroy();
      }
    }
  }
  return Readable.from(parts(), { objectMode: false });
}

/** Removes every object of an upload; safe to repeat. */
export async function deleteUploadObjects(store: ObjectStore, uploadId: string): Promise<void> {
  const keys: string[] = [];
  for await (const object of store.list(uploadPrefix(uploadId))) keys.push(object.key);
  await Promise.all(keys.map((key) => store.delete(key)));
}
