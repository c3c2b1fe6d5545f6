// OpenAPI descriptions of the promo-codes endpoints.
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { promoCodeSchema, promoInputSchema, promoPatchSchema } from './promos.schemas.js';

const one = z.object({ promo_code: promoCodeSchema });

export const promosOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/promo-codes',
    summary: 'The caller’s promo codes, newest first, with their uses and state',
    tag: 'promo codes',
    auth: 'user',
    responses: {
      200: { description: 'the codes', schema: z.object({ items: z.array(promoCodeSchema) }) },
      401: 'NOT_SIGNED_IN',
      403: 'NOT_A_CREATOR',
    },
  },
  {
    method: 'post',
    path: '/promo-codes',
    summary:
      'Make a promo code: percent or fixed off, free access, or a trial (tiers only), on all ' +
      'items, a project, an item or a tier, optionally between dates and up to a number of uses',
    tag: 'promo codes',
    auth: 'write',
    body: promoInputSchema,
    responses: {
      201: { description: 'the new code', schema: one },
      401: 'NOT_SIGNED_IN',
      403: 'NOT_A_CREATOR, INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      422: 'VALIDATION_FAILED, PROMO_CODE_TAKEN or PROMO_SCOPE_NOT_FOUND',
    },
  },
  {
    method: 'patch',
    path: '/promo-codes/{id}',
    summary: 'Turn a code on or off, or change its dates or usage limit (its owner)',
    tag: 'promo codes',
    auth: 'write',
    body: promoPatchSchema,
    responses: {
      200: { description: 'the code', schema: one },
      401: 'NOT_SIGNED_IN',
      403: 'NOT_A_CREATOR, INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      404: 'NOT_FOUND (also for codes of others)',
      422: 'VALIDATION_FAILED',
    },
  },
  {
    method: 'delete',
    path: '/promo-codes/{id}',
    summary: 'Delete an unused code (204); a used one is deactivated instead (200 with the code)',
    tag: 'promo codes',
    auth: 'write',
    responses: {
      200: { description: 'the code, deactivated because orders used it', schema: one },
      204: 'deleted',
      401: 'NOT_SIGNED_IN',
      403: 'NOT_A_CREATOR, INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      404: 'NOT_FOUND (also for codes of others)',
    },
  },
];
