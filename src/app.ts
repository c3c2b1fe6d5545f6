// buildApp(deps): the HTTP application, used by the server and by the tests alike.
// Platform plugins first (headers, compression, parsing, errors, assets), then the modules.
import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { buildModules, type ModuleServices } from './modules.js';
import { apiDocs, apiDocsOperations } from './platform/http/api-docs.js';
import authentication from './platform/http/auth.js';
import csrf from './platform/http/csrf.js';
import errorHandler from './platform/http/error-handler.js';
import idempotency from './platform/http/idempotency.js';
import multipart from './platform/http/multipart.js';
import { healthRoutes } from './platform/http/health.routes.js';
import { MAX_IMAGE_BYTES } from './platform/images/index.js';
import requestContext, { generateRequestId } from './platform/http/request-context.js';
import replicaReads from './platform/http/replica-reads.js';
import securityHeaders from './platform/http/security-headers.js';
import textInput from './platform/http/text-input.js';
import pageCache from './platform/http/page-cache.js';
import staticAssets from './platform/http/static-assets.js';
import { outboxPages } from './platform/mail/outbox.pages.js';
import { fsStorageRoutes } from './platform/storage/index.js';
import { RequestLogController } from './platform/log.js';
import { renderHtmlError } from './platform/views/error-page.js';

/** What the app is built from: the runtime's services (the server's and the tests' alike). */
export type AppDeps = ModuleServices;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  // Typed as Fastify's base logger so the instance keeps Fastify's default type parameters.
  const logger: FastifyBaseLogger = deps.log;
  const app = fastify({
    loggerInstance: logger,
    genReqId: generateRequestId,
    // one line per request, at completion, instead of Fastify's two (platform/log.ts)
    logController: new RequestLogController(),
    // Caddy on the same machine is the usual proxy; X-Forwarded-For from it is believed.
    trustProxy: 'loopback',
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 500 },
  });

  await app.register(requestContext, { metrics: deps.metrics });
  await app.register(securityHeaders, { config });
  // before compression: the page cache stores the rendered page, not one encoding of it
  await app.register(pageCache, { enabled: config.pageCache });
  // Idempotency-Key on POST /api/v1: before compression (it keeps the answer's own bytes) and
  // before the API routes (it joins each POST route as it is registered)
  await app.register(idempotency, { db: deps.db, appSecret: config.appSecret });
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    // Quality 4 keeps brotli's CPU cost near gzip's for dynamic pages.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(formbody, { bodyLimit: 256 * 1024 });
  // Streamed multipart (request.file()): image uploads now, small media files later. One byte
  // over the image limit, so the reader sees the excess and answers 413 instead of meeting a
  // silently truncated file. Its per-request hooks run for multipart requests only.
  await app.register(multipart, {
    limits: {
      fileSize: MAX_IMAGE_BYTES + 1,
      files: 1,
      fields: 20,
      fieldSize: 64 * 1024,
      parts: 22,
    },
  });
  await app.register(cookie, { secret: config.appSecret });
  await app.register(errorHandler, { html: renderHtmlError });
  // NUL in any parsed text is refused (400 INVALID_TEXT) before a route's hooks and handler
  await app.register(textInput);
  await app.register(staticAssets);

  // Every feature module, built once (src/modules.ts); the platform hooks below need two of
  // their answers: who a request is, and whether the media tools are there.
  const modules = buildModules(deps);
  await app.register(authentication, { resolver: modules.resolver });
  // DATABASE_READ_URL: which reads may come from the replica, read-your-writes for the rest
  if (deps.readReplica) {
    await app.register(replicaReads, {
      sessionCookieName: modules.resolver.sessionCookieName,
      markerSeconds: deps.readReplica.readYourWritesSeconds,
      secureCookies: config.secureCookies,
    });
  }
  await app.register(csrf, {
    appSecret: config.appSecret,
    publicUrl: config.publicUrl,
    exempt: (request) => request.url.startsWith('/webhooks/'),
  });

  await app.register(apiDocs, {
    operations: () => [
      ...apiDocsOperations,
      ...modules.list.flatMap((module) => module.operations ?? []),
    ],
    publicUrl: config.publicUrl,
  });
  await app.register(healthRoutes, {
    db: deps.db,
    storage: deps.storage,
    metrics: deps.metrics,
    workerTools: modules.mediaToolsAvailable,
  });
  if (deps.storage.driver === 'fs') await app.register(fsStorageRoutes, { store: deps.storage });
  if (config.env !== 'production') await app.register(outboxPages, { db: deps.db });

  // JSON first (under /api/v1), then everything at the root: webhooks, uploads, pages.
  for (const module of modules.list) {
    if (module.api) await app.register(module.api, { prefix: '/api/v1' });
  }
  for (const module of modules.list) {
    if (module.routes) await app.register(module.routes);
  }
  return app;
}
