// Putting processed images into object storage under keys we generate: a user-supplied name never
// reaches a key, so there is nothing to traverse, collide with or guess.
import { randomUUID } from 'node:crypto';
import { assertValidPrefix } from '../storage/object-key.js';
import type { ObjectStore } from '../storage/store.js';
import type { ProcessedImage } from './image-processor.js';

export interface StoredVariant {
  name: string;
  key: string;
  width: number;
  height: number;
  contentType: string;
  bytes: number;
}

export interface StoredImage {
  /** the generated folder id, `${prefix}/${id}/…` */
  id: string;
  width: number;
  height: number;
  sha256: string;
  /** ascending by width */
  variants: StoredVariant[];
  /** one entry per variant for `srcset="url 320w, …"` once each key is turned into a URL */
  srcset: { key: string; width: number }[];
}

export async function storeImage(
  store: ObjectStore,
  prefix: string,
  processed: ProcessedImage,
): Promise<StoredImage> {
  assertValidPrefix(prefix);
  const base = prefix.replace(/\/+$/, '');
  const id = randomUUID();
  const variants: StoredVariant[] = [];
  try {
    for (const variant of processed.variants) {
      const key = `${base === '' ? '' : `${base}/`}${id}/${variant.name}.webp`;
      await store.put(key, variant.body, { contentType: variant.contentType });
      variants.push({
        name: variant.name,
        key,
        width: variant.width,
        height: variant.height,
        contentType: variant.contentType,
        bytes: variant.bytes,
      });
    }
  } catch (error) {
    // Leave no half-stored image behind; the original error is the one worth reporting.
    await Promise.allSettled(variants.map((stored) => store.delete(stored.key)));
    throw error;
  }
  return {
    id,
    width: processed.width,
    height: processed.height,
    sha256: processed.sha256,
    variants,
    srcset: variants.map(({ key, width }) => ({ key, width })),
  };
}

/** Deletes every variant; safe to repeat, since deleting a missing object succeeds. */
export async function deleteImage(
  store: ObjectStore,
  stored: { variants: readonly Pick<StoredVariant, 'key'>[] },
): Promise<void> {
  await Promise.all(stored.variants.map((variant) => store.delete(variant.key)));
}
