// The search module's public face: the service, the JSON API and the pages.
import type { Db } from '../../db/database.js';
import type { AppModule } from '../../platform/module.js';
import { FOLD_SALES_CRONTAB, foldSalesTask } from './sales-counts.jobs.js';
import { searchApi } from './search.api.js';
import { searchOperations } from './search.openapi.js';
import { searchPages } from './search.pages.js';

/** Search (the API, the /search and /search/suggest pages) and the minute's sales-count fold. */
export function createSearchModule(deps: { db: Db; publicUrl: URL }): AppModule {
  return {
    name: 'search',
    api: (app) => searchApi(app, deps),
    routes: (app) => searchPages(app, { db: deps.db }),
    operations: searchOperations,
    tasks: [foldSalesTask(deps.db)],
    crontab: [FOLD_SALES_CRONTAB],
  };
}

export {
  itemSearchStatement,
  search,
  suggest,
  type SearchHit,
  type SearchResult,
} from './search.service.js';
export type { SearchParams } from './search.plan.js';
export { foldItemSales } from './sales-counts.jobs.js';
