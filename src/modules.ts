// The registry: every feature module, listed once and built once with what it needs from the
// others. The web server (app.ts) registers their routes, the worker (tasks.ts) runs their jobs
// and the CLI (cli.ts) offers their commands; nothing else imports a module. Cross-module wiring
// lives here and only here: the access rule's holdings, what payments runs for licences and
// memberships, the catalogue's callbacks into files, media, payments, earnings and payouts.
import type { Config } from './config.js';
import { accountsCommands, createAccountsModule } from './modules/accounts/index.js';
import { anyHolding, createAccessRule, type AccessRule } from './modules/access/index.js';
import { createCatalogModule } from './modules/catalog/index.js';
import { createEarningsModule, loadOverviewNumbers } from './modules/earnings/index.js';
import {
  createFileLister,
  createFileRemover,
  createFileReplacer,
  createFilesModule,
  createMediaLoader,
  createPosterFinder,
} from './modules/files/index.js';
import { createHomeModule } from './modules/home/index.js';
import { createLicencesModule } from './modules/licences/index.js';
import {
  createMediaModule,
  createFileRecord,
  enqueueFileProcessing,
  readItemPreviewStart,
  setItemPreviewStart,
} from './modules/media/index.js';
import {
  attachGuestMembershipsByEmail,
  createMembershipsModule,
  findMemberItems,
  hasActiveTiers,
  membershipPaymentHooks,
  membershipPurchaseFacts,
} from './modules/memberships/index.js';
import {
  attachGuestOrdersByEmail,
  claimViewerOf,
  createPaymentsModule,
  createTipThanksLoader,
  findBoughtItems,
} from './modules/payments/index.js';
import {
  createPayoutsModule,
  getPayoutAccount,
  payoutAccountEventHandlers,
} from './modules/payouts/index.js';
import { createPromosModule } from './modules/promos/index.js';
import { createSearchModule } from './modules/search/index.js';
import { createUploadsModule, uploadPrefix, uploadReader } from './modules/uploads/index.js';
import type { CredentialResolver } from './platform/http/auth.js';
import type { AppModule, CliCommand } from './platform/module.js';
import type { Runtime } from './platform/runtime.js';

/** What the runtime gives every process that builds the modules. */
export type ModuleServices = Omit<Runtime, 'jobs' | 'close' | 'pool'>;

export interface Modules {
  /** in the order their routes are registered */
  list: AppModule[];
  /** who a request is (accounts), for the authentication hook */
  resolver: CredentialResolver;
  /** whether ffmpeg and ffprobe are there (media), for /readyz */
  mediaToolsAvailable: () => Promise<boolean>;
}

/** The one access rule with the holdings each module knows (purchases, claim links, members). */
export function createContentAccess(clock?: () => Date): AccessRule {
  return createAccessRule(anyHolding(findBoughtItems, findMemberItems), clock);
}

export function buildModules(services: ModuleServices): Modules {
  const { config, db, storage } = services;
  const access = createContentAccess();

  // A guest's orders and memberships join the account that verifies their email.
  const accounts = createAccountsModule(db, config, {
    onEmailVerified: async (trx, userId, email) => {
      await attachGuestOrdersByEmail(trx, userId, email);
      await attachGuestMembershipsByEmail(trx, userId, email);
    },
  });
  const media = createMediaModule(
    { db, store: storage, tempDir: services.tempDir, uploads: uploadReader(db, storage) },
    { tools: mediaTools(config) },
  );
  const files = createFilesModule(
    { db, store: storage, notifications: services.notifications, access },
    { claimViewerOf: claimViewerOf(config.appSecret) },
  );
  const uploads = createUploadsModule({
    db,
    store: storage,
    config,
    notifications: services.notifications,
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
  });

  // Payments runs what licences and memberships need when an order is paid or goes back, and
  // asks them what its receipts should say; payouts learn of accounts through its events.
  const licences = createLicencesModule(db, config);
  const membershipHooks = membershipPaymentHooks(config);
  // The catalogue's overview asks payouts about the payout account, which needs the processor
  // that payments makes after the catalogue: the callback reaches it when a page asks.
  const catalog = createCatalogModule(db, config, {
    store: storage,
    hasReadyFile: media.hasReadyFile,
    access,
    loadMedia: createMediaLoader(db),
    listFiles: createFileLister(db),
    tipThanks: createTipThanksLoader(db, config),
    hasMembership: (projectId) => hasActiveTiers(db, projectId),
    creatorNumbers: (creatorId) => loadOverviewNumbers(db, creatorId),
    payoutAccount: (creatorId) =>
      getPayoutAccount({ db, config, processor: payments.processor }, creatorId),
    posters: createPosterFinder(db),
    removeFile: createFileRemover(db),
    replaceFile: createFileReplacer({ db, store: storage }),
    previewClip: {
      read: (itemId) => readItemPreviewStart(db, itemId),
      set: (itemId, startMs) => setItemPreviewStart(db, itemId, startMs),
    },
  });
  const payments = createPaymentsModule(db, config, {
    log: services.log,
    catalog: catalog.deps,
    onOrderPaid: [licences.onOrderPaid, ...membershipHooks.onOrderPaid],
    onOrderReversed: membershipHooks.onOrderReversed,
    eventHandlers: { ...membershipHooks.eventHandlers, ...payoutAccountEventHandlers },
    purchaseFacts: [licences.purchaseFacts, membershipPurchaseFacts],
  });

  return {
    list: [
      accounts,
      catalog,
      files,
      uploads,
      media,
      payments,
      createMembershipsModule(db, config, payments.processor),
      licences,
      createEarningsModule(db, { refund: payments.refund }),
      createPromosModule(db),
      createPayoutsModule({
        db,
        config,
        processor: payments.processor,
        registry: services.metrics.registry,
      }),
      createSearchModule({ db, publicUrl: config.publicUrl }),
      createHomeModule({ loadShowcase: catalog.loadShowcase }),
    ],
    resolver: accounts.resolver,
    // The worker may run elsewhere; this checks the tools where the app runs, which is where
    // the worker runs in every setup the docs describe.
    mediaToolsAvailable: media.toolsAvailable,
  };
}

function mediaTools(config: Readonly<Config>) {
  return { ffmpeg: config.ffmpegPath, ffprobe: config.ffprobePath };
}

/** The operator commands of `npm run cli --` that modules offer. */
export const moduleCommands: readonly CliCommand[] = [...accountsCommands];
