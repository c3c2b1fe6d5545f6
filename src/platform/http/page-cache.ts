// A short-lived, per-process cache of public pages for anonymous visitors (PAGE_CACHE=on|off).
// Only routes that opt in with `config: { pageCache: true }` are cached, only for GET requests
// that carry no Cookie and no Authorization header (so no session, no flash, no token: nobody
// signed in ever gets or fills a cached page), only 200 answers that set no cookie and are
// text/html (pages) or application/json (the public API reads that opt in: an anonymous answer
// is the same for every anonymous client).
// Keyed by host, URL and every request header the answer depends on (Accept-Encoding and the
// htmx headers of VARY_ON). An entry lives at most `ttlMs` (≤ 1 s) from the moment its request
// *arrived*, so a page rendered from data read before a change is never served more than one
// second after that change, on any instance (docs/decisions.md). Visitors of a page that is
// being rendered wait for that rendering (when it began less than `ttlMs` before they arrived)
// instead of rendering it again. Answers say `x-page-cache: hit|miss`.
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** anonymous GETs of this public page may be answered from the page cache */
    pageCache?: boolean;
  }
}

export const MAX_PAGE_CACHE_TTL_MS = 1000;

export interface PageCacheOptions {
  enabled: boolean;
  /** at most MAX_PAGE_CACHE_TTL_MS */
  ttlMs?: number;
  /** entries kept at most; the oldest go first */
  maxEntries?: number;
}

interface Entry {
  expires: number;
  status: number;
  headers: [string, string | number | string[]][];
  /** the page as sent: encoded once here, so a hit neither encodes nor compresses */
  body: Buffer;
}

type Encoding = 'br' | 'gzip' | 'identity';

/** Pages smaller than this go uncompressed (as @fastify/compress's threshold in app.ts). */
const COMPRESS_THRESHOLD = 1024;

/**
 * What the app's compression would choose for this Accept-Encoding: br, else gzip, else none
 * (q=0 refuses; `*` accepts either). The key holds Accept-Encoding, so one entry is one choice.
 */
export function negotiateEncoding(header: string | string[] | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    accepted.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

function encode(page: Buffer, encoding: Encoding): Buffer {
  if (encoding === 'br') {
    // quality 4, as the app's own compression: near gzip's cost, smaller output
    return brotliCompressSync(page, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: 4, [zlib.BROTLI_PARAM_SIZE_HINT]: page.length },
    });
  }
  return encoding === 'gzip' ? gzipSync(page) : page;
}

const CACHED_TYPES = ['text/html', 'application/json'];

/** Headers that belong to one answer, never to the cached page. */
const OWN_HEADERS = new Set([
  'content-length',
  'set-cookie',
  'x-request-id',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'x-page-cache',
]);

const KEY_HEADERS = [
  'accept-encoding',
  'hx-request',
  'hx-request-type',
  'hx-boosted',
  'hx-history-restore-request',
  'hx-target',
] as const;

interface Miss {
  key: string;
  arrived: number;
  /** set when this request renders for others waiting on the same key */
  done?: (entry: Entry | undefined) => void;
}

const pending = new WeakMap<FastifyRequest, Miss>();

function cacheKey(request: FastifyRequest): string {
  const parts: string[] = [request.host, request.url];
  for (const name of KEY_HEADERS) {
    const value = request.headers[name];
    parts.push(Array.isArray(value) ? value.join(',') : (value ?? ''));
  }
  return parts.join('\n');
}

function cacheable(request: FastifyRequest): boolean {
  return (
    request.method === 'GET' &&
    request.routeOptions.config.pageCache === true &&
    request.headers.cookie === undefined &&
    request.headers.authorization === undefined
  );
}

async function pageCache(app: FastifyInstance, opts: PageCacheOptions) {
  if (!opts.enabled) return;
  const ttl = Math.min(opts.ttlMs ?? MAX_PAGE_CACHE_TTL_MS, MAX_PAGE_CACHE_TTL_MS);
  const maxEntries = opts.maxEntries ?? 1000;
  const entries = new Map<string, Entry>();
  // renders in progress: a burst of visitors of one page waits for one rendering, rather than
  // rendering it many times at once (which under load takes so long none of them is cacheable)
  const rendering = new Map<string, { arrived: number; result: Promise<Entry | undefined> }>();

  function finish(request: FastifyRequest, entry: Entry | undefined) {
    const miss = pending.get(request);
    if (!miss) return;
    pending.delete(request);
    if (miss.done) {
      rendering.delete(miss.key);
      miss.done(entry);
    }
  }

  async function lookUp(request: FastifyRequest, reply: FastifyReply) {
    if (!cacheable(request)) return;
    const key = cacheKey(request);
    const now = Date.now();
    let entry = entries.get(key);
    if (entry && entry.expires <= now) {
      entries.delete(key);
      entry = undefined;
    }
    const inProgress = rendering.get(key);
    // Only a rendering that began less than ttl before this request arrived may answer it: it
    // read the data after (this request's arrival - ttl), like any entry a hit could serve.
    if (!entry && inProgress && inProgress.arrived + ttl > now) entry = await inProgress.result;
    if (entry) {
      for (const [name, value] of entry.headers) reply.header(name, value);
      return reply.code(entry.status).header('x-page-cache', 'hit').send(entry.body);
    }
    const miss: Miss = { key, arrived: now };
    if (!inProgress || inProgress.arrived + ttl <= now) {
      rendering.set(key, {
        arrived: now,
        result: new Promise((resolve) => {
          miss.done = resolve;
        }),
      });
    }
    pending.set(request, miss);
    reply.header('x-page-cache', 'miss');
  }

  // a request that ended without reaching onSend (aborted) releases its waiters
  function release(request: FastifyRequest, _reply: FastifyReply, done: () => void) {
    finish(request, undefined);
    done();
  }
  function releaseAborted(request: FastifyRequest, done: () => void) {
    finish(request, undefined);
    done();
  }

  // Added to the route ahead of compression's own onSend (this plugin's onRoute hook runs
  // first, app.ts), so the payload here is still the rendered string.
  async function store(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const miss = pending.get(request);
    if (!miss) return payload;
    const type = reply.getHeader('content-type');
    if (
      reply.statusCode !== 200 ||
      typeof payload !== 'string' ||
      reply.hasHeader('set-cookie') ||
      typeof type !== 'string' ||
      !CACHED_TYPES.some((prefix) => type.startsWith(prefix))
    ) {
      finish(request, undefined);
      return payload;
    }
    // Encoded here, once per entry, the way the app's compression would have (it leaves an
    // answer with a Content-Encoding alone): this answer and every hit send these bytes.
    const page = Buffer.from(payload);
    const encoding =
      page.length >= COMPRESS_THRESHOLD
        ? negotiateEncoding(request.headers['accept-encoding'])
        : 'identity';
    const body = encode(page, encoding);
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    const vary = reply.getHeader('vary');
    if (typeof vary !== 'string' || !/accept-encoding/i.test(vary)) {
      reply.header(
        'vary',
        typeof vary === 'string' ? `${vary}, Accept-Encoding` : 'Accept-Encoding',
      );
    }
    const headers: Entry['headers'] = [];
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined && !OWN_HEADERS.has(name)) headers.push([name, value]);
    }
    if (encoding !== 'identity') headers.push(['content-encoding', encoding]);
    const entry: Entry = { expires: miss.arrived + ttl, status: 200, headers, body };
    // waiting requests arrived within ttl of this one: they may have it even if it has expired
    finish(request, entry);
    if (entry.expires <= Date.now()) return body;
    for (const [key, old] of entries) {
      if (entries.size < maxEntries && old.expires > Date.now()) break;
      entries.delete(key); // oldest first: expired ones, then whatever is over the limit
    }
    entries.set(miss.key, entry);
    return body;
  }

  // Only the routes that opt in carry the cache's hooks: every other request pays nothing.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.pageCache !== true) return;
    route.onRequest = [...asArray(route.onRequest), lookUp];
    route.onResponse = [...asArray(route.onResponse), release];
    route.onRequestAbort = [...asArray(route.onRequestAbort), releaseAborted];
    route.onSend = [...asArray(route.onSend), store];
  });
}

const asArray = <T>(hooks: T | T[] | undefined): T[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];

export default fp(pageCache, { name: 'page-cache' });
