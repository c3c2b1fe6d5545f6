// The files module's use cases: signed URLs to play, show a poster of or download a file, each
// decided by the one access rule; a creator's own file; and the one-shot upload of a small file
// (the tier's limits, the bytes counted on their way to storage, the file row and its
// processing job in one transaction). Routes (files.api.ts, files.pages.ts) parse and answer.
import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { formatBytes } from '../../platform/bytes.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { isUuid } from '../../platform/ids.js';
import type { Notifications } from '../../platform/notifications.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { NO_ACCESS, type AccessRule, type Viewer } from '../access/index.js';
import {
  createFileRecord,
  enqueueFileProcessing,
  findFileById,
  uploadKeyOf,
  type FileRow,
} from '../media/index.js';
import { TIER_LIMITS } from '../uploads/index.js';
import { assertUploadableItem, assertWithinTier } from '../uploads/index.js';
import { downloadName } from './download-name.js';
import { findCreatorTier, findPlayableFile, findRendition } from './files.repository.js';

/** Signed URLs live this long at most (the rule). */
export const SIGNED_URL_SECONDS = 300;
/** The multipart endpoint is for small files; bigger ones go through tus. */
export const MULTIPART_MAX_BYTES = 1024 * 1024 * 1024;

export interface FilesDeps {
  db: Db;
  store: ObjectStore;
  notifications: Notifications;
  /** the one rule of who may play and download what */
  access: AccessRule;
}

async function assertStored(store: ObjectStore, key: string): Promise<void> {
  if (!(await store.head(key))) {
    throw new AppError('FILE_MISSING', 404, 'This file is missing from storage.');
  }
}

/** A signed URL to play an item: the whole stream, or the preview clip for those who have not bought it. */
export async function streamTarget(
  deps: Pick<FilesDeps, 'db' | 'store' | 'access'>,
  viewer: Viewer,
  itemId: string,
): Promise<{ url: string; expires_at: string; preview: boolean }> {
  const { db, store } = deps;
  const { item, access } = await deps.access.decideById(db, viewer, itemId);
  if (!item || access.level === 'none') throw notFound('item');
  const file = await findPlayableFile(db, item.id);
  if (!file) throw new AppError('NOT_PLAYABLE', 404, 'This item has nothing to play yet.');
  let key = file.original_key;
  let contentType = file.mime ?? undefined;
  const preview = access.level !== 'full';
  if (preview) {
    const clip = await findRendition(db, file.id, 'preview');
    if (!clip) throw new AppError('PURCHASE_REQUIRED', 403, 'Buy this item or join to play it.');
    key = clip.key;
    contentType = clip.mime;
  } else {
    const rendition = await findRendition(db, file.id, 'stream');
    if (rendition) {
      key = rendition.key;
      contentType = rendition.mime;
    }
  }
  if (!key) throw new AppError('NOT_PLAYABLE', 404, 'This item has nothing to play yet.');
  // Signing needs no network; asking for the object first means a dead store is a 503 now,
  // not a broken player later (and the breaker makes that answer instant once it knows).
  await assertStored(store, key);
  const signed = await store.signedUrl(key, {
    expiresInSeconds: SIGNED_URL_SECONDS,
    disposition: 'inline',
    ...(contentType && { contentType }),
  });
  return { url: signed.url, expires_at: signed.expiresAt.toISOString(), preview };
}

/** A signed URL of a video's poster frame: as public as the item itself. */
export async function posterTarget(
  deps: Pick<FilesDeps, 'db' | 'store' | 'access'>,
  viewer: Viewer,
  itemId: string,
): Promise<{ url: string; expires_at: string }> {
  const { item, access } = await deps.access.decideById(deps.db, viewer, itemId);
  const file =
    item && access.level !== 'none' ? await findPlayableFile(deps.db, item.id) : undefined;
  const poster = file && (await findRendition(deps.db, file.id, 'poster'));
  if (!poster) throw notFound('poster');
  await assertStored(deps.store, poster.key);
  const signed = await deps.store.signedUrl(poster.key, {
    expiresInSeconds: SIGNED_URL_SECONDS,
    contentType: poster.mime,
  });
  return { url: signed.url, expires_at: signed.expiresAt.toISOString() };
}

/**
 * A signed URL that downloads a file's original, for those with full access. Anyone else is
 * told the file is not there (404), as GET /files/:id tells them: file ids appear only on pages
 * that offer the download, so a refusal naming the file would confirm what no page shows.
 */
export async function downloadTarget(
  deps: Pick<FilesDeps, 'db' | 'store' | 'access'>,
  viewer: Viewer,
  fileId: string,
): Promise<{ url: string; expires_at: string }> {
  const { db, store } = deps;
  const file = isUuid(fileId) ? await findFileById(db, fileId) : undefined;
  const { access } = file
    ? await deps.access.decideById(db, viewer, file.item_id)
    : { access: NO_ACCESS };
  if (!file || access.level !== 'full') throw notFound('file');
  if (file.status !== 'ready' || !file.original_key) {
    throw new AppError('FILE_NOT_READY', 409, 'This file is not ready yet.');
  }
  await assertStored(store, file.original_key);
  const signed = await store.signedUrl(file.original_key, {
    expiresInSeconds: SIGNED_URL_SECONDS,
    disposition: 'attachment',
    filename: await downloadName(db, file),
    ...(file.mime && { contentType: file.mime }),
  });
  return { url: signed.url, expires_at: signed.expiresAt.toISOString() };
}

/** A file of this creator's, or 404: nobody learns of someone else's file. */
export async function findOwnFile(db: Db, userId: string, id: string): Promise<FileRow> {
  const file = isUuid(id) ? await findFileById(db, id) : undefined;
  if (file?.creator_id !== userId) throw notFound('file');
  return file;
}

/** One part of a multipart body, as the route's parser hands it over. */
export interface UploadPart {
  fieldname: string;
  filename: string;
  mimetype: string;
  /** ends early, with `truncated` set, past the size it was read with */
  file: Readable & { truncated: boolean };
}

export interface SmallUpload {
  /** whether the body is multipart/form-data at all */
  multipart: boolean;
  /** the request's Content-Length, 0 when not given */
  declaredBytes: number;
  /** reads the body's first file part, stopping past `maxBytes` */
  readPart(maxBytes: number): Promise<UploadPart | undefined>;
}

/** Counts bytes on their way to storage (multipart's own limit stops the stream). */
function byteCounter() {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { counter, bytes: () => bytes };
}

/**
 * A small file added to the creator's own item in one request: stored under `tmp/`, then its
 * file row and processing job in one transaction. Too big for the plan (or for this form) is a
 * 413 and nothing is kept.
 */
export async function uploadSmallFile(
  deps: Pick<FilesDeps, 'db' | 'store'>,
  principal: Principal,
  itemId: string,
  upload: SmallUpload,
  /** a new version of one of the item's files: it replaces that one once it is ready */
  version?: { replaces: FileRow },
): Promise<FileRow> {
  const { db, store } = deps;
  await assertUploadableItem(db, principal, itemId);
  if (!upload.multipart) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      415,
      'Send the file as multipart/form-data in a field named file.',
    );
  }
  const tier = await findCreatorTier(db, principal.user.id);
  const max = Math.min(TIER_LIMITS[tier ?? 'basic'].perFile, MULTIPART_MAX_BYTES);
  // An early answer when the request is plainly too big (the body adds a little framing).
  if (upload.declaredBytes > max + 64 * 1024) {
    await assertWithinTier(db, principal, upload.declaredBytes);
  }
  const part = await upload.readPart(max + 1);
  if (part?.fieldname !== 'file') {
    throw new AppError('VALIDATION_FAILED', 422, 'Some fields are not valid.', {
      fields: { file: 'Choose a file to upload.' },
    });
  }
  const fileId = randomUUID();
  const key = uploadKeyOf(fileId);
  const { counter, bytes } = byteCounter();
  part.file.on('error', (error) => counter.destroy(error));
  try {
    await store.put(key, part.file.pipe(counter), {
      contentType: 'application/octet-stream',
    });
    if (part.file.truncated || bytes() > max) {
      throw new AppError(
        'FILE_TOO_LARGE',
        413,
        max === MULTIPART_MAX_BYTES
          ? `This form takes files up to ${formatBytes(max)}; send bigger ones as a resumable upload (POST /api/v1/uploads).`
          : `This file is larger than ${formatBytes(max)}, the most a file on your plan can be.`,
      );
    }
    await assertWithinTier(db, principal, bytes());
    return await db.transaction().execute(async (trx) => {
      const row = await createFileRecord(trx, {
        id: fileId,
        itemId,
        creatorId: principal.user.id,
        originalName: part.filename,
        declaredType: part.mimetype,
        uploadKey: key,
        replacesFileId: version?.replaces.id,
        previewStartMs: version?.replaces.preview_start_ms,
      });
      await enqueueFileProcessing(trx, row.id);
      return row;
    });
  } catch (error) {
    await store.delete(key).catch(() => undefined);
    throw error;
  }
}
