// /api/v1/uploads: tus 1.0 (creation, creation-with-upload, termination, expiration) through
// @tus/server, with our DataStore (object storage + PostgreSQL) and our PostgreSQL locker, so
// any number of app instances can serve the requests of one upload. Metadata: item_id and
// filename (filetype optional). The creator is the signed-in caller, whatever the metadata says.
// tus answers through Fastify's reply (tus-answers.ts): refusals in the JSON error envelope,
// every answer with Tus-Resumable, none with CORS headers.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { Server, TUS_RESUMABLE, type ServerOptions } from '@tus/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import {
  principalOf,
  requireScope,
  requireUser,
  type Principal,
} from '../../platform/http/auth.js';
import { findNul, invalidText } from '../../platform/http/text-input.js';
import type { Notifications } from '../../platform/notifications.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { PgLocker } from './pg-locker.js';
import { ObjectUploadStore } from './upload-store.js';
import { setUploadFile, type UploadRow } from './uploads.repository.js';
import { assertUploadableItem, assertWithinTier, findOwnUpload } from './uploads.service.js';
import { MAX_FILE_BYTES } from './tier-limits.js';
import { copyTusHeaders, tusFailure } from './tus-answers.js';

export const UPLOADS_PATH = '/api/v1/uploads';

export interface UploadsDeps {
  db: Db;
  store: ObjectStore;
  config: Readonly<Config>;
  notifications: Notifications;
  /** makes the file of a finished upload (and queues its processing); returns the file id */
  onUploadComplete: (trx: Trx, upload: UploadRow) => Promise<string>;
}

type TusRequest = Parameters<NonNullable<ServerOptions['onUploadCreate']>>[0];

/**
 * The web Request tus reads, over Node's request as @tus/server's own `handle` builds it: the
 * body streamed, and `runtime.node` so tus notices a broken connection and our hooks find the
 * principal.
 */
function tusRequestOf(request: FastifyRequest, reply: FastifyReply): Request {
  const raw = request.raw;
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.rawHeaders.length; i += 2) {
    headers.append(raw.rawHeaders[i] ?? '', raw.rawHeaders[i + 1] ?? '');
  }
  const bodyless = request.method === 'HEAD' || request.method === 'GET';
  const web = new Request(new URL(request.url, 'http://upload.invalid'), {
    method: request.method,
    headers,
    ...(!bodyless && { body: Readable.toWeb(raw) as ReadableStream, duplex: 'half' }),
  });
  return Object.assign(web, { runtime: { name: 'node', node: { req: raw, res: reply.raw } } });
}

export function createTusServer(deps: UploadsDeps) {
  // The principal Fastify resolved, found again from inside tus's hooks.
  const principals = new WeakMap<IncomingMessage, Principal>();
  const principalFor = (req: TusRequest): Principal => {
    const node = req.runtime?.node?.req as IncomingMessage | undefined;
    const principal = node && principals.get(node);
    if (!principal) throw new AppError('NOT_SIGNED_IN', 401, 'Sign in to upload.');
    return principal;
  };
  // What tus caught before it answered a refusal, for the route to throw instead.
  const failures = new WeakMap<Request, unknown>();

  const datastore = new ObjectUploadStore({
    db: deps.db,
    store: deps.store,
    onComplete: async (trx, upload) => {
      const fileId = await deps.onUploadComplete(trx, upload);
      await setUploadFile(trx, upload.id, fileId);
    },
  });

  const server = new Server({
    path: UPLOADS_PATH,
    datastore,
    locker: new PgLocker(deps.db, deps.notifications),
    relativeLocation: true,
    maxSize: MAX_FILE_BYTES,
    namingFunction: () => randomBytes(16).toString('hex'),
    onUploadCreate: async (req, upload) => {
      const principal = principalFor(req);
      const meta = upload.metadata ?? {};
      // decoded from base64, so the text-input hook never saw it
      const field = findNul(meta);
      if (field !== undefined) throw invalidText(`Upload-Metadata ${field}`);
      const itemId = meta.item_id ?? '';
      const filename = (meta.filename ?? '').trim();
      if (!filename || filename.length > 255) {
        throw new AppError('VALIDATION_FAILED', 422, 'Send the file name as filename metadata.');
      }
      await assertUploadableItem(deps.db, principal, itemId);
      if (upload.size === undefined) {
        throw new AppError(
          'LENGTH_REQUIRED',
          422,
          'Send Upload-Length: the size is checked first.',
        );
      }
      await assertWithinTier(deps.db, principal, upload.size);
      return {
        metadata: {
          item_id: itemId,
          filename,
          ...(meta.filetype && { filetype: meta.filetype.slice(0, 255) }),
          creator_id: principal.user.id,
        },
      };
    },
    onIncomingRequest: async (req, id) => {
      if (req.method === 'POST') return;
      await findOwnUpload(deps.db, principalFor(req), id);
    },
    onResponseError: (req, error) => {
      failures.set(req, error);
      return undefined;
    },
    onUploadFinish: async (_req, upload) => {
      const finished = await datastore.getUpload(upload.id);
      const fileId = finished.metadata?.file_id;
      return fileId ? { headers: { 'Upload-File-Id': fileId } } : {};
    },
  });
  /** tus's answer to one request, sent through Fastify; a refusal is thrown to the error handler. */
  const answer = async (request: FastifyRequest, reply: FastifyReply) => {
    principals.set(request.raw, principalOf(request));
    const web = tusRequestOf(request, reply);
    const tusAnswer = await server.handleWeb(web);
    copyTusHeaders(tusAnswer, reply);
    if (tusAnswer.status >= 400) throw await tusFailure(tusAnswer, failures.get(web));
    const body = await tusAnswer.text();
    return reply.status(tusAnswer.status).send(body === '' ? undefined : body);
  };
  return { server, datastore, answer };
}

export async function uploadsRoutes(app: FastifyInstance, opts: { deps: UploadsDeps }) {
  const { answer } = createTusServer(opts.deps);
  await app.register(async (scope) => {
    // tus reads the body itself, streamed; Fastify must leave it alone.
    scope.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => {
      done(null);
    });
    scope.addHook('preHandler', requireUser);
    const needsWrite = requireScope('write');
    scope.addHook('preHandler', async (request) => {
      if (request.method !== 'HEAD') await needsWrite(request);
    });
    // tus clients need Tus-Resumable on every answer, refusals by our hooks included
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('tus-resumable', TUS_RESUMABLE);
    });
    scope.route({ method: 'POST', url: UPLOADS_PATH, handler: answer });
    scope.route({
      method: ['HEAD', 'PATCH', 'DELETE'],
      url: `${UPLOADS_PATH}/:id`,
      handler: answer,
    });
  });
}
