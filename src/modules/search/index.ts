// The search module's public face: the service (for pages) and the JSON API.
export { searchApi, type SearchApiOptions } from './search.api.js';
export { searchOperations } from './search.openapi.js';
export {
  itemSearchStatement,
  search,
  suggest,
  type SearchHit,
  type SearchParams,
  type SearchResult,
} from './search.service.js';
