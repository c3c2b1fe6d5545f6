// The search module's public face: the service, the JSON API and the pages.
export { searchApi, type SearchApiOptions } from './search.api.js';
export { searchPages } from './search.pages.js';
export { searchOperations } from './search.openapi.js';
export {
  itemSearchStatement,
  search,
  suggest,
  type SearchHit,
  type SearchResult,
} from './search.service.js';
export type { SearchParams } from './search.plan.js';
export { FOLD_SALES_CRONTAB, foldItemSales, foldSalesTask } from './sales-counts.jobs.js';
