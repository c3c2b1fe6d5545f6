// `npm run bench -- hooks`: what each global hook costs a request. GET /healthz (no cookie, no
// Accept-Encoding: what a load balancer or an anonymous client sends) on a Fastify app built up
// one platform plugin at a time, in the order src/app.ts registers them with its options, up to
// the real app (buildApp: every module's routes and hooks). Every level listens in this process;
// wrk (or autocannon) in its own process loads one level at a time with 50 connections for
// BENCH_HOOKS_SECONDS (3); a level costs this process's CPU time (user + system, so other work on
// the machine counts less than in a rate) divided by the requests served. Levels in turn,
// BENCH_HOOKS_ROUNDS (3) rounds; a level's best round counts.
// The row says the level's CPU per request and what its plugin added. The plugin list here
// mirrors app.ts; a plugin added there and not here shows as the last row's difference.
import type { AddressInfo } from 'node:net';
import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from '../test/helpers/app.js';
import authentication from '../src/platform/http/auth.js';
import csrf from '../src/platform/http/csrf.js';
import errorHandler from '../src/platform/http/error-handler.js';
import idempotency from '../src/platform/http/idempotency.js';
import multipart from '../src/platform/http/multipart.js';
import pageCache from '../src/platform/http/page-cache.js';
import requestContext, { generateRequestId } from '../src/platform/http/request-context.js';
import securityHeaders from '../src/platform/http/security-headers.js';
import staticAssets from '../src/platform/http/static-assets.js';
import textInput from '../src/platform/http/text-input.js';
import { MAX_IMAGE_BYTES } from '../src/platform/images/index.js';
import { renderHtmlError } from '../src/platform/views/error-page.js';
import { generate } from './processes.js';
import type { BenchRow } from './table.js';

const SECONDS = Number(process.env.BENCH_HOOKS_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_HOOKS_ROUNDS ?? 3);

type Step = (app: FastifyInstance, t: TestApp) => PromiseLike<unknown>;

/** Each level adds one plugin (with app.ts's options) to everything above it. */
const LEVELS: { name: string; add: Step }[] = [
  {
    name: 'request ids, request scope, metrics',
    add: (app, t) => app.register(requestContext, { metrics: t.runtime.metrics }),
  },
  {
    name: 'security headers',
    add: (app, t) => app.register(securityHeaders, { config: t.runtime.config }),
  },
  { name: 'page cache (on)', add: (app) => app.register(pageCache, { enabled: true }) },
  {
    name: 'idempotency',
    add: (app, t) =>
      app.register(idempotency, { db: t.runtime.db, appSecret: t.runtime.config.appSecret }),
  },
  {
    name: 'compression',
    add: (app) =>
      app.register(compress, {
        global: true,
        threshold: 1024,
        encodings: ['br', 'gzip'],
        brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
      }),
  },
  { name: 'form bodies', add: (app) => app.register(formbody, { bodyLimit: 256 * 1024 }) },
  {
    name: 'multipart',
    add: (app) =>
      app.register(multipart, {
        limits: {
          fileSize: MAX_IMAGE_BYTES + 1,
          files: 1,
          fields: 20,
          fieldSize: 64 * 1024,
          parts: 22,
        },
      }),
  },
  {
    name: 'cookies',
    add: (app, t) => app.register(cookie, { secret: t.runtime.config.appSecret }),
  },
  { name: 'error handler', add: (app) => app.register(errorHandler, { html: renderHtmlError }) },
  { name: 'NUL text input', add: (app) => app.register(textInput) },
  { name: 'static assets', add: (app) => app.register(staticAssets) },
  {
    name: 'session lookup (no cookie)',
    add: (app) =>
      app.register(authentication, {
        // an anonymous request never asks: a resolver that fails says so
        resolver: {
          sessionCookieName: 'mnw_session',
          fromBearer: () => Promise.reject(new Error('asked for a bearer token')),
          fromSession: () => Promise.reject(new Error('asked for a session')),
        },
      }),
  },
  {
    name: 'CSRF',
    add: (app, t) =>
      app.register(csrf, {
        appSecret: t.runtime.config.appSecret,
        publicUrl: t.runtime.config.publicUrl,
        exempt: (request) => request.url.startsWith('/webhooks/'),
      }),
  },
];

const healthz = (app: FastifyInstance) =>
  app.get('/healthz', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );

/**
 * CPU µs (user + system of this process, where every level's server runs) per GET /healthz
 * while a load generator in its own process keeps 50 connections busy for SECONDS.
 */
async function cpuPerRequest(url: string): Promise<number> {
  const before = process.cpuUsage();
  const result = await generate(url, 50, SECONDS, {});
  const used = process.cpuUsage(before);
  if (result.failures > 0 || result.requests === 0) throw new Error(`${url}: failures`);
  return (used.user + used.system) / result.requests;
}

export async function benchHooks(): Promise<BenchRow[]> {
  // production settings: the page cache on, logging at warn (as the pages bench runs the server)
  const t = await createTestApp({
    env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', PAGE_CACHE: 'on' },
  });
  const rows: BenchRow[] = [];
  const levels: { name: string; app: FastifyInstance }[] = [];
  const measured: { name: string; us: number }[] = [];
  try {
    const bare = fastify({ logger: false });
    healthz(bare);
    levels.push({ name: 'bare Fastify, same route', app: bare });
    const logger: FastifyBaseLogger = t.runtime.log;
    for (let upTo = 0; upTo <= LEVELS.length; upTo++) {
      const app = fastify({
        loggerInstance: logger,
        genReqId: generateRequestId,
        trustProxy: 'loopback',
        return503OnClosing: true,
        forceCloseConnections: 'idle',
      });
      for (const level of LEVELS.slice(0, upTo)) await level.add(app, t);
      healthz(app);
      await app.ready();
      const name = upTo === 0 ? 'pino logger, request ids' : (LEVELS[upTo - 1]?.name ?? '');
      levels.push({ name, app });
    }
    levels.push({ name: 'the whole app (buildApp: every module)', app: t.app });
    const urls: string[] = [];
    for (const level of levels) {
      await level.app.listen({ port: 0, host: '127.0.0.1' });
      urls.push(`http://127.0.0.1:${(level.app.server.address() as AddressInfo).port}/healthz`);
    }
    // warm up, then round robin, so the machine's other work falls on every level alike; a
    // level's best round counts
    for (const url of urls) await generate(url, 50, 1, {});
    const best = levels.map(() => Infinity);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, url] of urls.entries()) {
        best[i] = Math.min(best[i] ?? Infinity, await cpuPerRequest(url));
      }
    }
    for (const [i, level] of levels.entries()) {
      measured.push({ name: level.name, us: best[i] ?? 0 });
    }
  } finally {
    for (const level of levels) if (level.app !== t.app) await level.app.close();
    await t.close();
  }
  const bareUs = measured[0]?.us ?? 0;
  let previous = bareUs;
  for (const [i, m] of measured.entries()) {
    rows.push({
      row: `hooks: ${i === 0 ? '' : '+ '}${m.name}`,
      value: m.us,
      unit: 'µs/req',
      baseline: bareUs,
      also:
        i === 0
          ? 'CPU per request'
          : `${m.us - previous >= 0 ? '+' : ''}${(m.us - previous).toFixed(2)} µs`,
    });
    previous = m.us;
  }
  return rows;
}
