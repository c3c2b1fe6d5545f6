// The files endpoints of API.md (under /api/v1): the one-shot multipart upload for small files
// and scripts, a file's state, signed stream and download URLs, and a Server-Sent Events
// stream of the caller's file status changes (fed by LISTEN/NOTIFY, so any instance serves it).
import { randomUUID } from 'node:crypto';
import { Transform } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { principalOf, requireScope, requireUser } from '../../platform/http/auth.js';
import type { Notifications } from '../../platform/notifications.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import {
  createFileRecord,
  enqueueFileProcessing,
  FILE_STATUS_CHANNEL,
  findFileById,
  uploadKeyOf,
  type FileRow,
  type FileStatusEvent,
} from '../media/index.js';
import { TIER_LIMITS } from '../uploads/index.js';
import { assertUploadableItem, assertWithinTier } from '../uploads/uploads.service.js';
import { NO_ACCESS, viewerOf, type AccessRule, type Viewer } from '../access/index.js';
import { downloadName } from './download-name.js';
import { findPlayableFile, findRendition } from './files.repository.js';
import { isUuid } from '../../platform/ids.js';
import { formatBytes } from '../../platform/bytes.js';

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

const idParams = z.object({ id: z.string().max(100) });

export const fileJsonSchema = z.object({
  id: z.uuid(),
  item_id: z.uuid(),
  status: z.enum(['pending', 'processing', 'ready', 'failed', 'quarantined']),
  kind: z.enum(['audio', 'video', 'image', 'archive', 'other']).nullable(),
  name: z.string(),
  mime: z.string().nullable(),
  size: z.number().nullable(),
  sha256: z.string().nullable(),
  duration_ms: z.number().optional(),
  error: z.string().optional(),
  notice: z.string().optional(),
  created_at: z.string(),
});
export type FileJson = z.infer<typeof fileJsonSchema>;

export function toFileJson(file: FileRow): FileJson {
  return {
    id: file.id,
    item_id: file.item_id,
    status: file.status,
    kind: file.kind,
    name: file.original_name,
    mime: file.mime,
    size: file.size,
    sha256: file.sha256,
    ...(file.duration_ms !== null && { duration_ms: file.duration_ms }),
    ...(file.error !== null && { error: file.error }),
    ...(file.notice !== null && { notice: file.notice }),
    created_at: file.created_at.toISOString(),
  };
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

async function ownFile(db: Db, userId: string, id: string): Promise<FileRow> {
  const file = isUuid(id) ? await findFileById(db, id) : undefined;
  if (file?.creator_id !== userId) throw notFound('file');
  return file;
}

export async function filesApi(app: FastifyInstance, { deps }: { deps: FilesDeps }) {
  const { db, store } = deps;
  const streams = new Set<() => void>();
  // Open event streams would hold a graceful shutdown up; end them first.
  app.addHook('preClose', async () => {
    for (const end of streams) end();
  });

  app.get('/items/:id/stream', async (request) => {
    const { id } = idParams.parse(request.params);
    return streamTarget(deps, viewerOf(request.principal), id);
  });

  app.get('/files/:id/download', async (request) => {
    const { id } = idParams.parse(request.params);
    return downloadTarget(deps, viewerOf(request.principal), id);
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.get('/files/:id', async (request) => {
      const { id } = idParams.parse(request.params);
      return { file: toFileJson(await ownFile(db, principalOf(request).user.id, id)) };
    });

    signedIn.get('/me/files/events', async (request, reply) => {
      const userId = principalOf(request).user.id;
      const res = reply.raw;
      let open = true;
      const send = (text: string) => {
        if (open) res.write(text);
      };
      const unsubscribe = await deps.notifications.subscribe(FILE_STATUS_CHANNEL, (payload) => {
        const event = JSON.parse(payload) as FileStatusEvent;
        if (event.creator_id !== userId) return;
        const visible = {
          id: event.id,
          item_id: event.item_id,
          status: event.status,
          error: event.error,
        };
        send(`event: file\ndata: ${JSON.stringify(visible)}\n\n`);
      });
      reply.hijack();
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      });
      send('retry: 3000\n: connected\n\n');
      const ping = setInterval(() => send(': ping\n\n'), 25_000);
      const end = () => {
        if (!open) return;
        open = false;
        clearInterval(ping);
        unsubscribe();
        streams.delete(end);
        res.end();
      };
      streams.add(end);
      request.raw.on('close', end);
    });
  });

  await app.register(async (writer) => {
    writer.addHook('preHandler', requireUser);
    writer.addHook('preHandler', requireScope('write'));

    writer.post('/items/:id/files', async (request, reply) => {
      const principal = principalOf(request);
      const { id } = idParams.parse(request.params);
      await assertUploadableItem(db, principal, id);
      if (!request.isMultipart()) {
        throw new AppError(
          'UNSUPPORTED_MEDIA_TYPE',
          415,
          'Send the file as multipart/form-data in a field named file.',
        );
      }
      const tier = await db
        .selectFrom('users')
        .select('creator_tier')
        .where('id', '=', principal.user.id)
        .executeTakeFirstOrThrow();
      const max = Math.min(TIER_LIMITS[tier.creator_tier ?? 'basic'].perFile, MULTIPART_MAX_BYTES);
      // An early answer when the request is plainly too big (the body adds a little framing).
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > max + 64 * 1024) await assertWithinTier(db, principal, declared);
      const part = await request.file({ limits: { fileSize: max + 1 } });
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
        const file = await db.transaction().execute(async (trx) => {
          const row = await createFileRecord(trx, {
            id: fileId,
            itemId: id,
            creatorId: principal.user.id,
            originalName: part.filename,
            declaredType: part.mimetype,
            uploadKey: key,
          });
          await enqueueFileProcessing(trx, row.id);
          return row;
        });
        return await reply.status(202).send({ file: toFileJson(file) });
      } catch (error) {
        await store.delete(key).catch(() => undefined);
        throw error;
      }
    });
  });
}
