// OpenAPI descriptions of the checkout, orders and library endpoints.
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { listSchema } from '../catalog/index.js';
import {
  checkoutInputSchema,
  libraryEntrySchema,
  libraryQuerySchema,
  orderSchema,
  refundInputSchema,
} from './payments.schemas.js';

const orderResponse = z.object({ order: orderSchema });
const checkoutResponse = z.object({ order: orderSchema, checkout_url: z.url().nullable() });

export const paymentsOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/checkout',
    summary:
      'Buy an item: a pending order and the processor checkout URL, or (free) a paid order ' +
      'and checkout_url null. Guests give an email; signed-in buyers own the order.',
    tag: 'orders',
    auth: 'none',
    body: checkoutInputSchema,
    responses: {
      201: { description: 'the order and where to pay', schema: checkoutResponse },
      403: 'INSUFFICIENT_SCOPE, CSRF_TOKEN_INVALID or CROSS_SITE_REQUEST',
      404: 'NOT_FOUND (no such item for sale)',
      422: 'VALIDATION_FAILED, EMAIL_REQUIRED, CURRENCY_MISMATCH (a stated currency other than the item’s), AMOUNT_BELOW_MINIMUM, AMOUNT_TOO_LARGE or MEMBERS_ONLY', // prettier-ignore
      429:
        'RATE_LIMITED: too many checkouts from this address, or too many free claims mailed to ' +
        'an unconfirmed email address (10 a day per recipient, 20 an hour per client address)',
      503: 'PAYMENTS_UNAVAILABLE',
    },
  },
  {
    method: 'get',
    path: '/orders/{id}',
    summary: 'An order, for its buyer or the creator of its item',
    tag: 'orders',
    auth: 'user',
    responses: {
      200: { description: 'the order', schema: orderResponse },
      401: 'NOT_SIGNED_IN',
      404: 'NOT_FOUND (also for orders of others)',
    },
  },
  {
    method: 'post',
    path: '/orders/{id}/refund',
    summary:
      'Refund an order fully or in part (the creator of its item): through the processor, then ' +
      'reversed in the ledger; a full refund ends the buyer’s access',
    tag: 'orders',
    auth: 'write',
    body: refundInputSchema,
    responses: {
      200: { description: 'the order, refunded or partially refunded', schema: orderResponse },
      401: 'NOT_SIGNED_IN',
      403: 'INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      404: 'NOT_FOUND (also for the buyer and everyone else)',
      409: 'ORDER_NOT_REFUNDABLE or NOTHING_TO_REFUND',
      422: 'REFUND_TOO_LARGE or VALIDATION_FAILED',
    },
  },
  {
    method: 'get',
    path: '/library',
    summary:
      'The items the caller bought, newest first, one entry per order: state owned (paid or ' +
      'partly refunded), refunded (in full) or disputed (with the bank); refunded and disputed ' +
      'ones no longer open (item.body is null unless the item is open to the caller otherwise). ' +
      'When the creator has left, available_until says until when the item stays open (90 days ' +
      'after they left); after that, and for items the caller may no longer see, there is no entry',
    tag: 'orders',
    auth: 'user',
    query: libraryQuerySchema,
    responses: {
      200: { description: 'a page of library entries', schema: listSchema(libraryEntrySchema) },
      401: 'NOT_SIGNED_IN',
      422: 'VALIDATION_FAILED or INVALID_CURSOR',
    },
  },
];
