// The files endpoints of API.md (under /api/v1): the one-shot multipart upload for small files
// and scripts, a file's state, signed stream and download URLs, and a Server-Sent Events
// stream of the caller's file status changes (fed by LISTEN/NOTIFY, so any instance serves it).
// The routes parse and answer; what they decide and do is files.service.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { principalOf, requireScope, requireUser } from '../../platform/http/auth.js';
import { FILE_STATUS_CHANNEL, type FileRow, type FileStatusEvent } from '../media/index.js';
import { viewerOf } from '../access/index.js';
import {
  downloadTarget,
  findOwnFile,
  streamTarget,
  uploadSmallFile,
  type FilesDeps,
} from './files.service.js';

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

export async function filesApi(app: FastifyInstance, { deps }: { deps: FilesDeps }) {
  const { db } = deps;
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
      return { file: toFileJson(await findOwnFile(db, principalOf(request).user.id, id)) };
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
      const { id } = idParams.parse(request.params);
      const file = await uploadSmallFile(deps, principalOf(request), id, {
        multipart: request.isMultipart(),
        declaredBytes: Number(request.headers['content-length'] ?? 0),
        readPart: (maxBytes) => request.file({ limits: { fileSize: maxBytes } }),
      });
      return reply.status(202).send({ file: toFileJson(file) });
    });
  });
}
