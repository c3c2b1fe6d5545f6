// OpenAPI descriptions of the search endpoints.
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import {
  searchAnswerSchema,
  searchHitSchema,
  searchQuerySchema,
  suggestQuerySchema,
} from './search.schemas.js';

export const searchOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/search',
    summary:
      'Search published items, projects and creators: words, "quoted phrases", or, -excluded; ' +
      'the last word also matches as a prefix; filters by kind, type, price, tag subtree, creator',
    tag: 'search',
    auth: 'none',
    query: searchQuerySchema,
    responses: {
      200: { description: 'hits, best first', schema: searchAnswerSchema },
      422: 'VALIDATION_FAILED, INVALID_TAG or INVALID_CURSOR',
      503: 'SEARCH_TIMEOUT',
    },
  },
  {
    method: 'get',
    path: '/search/suggest',
    summary: 'As-you-type suggestions: titles whose words start with what was typed',
    tag: 'search',
    auth: 'none',
    query: suggestQuerySchema,
    responses: {
      200: { description: 'hits', schema: z.object({ items: z.array(searchHitSchema) }) },
      422: 'VALIDATION_FAILED',
      503: 'SEARCH_TIMEOUT',
    },
  },
];
