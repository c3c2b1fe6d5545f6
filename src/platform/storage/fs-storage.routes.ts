// GET and HEAD /storage/<key>?exp&disp&fn&ct&sig: the fs driver's stand-in for an S3 presigned
// URL. The API authorizes and signs; this route only checks the signature and expiry, then
// serves the bytes the way a media element and a download manager expect (ranges, validators,
// conditional requests). Errors are AppErrors for the app's error handler (403, 404, 416).
// Brings in the `compress` route option's type; the plugin itself is registered by the app.
import type {} from '@fastify/compress';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestedDisposition } from './content-disposition.js';
import { CircuitBreakerStore } from './circuit-breaker.js';
import { FsObjectStore } from './fs-store.js';
import type { UrlGrant } from './fs-url-signer.js';
import { isNotModified, selectRange, type Validators } from './http-conditions.js';
import {
  RangeNotSatisfiableError,
  SignedUrlInvalidError,
  StorageNotFoundError,
  type ObjectInfo,
  type ObjectStore,
} from './store.js';

export const STORAGE_ROUTE_PREFIX = '/storage/';

export interface FsStorageRoutesOptions {
  /** the app's store; the routes exist only for the fs driver */
  store: ObjectStore;
}

/** The key and query of a raw request URL; the key is decoded segment by segment. */
export function parseStorageUrl(rawUrl: string): { key: string; query: URLSearchParams } {
  const queryAt = rawUrl.indexOf('?');
  const pathname = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  if (!pathname.startsWith(STORAGE_ROUTE_PREFIX)) throw new SignedUrlInvalidError();
  try {
    // The raw URL, not Fastify's decoded wildcard: the signature covers the exact decoded key.
    const key = pathname
      .slice(STORAGE_ROUTE_PREFIX.length)
      .split('/')
      .map(decodeURIComponent)
      .join('/');
    return { key, query: new URLSearchParams(queryAt === -1 ? '' : rawUrl.slice(queryAt + 1)) };
  } catch {
    throw new SignedUrlInvalidError(); // malformed percent-encoding
  }
}

const validatorsOf = (info: ObjectInfo): Validators => ({
  etag: `"${info.etag}"`,
  lastModified: info.lastModified,
});

function setObjectHeaders(
  reply: FastifyReply,
  info: ObjectInfo,
  grant: UrlGrant,
  nowSeconds: number,
): void {
  const validators = validatorsOf(info);
  const disposition = requestedDisposition(grant);
  if (disposition !== undefined) reply.header('content-disposition', disposition);
  reply
    .header('content-type', grant.contentType ?? info.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('accept-ranges', 'bytes')
    .header('etag', validators.etag)
    .header('last-modified', validators.lastModified.toUTCString())
    // The link stops working at exp, so no cache may keep the response longer.
    .header('cache-control', `private, max-age=${Math.max(0, grant.expires - nowSeconds)}`);
}

async function serveObject(store: FsObjectStore, request: FastifyRequest, reply: FastifyReply) {
  const { key, query } = parseStorageUrl(request.raw.url ?? '');
  const grant = store.verifySignedRequest(key, query);
  const info = await store.head(key);
  if (info === undefined) throw new StorageNotFoundError(key);
  const validators = validatorsOf(info);
  if (isNotModified(request.headers, validators)) {
    setObjectHeaders(reply, info, grant, store.nowSeconds());
    reply.removeHeader('content-type');
    return reply.code(304).send();
  }
  const range = selectRange(request.headers, info.size, validators);
  if (range.kind === 'unsatisfiable') {
    reply.header('content-range', `bytes */${info.size}`);
    throw new RangeNotSatisfiableError(info.size);
  }
  const span = range.kind === 'partial' ? { start: range.start, end: range.end } : undefined;
  // For GET, open the file before any header is set: if it vanished since head(), the error
  // response must not carry this object's headers.
  const result = request.method === 'GET' ? await store.get(key, span) : undefined;
  const served = result ?? info;
  const sent = result?.range ?? span; // what get() read, should the file have changed meanwhile
  setObjectHeaders(reply, served, grant, store.nowSeconds());
  if (sent !== undefined) {
    reply.code(206).header('content-range', `bytes ${sent.start}-${sent.end}/${served.size}`);
  }
  reply.header('content-length', sent === undefined ? served.size : sent.end - sent.start + 1);
  return reply.send(result?.body);
}

export function fsStorageRoutes(app: FastifyInstance, opts: FsStorageRoutesOptions): Promise<void> {
  // The breaker guards the app's calls; this route is the fs store itself, so it goes direct.
  const store = opts.store instanceof CircuitBreakerStore ? opts.store.inner : opts.store;
  if (!(store instanceof FsObjectStore)) {
    return Promise.reject(new TypeError('fsStorageRoutes serves the fs storage driver only'));
  }
  app.route({
    method: ['GET', 'HEAD'],
    url: `${STORAGE_ROUTE_PREFIX}*`,
    // Media is already compressed, and compression would break byte ranges and Content-Length.
    compress: false,
    handler: (request, reply) => serveObject(store, request, reply),
  });
  return Promise.resolve();
}
