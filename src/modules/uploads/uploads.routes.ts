/* eslint-disable @typescript-eslint/only-throw-error -- tus answers HTTP errors by throwing its
   {status_code, body} objects (ERRORS.*), which are not Error instances. */
// /api/v1/uploads: tus 1.0 (creation, creation-with-upload, termination, expiration) through
// @tus/server, with our DataStore (object storage + PostgreSQL) and our PostgreSQL locker, so
// any number of app instances can serve the requests of one upload. Metadata: item_id and
// filename (filetype optional). The creator is the signed-in caller, whatever the metadata says.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Server, type ServerOptions } from '@tus/server';
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
import type { Notifications } from '../../platform/notifications.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { PgLocker } from './pg-locker.js';
import { ObjectUploadStore } from './upload-store.js';
import { setUploadFile, type UploadRow } from './uploads.repository.js';
import { assertUploadableItem, assertWithinTier, findOwnUpload } from './uploads.service.js';
import { MAX_FILE_BYTES } from './tier-limits.js';

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

/** A tus hook error: our JSON error body with its status. */
function tusError(error: AppError) {
  return {
    status_code: error.status,
    body: JSON.stringify({ error: { code: error.code, message: error.message } }),
  };
}

async function orTusError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw tusError(error);
    throw error;
  }
}

export function createTusServer(deps: UploadsDeps) {
  // The principal Fastify resolved, found again from inside tus's hooks.
  const principals = new WeakMap<IncomingMessage, Principal>();
  const principalFor = (req: TusRequest): Principal => {
    const node = req.runtime?.node?.req as IncomingMessage | undefined;
    const principal = node && principals.get(node);
    if (!principal) throw tusError(new AppError('NOT_SIGNED_IN', 401, 'Sign in to upload.'));
    return principal;
  };

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
    onUploadCreate: (req, upload) =>
      orTusError(async () => {
        const principal = principalFor(req);
        const meta = upload.metadata ?? {};
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
      }),
    onIncomingRequest: async (req, id) => {
      if (req.method === 'POST') return;
      await orTusError(() => findOwnUpload(deps.db, principalFor(req), id));
    },
    onUploadFinish: async (_req, upload) => {
      const finished = await datastore.getUpload(upload.id);
      const fileId = finished.metadata?.file_id;
      return fileId ? { headers: { 'Upload-File-Id': fileId } } : {};
    },
  });
  return { server, principals, datastore };
}

export async function uploadsRoutes(app: FastifyInstance, opts: { deps: UploadsDeps }) {
  const { server, principals } = createTusServer(opts.deps);
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
    const handler = async (request: FastifyRequest, reply: FastifyReply) => {
      principals.set(request.raw, principalOf(request));
      reply.hijack();
      await server.handle(request.raw, reply.raw);
    };
    scope.route({ method: 'POST', url: UPLOADS_PATH, handler });
    scope.route({ method: ['HEAD', 'PATCH', 'DELETE'], url: `${UPLOADS_PATH}/:id`, handler });
  });
}
