// buildApp(deps): the HTTP application, used by the server and by the tests alike.
// Platform plugins first (headers, compression, parsing, errors, assets), then the modules.
import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createContentAccess } from './content-access.js';
import type { Db } from './db/database.js';
import { createAccountsModule } from './modules/accounts/index.js';
import { apiDocs, apiDocsOperations } from './modules/api-docs/index.js';
import { createCatalogModule } from './modules/catalog/index.js';
import { createEarningsModule } from './modules/earnings/index.js';
import {
  createFileLister,
  createMediaLoader,
  filesApi,
  filesOperations,
  filesPages,
} from './modules/files/index.js';
import { homePages } from './modules/home/index.js';
import { paymentParticipants } from './payment-participants.js';
import {
  attachGuestOrdersByEmail,
  claimViewerOf,
  createPaymentsModule,
  createTipThanksLoader,
} from './modules/payments/index.js';
import {
  payoutAccountApi,
  payoutAccountOperations,
  payoutAccountPages,
  payoutsApi,
  payoutsOperations,
  reconciliationApi,
  reconciliationOperations,
} from './modules/payouts/index.js';
import {
  attachGuestMembershipsByEmail,
  createMembershipsModule,
} from './modules/memberships/index.js';
import { promoCodesApi, promoCodesPages, promosOperations } from './modules/promos/index.js';
import { searchApi, searchOperations, searchPages } from './modules/search/index.js';
import {
  createFileRecord,
  enqueueFileProcessing,
  hasReadyFile,
  mediaToolsAvailable,
} from './modules/media/index.js';
import { uploadPrefix, uploadsOperations, uploadsRoutes } from './modules/uploads/index.js';
import authentication from './platform/http/auth.js';
import csrf from './platform/http/csrf.js';
import errorHandler from './platform/http/error-handler.js';
import idempotency from './platform/http/idempotency.js';
import { healthRoutes } from './platform/http/health.routes.js';
import { MAX_IMAGE_BYTES } from './platform/images/index.js';
import requestContext, { generateRequestId } from './platform/http/request-context.js';
import securityHeaders from './platform/http/security-headers.js';
import textInput from './platform/http/text-input.js';
import pageCache from './platform/http/page-cache.js';
import staticAssets from './platform/http/static-assets.js';
import type { Logger } from './platform/log.js';
import { outboxPages } from './platform/mail/outbox.pages.js';
import type { Metrics } from './platform/metrics.js';
import type { Notifications } from './platform/notifications.js';
import { fsStorageRoutes, type ObjectStore } from './platform/storage/index.js';
import { renderHtmlError } from './platform/views/error-page.js';

export interface AppDeps {
  config: Readonly<Config>;
  log: Logger;
  db: Db;
  storage: ObjectStore;
  metrics: Metrics;
  notifications: Notifications;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  // Typed as Fastify's base logger so the instance keeps Fastify's default type parameters.
  const logger: FastifyBaseLogger = deps.log;
  const app = fastify({
    loggerInstance: logger,
    genReqId: generateRequestId,
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
  // silently truncated file.
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

  // A guest's orders join the account that verifies the email they were bought with.
  const accounts = createAccountsModule(deps.db, config, {
    onEmailVerified: async (trx, userId, email) => {
      await attachGuestOrdersByEmail(trx, userId, email);
      await attachGuestMembershipsByEmail(trx, userId, email);
    },
  });
  // The one rule of who may read, play and download what (purchases, claim links, memberships):
  // pages, JSON, feeds, playback and downloads all ask it.
  const access = createContentAccess();
  const filesDeps = {
    db: deps.db,
    store: deps.storage,
    notifications: deps.notifications,
    access,
  };
  const catalog = createCatalogModule(deps.db, config, {
    store: deps.storage,
    hasReadyFile: hasReadyFile(deps.db),
    access,
    loadMedia: createMediaLoader(deps.db),
    listFiles: createFileLister(deps.db),
    tipThanks: createTipThanksLoader(deps.db, config),
  });
  const { licences, onOrderPaid, onOrderReversed, eventHandlers, purchaseFacts } =
    paymentParticipants(deps.db, config);
  const payments = createPaymentsModule(deps.db, config, {
    log: deps.log,
    catalog: catalog.deps,
    onOrderPaid,
    onOrderReversed,
    eventHandlers,
    purchaseFacts,
  });
  const memberships = createMembershipsModule(deps.db, config, payments.processor);
  const earnings = createEarningsModule(deps.db, { refund: payments.refund });
  const mediaTools = { ffmpeg: config.ffmpegPath, ffprobe: config.ffprobePath };
  await app.register(authentication, { resolver: accounts.resolver });
  await app.register(csrf, {
    appSecret: config.appSecret,
    publicUrl: config.publicUrl,
    exempt: (request) => request.url.startsWith('/webhooks/'),
  });

  await app.register(apiDocs, {
    operations: () => [
      ...apiDocsOperations,
      ...accounts.operations,
      ...catalog.operations,
      ...uploadsOperations,
      ...filesOperations,
      ...payments.operations,
      ...memberships.operations,
      ...licences.operations,
      ...earnings.operations,
      ...payoutsOperations,
      ...reconciliationOperations,
      ...promosOperations,
      ...payoutAccountOperations,
      ...searchOperations,
    ],
    publicUrl: config.publicUrl,
  });
  await app.register(healthRoutes, {
    db: deps.db,
    storage: deps.storage,
    metrics: deps.metrics,
    // The worker may run elsewhere; this checks the tools where the app runs, which is where
    // the worker runs in every setup the docs describe.
    workerTools: () => mediaToolsAvailable(mediaTools),
  });
  if (deps.storage.driver === 'fs') await app.register(fsStorageRoutes, { store: deps.storage });
  if (config.env !== 'production') await app.register(outboxPages, { db: deps.db });

  await app.register(accounts.api, { prefix: '/api/v1' });
  await app.register(catalog.api, { prefix: '/api/v1' });
  await app.register(filesApi, { prefix: '/api/v1', deps: filesDeps });
  await app.register(payments.api, { prefix: '/api/v1' });
  await app.register(memberships.api, { prefix: '/api/v1' });
  await app.register(licences.api, { prefix: '/api/v1' });
  await app.register(earnings.api, { prefix: '/api/v1' });
  await app.register(payments.webhooks);
  await app.register(promoCodesApi, { prefix: '/api/v1', db: deps.db });
  await app.register(payoutsApi, {
    prefix: '/api/v1',
    db: deps.db,
    processor: payments.processor,
  });
  await app.register(reconciliationApi, { prefix: '/api/v1', db: deps.db });
  await app.register(searchApi, { prefix: '/api/v1', db: deps.db, publicUrl: config.publicUrl });
  const payoutAccount = { db: deps.db, config, processor: payments.processor };
  await app.register(payoutAccountApi, { prefix: '/api/v1', deps: payoutAccount });
  await app.register(uploadsRoutes, {
    deps: {
      db: deps.db,
      store: deps.storage,
      config,
      notifications: deps.notifications,
      onUploadComplete: async (trx, upload) => {
        const file = await createFileRecord(trx, {
          itemId: upload.item_id,
          creatorId: upload.creator_id,
          originalName: upload.filename,
          declaredType: upload.declared_type,
          uploadKey: uploadPrefix(upload.id),
        });
        await enqueueFileProcessing(trx, file.id);
        return file.id;
      },
    },
  });
  await app.register(accounts.pages);
  await app.register(catalog.pages);
  await app.register(filesPages, {
    deps: filesDeps,
    claimViewerOf: claimViewerOf(config.appSecret),
  });
  await app.register(payments.pages);
  await app.register(memberships.pages);
  await app.register(licences.pages);
  await app.register(promoCodesPages, { db: deps.db });
  await app.register(payoutAccountPages, { deps: payoutAccount });
  await app.register(earnings.pages);
  await app.register(homePages, { loadShowcase: catalog.loadShowcase });
  await app.register(searchPages, { db: deps.db });
  return app;
}
