// OpenAPI descriptions of the earnings and sales endpoints.
import type { ApiOperation } from '../../platform/http/openapi.js';
import {
  earningsQuerySchema,
  earningsSchema,
  salesListSchema,
  salesQuerySchema,
} from './earnings.schemas.js';

export const earningsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/me/earnings',
    summary:
      'The caller’s earnings per currency: the period’s gross sales, processor fees, refunds, ' +
      'disputes and net (minor units), balances now, sales per UTC day (7d, 30d) or month ' +
      '(12m) with empty buckets as zeros, and the same for the period before',
    tag: 'earnings',
    auth: 'user',
    query: earningsQuerySchema,
    responses: {
      200: { description: 'earnings per currency', schema: earningsSchema },
      401: 'NOT_SIGNED_IN',
      422: 'VALIDATION_FAILED (an unknown period)',
    },
  },
  {
    method: 'get',
    path: '/me/sales',
    summary:
      'The caller’s paid orders as a creator, newest first: what was bought (item title, Tip or ' +
      'Membership), the buyer (handle or masked email), amount, status and refunded amount',
    tag: 'earnings',
    auth: 'user',
    query: salesQuerySchema,
    responses: {
      200: { description: 'a page of sales', schema: salesListSchema },
      401: 'NOT_SIGNED_IN',
      422: 'VALIDATION_FAILED or INVALID_CURSOR',
    },
  },
];
