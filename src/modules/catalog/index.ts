// The catalogue module's public face: projects, items, prices, tags and publishing rules.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { catalogApi } from './catalog.api.js';
import { catalogOperations } from './catalog.openapi.js';
import { noFilesYet, type ReadyFileCheck } from './publishing.js';

export interface CatalogModule {
  /** JSON API, to register under /api/v1 */
  api: (app: FastifyInstance) => Promise<void>;
  /** OpenAPI descriptions of the module's /api/v1 routes */
  operations: ApiOperation[];
}

export interface CatalogOptions {
  /** supplied by the media module: whether an item has a file ready for delivery */
  hasReadyFile?: ReadyFileCheck;
}

export function createCatalogModule(
  db: Db,
  config: Readonly<Config>,
  options: CatalogOptions = {},
): CatalogModule {
  const deps = { db, config, hasReadyFile: options.hasReadyFile ?? noFilesYet };
  return {
    api: (app) => catalogApi(app, { deps }),
    operations: catalogOperations,
  };
}

export { findProjectBySlug } from './projects.repository.js';
export type { ReadyFileCheck } from './publishing.js';
