// Images for profiles, covers and markdown: accepted only as real images (platform/images
// sniffs, decodes with a pixel limit and re-encodes), stored under images/<id>/, served publicly
// at /media/images/<id>/<size>.webp with immutable caching (the id is new for every upload).
import type { Readable } from 'node:stream';
import type { Db, Executor } from '../../db/database.js';
import type { ImagePurpose } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { deleteImage, processImage, storeImage } from '../../platform/images/index.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import {
  deleteImageRow,
  findImages,
  findUnusedImages,
  insertImage,
  type ImageRow,
} from './images.repository.js';

export const IMAGE_PATH = '/media/images';
const STORE_PREFIX = 'images';

export interface ImageRef {
  id: string;
  purpose: ImagePurpose;
  /** a middle size, for `src` */
  src: string;
  /** every size, for `srcset` */
  srcset: string;
  /** the largest size, for OpenGraph and markdown */
  largest: string;
  width: number;
  height: number;
}

export const imageObjectKey = (id: string, size: string) => `${STORE_PREFIX}/${id}/${size}.webp`;
const imagePath = (id: string, size: string) => `${IMAGE_PATH}/${id}/${size}.webp`;

export function toImageRef(row: ImageRow): ImageRef {
  const variants = [...row.variants].sort((a, b) => a.width - b.width);
  const middle = variants.filter((v) => v.width <= 640).at(-1) ?? variants[0];
  const largest = variants.at(-1);
  return {
    id: row.id,
    purpose: row.purpose,
    src: imagePath(row.id, middle?.name ?? '640'),
    srcset: variants.map((v) => `${imagePath(row.id, v.name)} ${v.width}w`).join(', '),
    largest: imagePath(row.id, largest?.name ?? '640'),
    width: row.width,
    height: row.height,
  };
}

/** The images with these ids (nulls skipped), by id. */
export async function findImageRefs(
  db: Executor,
  ids: readonly (string | null | undefined)[],
): Promise<Map<string, ImageRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  const rows = await findImages(db, wanted);
  return new Map(rows.map((row) => [row.id, toImageRef(row)]));
}

export async function findImageRef(
  db: Executor,
  id: string | null | undefined,
): Promise<ImageRef | undefined> {
  return id ? (await findImageRefs(db, [id])).get(id) : undefined;
}

const PRESET_OF: Record<ImagePurpose, 'avatar' | 'cover' | 'inline'> = {
  avatar: 'avatar',
  cover: 'cover',
  inline: 'inline',
};

/** Processes and stores an upload; avatars for anyone signed in, covers and inline for creators. */
export async function uploadImage(
  deps: { db: Db; store: ObjectStore },
  principal: Principal,
  purpose: ImagePurpose,
  input: Buffer | Readable,
): Promise<ImageRef> {
  if (purpose !== 'avatar' && !principal.user.isCreator) {
    throw new AppError('NOT_A_CREATOR', 403, 'Turn on creating first, at /join/create.');
  }
  const processed = await processImage(input, PRESET_OF[purpose]);
  const stored = await storeImage(deps.store, STORE_PREFIX, processed);
  const row: ImageRow = {
    id: stored.id,
    owner_id: principal.user.id,
    purpose,
    width: stored.width,
    height: stored.height,
    variants: stored.variants.map(({ name, key, width, height, bytes }) => ({
      name,
      key,
      width,
      height,
      bytes,
    })),
  };
  try {
    await insertImage(deps.db, { ...row, sha256: stored.sha256 });
  } catch (error) {
    await deleteImage(deps.store, stored).catch(() => undefined);
    throw error;
  }
  return toImageRef(row);
}

/**
 * An image id a caller wants to attach: it must be theirs and made for this purpose; anything
 * else is a 422 on `field`, so nobody can borrow someone else's upload.
 */
export async function assertOwnImage(
  db: Executor,
  principal: Principal,
  id: string,
  purpose: ImagePurpose,
  field: string,
): Promise<void> {
  const [row] = /^[0-9a-f-]{36}$/i.test(id) ? await findImages(db, [id]) : [];
  if (row?.owner_id !== principal.user.id || row.purpose !== purpose) {
    throw new AppError('IMAGE_NOT_FOUND', 422, 'Upload the image first, then choose it here.', {
      fields: { [field]: `This is not one of your ${purpose} images.` },
    });
  }
}

/** Cleanup: removes objects, then rows, of images nobody uses (a day's grace for new uploads). */
export async function removeUnusedImages(db: Db, store: ObjectStore, batch = 100): Promise<number> {
  const unused = await findUnusedImages(db, 24 * 3600, batch);
  for (const image of unused) {
    await deleteImage(store, image);
    await deleteImageRow(db, image.id);
  }
  return unused.length;
}
