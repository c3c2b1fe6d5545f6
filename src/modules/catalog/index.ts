// The catalogue module's public face: projects, items, prices, tags, publishing rules, images,
// creator profiles, the public pages and the creator dashboard.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { ApiOperation } from '../../platform/http/openapi.js';
import type { CleanupStep } from '../../platform/maintenance/cleanup.jobs.js';
import type { AppModule } from '../../platform/module.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import type { HomeShowcase } from '../home/index.js';
import { catalogApi } from './catalog.api.js';
import { catalogOperations } from './catalog.openapi.js';
import { dashboardPages } from './dashboard.pages.js';
import { feedRoutes } from './feed.routes.js';
import { imageRoutes } from './images.routes.js';
import { removeUnusedImages } from './images.service.js';
import type { CatalogDeps } from './projects.service.js';
import { publicPages } from './public.pages.js';
import type { AccessRule } from '../access/index.js';
import {
  noFilesYet,
  noItemFiles,
  noMedia,
  type ItemFileLister,
  type MediaLoader,
  type ReadyFileCheck,
} from './publishing.js';
import { noTipThanks, type TipThanksLoader } from './public/tip-thanks.js';
import {
  noPosters,
  type CreatorNumbersLoader,
  type PayoutAccountCheck,
  type PosterFinder,
} from './dashboard/overview-facts.js';
import type { FileRemover, FileReplacer, PreviewClip } from './dashboard/file-changes.js';
import { loadShowcase } from './showcase.js';
import { RENDER_MARKDOWN_CRONTAB, renderMarkdownTask } from './render-markdown.jobs.js';

export interface CatalogModule extends AppModule {
  /** JSON API, to register under /api/v1 */
  api: (app: FastifyInstance) => Promise<void>;
  /** public pages, the dashboard and image delivery */
  routes: (app: FastifyInstance) => Promise<void>;
  /** OpenAPI descriptions of the module's /api/v1 routes */
  operations: ApiOperation[];
  /** steps of the hourly cleanup job */
  cleanupSteps: CleanupStep[];
  /** the home page's new releases and featured creators */
  loadShowcase: () => Promise<HomeShowcase>;
  deps: CatalogDeps;
}

export interface CatalogOptions {
  store: ObjectStore;
  /** supplied by the media module: whether an item has a file ready for delivery */
  hasReadyFile?: ReadyFileCheck;
  /** the one access rule, with purchases and memberships (src/content-access.ts) */
  access: AccessRule;
  /** supplied by the files module: player and downloads for an item page */
  loadMedia?: MediaLoader;
  /** supplied by the files module: an item's files for the dashboard */
  listFiles?: ItemFileLister;
  /** supplied by the payments module: a tip's state, for the thanks after paying it */
  tipThanks?: TipThanksLoader;
  /** supplied by the memberships module: whether a project has tiers to join */
  hasMembership?: (projectId: string) => Promise<boolean>;
  /** supplied by the earnings module: the overview's sales, balances and latest sales */
  creatorNumbers?: CreatorNumbersLoader;
  /** supplied by the payouts module: whether the creator's payout account is set up */
  payoutAccount?: PayoutAccountCheck;
  /** supplied by the files module: video items with a poster frame, for thumbnails */
  posters?: PosterFinder;
  /** supplied by the files module: removes one of an item's files */
  removeFile?: FileRemover;
  /** supplied by the files module: uploads a new version of one of an item's files */
  replaceFile?: FileReplacer;
  /** supplied by the media module: where audio and video previews start */
  previewClip?: PreviewClip;
}

export function createCatalogModule(
  db: Db,
  config: Readonly<Config>,
  options: CatalogOptions,
): CatalogModule {
  const deps: CatalogDeps = {
    db,
    config,
    store: options.store,
    hasReadyFile: options.hasReadyFile ?? noFilesYet,
    access: options.access,
    loadMedia: options.loadMedia ?? noMedia,
    listFiles: options.listFiles ?? noItemFiles,
    tipThanks: options.tipThanks ?? noTipThanks,
    hasMembership: options.hasMembership ?? (() => Promise.resolve(false)),
    creatorNumbers: options.creatorNumbers,
    payoutAccount: options.payoutAccount,
    posters: options.posters ?? noPosters,
    removeFile: options.removeFile,
    replaceFile: options.replaceFile,
    previewClip: options.previewClip,
  };
  return {
    name: 'catalog',
    api: (app) => catalogApi(app, { deps }),
    routes: async (app) => {
      await imageRoutes(app, { store: deps.store });
      await feedRoutes(app, { deps });
      await publicPages(app, { deps });
      await dashboardPages(app, { deps });
    },
    operations: catalogOperations,
    cleanupSteps: [{ name: 'unused-images', run: () => removeUnusedImages(db, options.store) }],
    tasks: [renderMarkdownTask(db)],
    crontab: [RENDER_MARKDOWN_CRONTAB],
    loadShowcase: () => loadShowcase(deps),
    deps,
  };
}

export { findProjectBySlug } from './projects.repository.js';
export { findImageRef, type ImageRef } from './images.service.js';
export type { CatalogDeps } from './projects.service.js';
export { LargeCover } from './public/parts.js';
export {
  loadPurchaseContent,
  PurchaseContent,
  type PurchaseContentProps,
} from './public/purchase.js';
export type { ItemFileLister, ItemFileSummary, MediaLoader, ReadyFileCheck } from './publishing.js';
export { removeUnusedImages } from './images.service.js';
export type { TipThanksLoader, TipThanksState } from './public/tip-thanks.js';
export type {
  CreatorNumbers,
  CreatorNumbersLoader,
  PayoutAccountCheck,
  PosterFinder,
} from './dashboard/overview-facts.js';

// What other modules use of this one (their only way in).
export { itemSchema, listSchema } from './catalog.responses.js';
export { ITEM_TYPES } from './catalog.schemas.js';
export { selectItems } from './items.repository.js';
export { presentDecided } from './items.service.js';
export { MAX_PRICE } from './pricing.js';
export { kindLabel, priceLabel } from './public/format.js';
export { Breadcrumbs, Markdown } from './public/parts.js';
export { normaliseTagParam } from './public/tag-pages.js';
export { TIP_MINIMUM, TIP_PRESETS, TipForm, type TipFormValues } from './public/tip-form.js';
export { TipThanksMessage } from './public/tip-thanks.js';
export { absoluteUrl, creatorPath, itemPath, projectPath, withQuery } from './public/urls.js';
export { normaliseTag } from './tags.js';
