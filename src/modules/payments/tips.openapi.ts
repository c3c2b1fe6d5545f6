// OpenAPI description of the tips endpoint.
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { orderSchema, tipInputSchema } from './payments.schemas.js';

export const tipsOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/tips',
    summary:
      'Tip a creator who takes tips (optionally on one of their projects, with a message of up ' +
      'to 500 characters): a pending order of kind "tip" and the processor checkout URL. ' +
      'Amounts are minor units in the creator’s currency, from 100 ($1.00, ¥100) to the largest price.',
    tag: 'orders',
    auth: 'none',
    body: tipInputSchema,
    responses: {
      201: {
        description: 'the order and where to pay',
        schema: z.object({ order: orderSchema, checkout_url: z.url().nullable() }),
      },
      403: 'INSUFFICIENT_SCOPE, CSRF_TOKEN_INVALID or CROSS_SITE_REQUEST',
      404: 'NOT_FOUND (no such creator, or they do not take tips)',
      422:
        'VALIDATION_FAILED, EMAIL_REQUIRED, AMOUNT_TOO_SMALL, AMOUNT_TOO_LARGE, ' +
        'CURRENCY_MISMATCH or PROJECT_NOT_FOUND',
      429: 'RATE_LIMITED',
      503: 'PAYMENTS_UNAVAILABLE',
    },
  },
];
