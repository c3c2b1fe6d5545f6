// OpenAPI descriptions of the memberships endpoints.
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { listSchema } from '../catalog/index.js';
import { orderSchema } from '../payments/index.js';
import {
  membershipSchema,
  subscribeInputSchema,
  tierInputSchema,
  tierPatchSchema,
  tierSchema,
} from './memberships.schemas.js';

const tierResponse = z.object({ tier: tierSchema });
const membershipResponse = z.object({ membership: membershipSchema.nullable() });
const subscribeResponse = z.object({ order: orderSchema, checkout_url: z.url() });
const tag = 'memberships';

export const membershipsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/projects/{id}/tiers',
    summary:
      'A project’s membership tiers: all of them for its creator, the active ones for others',
    tag,
    auth: 'none',
    responses: {
      200: { description: 'the tiers, in order', schema: listSchema(tierSchema) },
      404: 'NOT_FOUND',
    },
  },
  {
    method: 'post',
    path: '/projects/{id}/tiers',
    summary: 'Add a tier (the project’s creator): a monthly and/or yearly price in their currency',
    tag,
    auth: 'write',
    body: tierInputSchema,
    responses: {
      201: { description: 'the new tier', schema: tierResponse },
      401: 'NOT_SIGNED_IN',
      403: 'INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      404: 'NOT_FOUND (also for projects of others)',
      422: 'VALIDATION_FAILED',
    },
  },
  {
    method: 'patch',
    path: '/tiers/{id}',
    summary: 'Change a tier (the project’s creator); status archived closes it to new members',
    tag,
    auth: 'write',
    body: tierPatchSchema,
    responses: {
      200: { description: 'the tier', schema: tierResponse },
      401: 'NOT_SIGNED_IN',
      403: 'INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      404: 'NOT_FOUND (also for tiers of others)',
      422: 'VALIDATION_FAILED',
    },
  },
  {
    method: 'delete',
    path: '/tiers/{id}',
    summary:
      'Delete a tier nobody joined (204); a tier with members is archived instead (200, the tier)',
    tag,
    auth: 'write',
    responses: {
      200: { description: 'the tier, archived', schema: tierResponse },
      204: 'deleted',
      401: 'NOT_SIGNED_IN',
      403: 'INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      404: 'NOT_FOUND (also for tiers of others)',
    },
  },
  {
    method: 'post',
    path: '/memberships',
    summary:
      'Join a tier: a pending membership order (0 with a trial code) and the processor’s ' +
      'subscription checkout URL. Guests give an email.',
    tag,
    auth: 'none',
    body: subscribeInputSchema,
    responses: {
      201: { description: 'the order and where to pay', schema: subscribeResponse },
      403: 'INSUFFICIENT_SCOPE, CSRF_TOKEN_INVALID or CROSS_SITE_REQUEST',
      404: 'NOT_FOUND (no such active tier)',
      409: 'ALREADY_MEMBER',
      422: 'VALIDATION_FAILED, EMAIL_REQUIRED, INTERVAL_NOT_OFFERED or a PROMO_* code',
      429: 'RATE_LIMITED',
      503: 'PAYMENTS_UNAVAILABLE',
    },
  },
  {
    method: 'get',
    path: '/me/memberships',
    summary: 'The caller’s memberships, newest first, with whether each gives access now',
    tag,
    auth: 'user',
    responses: {
      200: { description: 'the memberships', schema: listSchema(membershipSchema) },
      401: 'NOT_SIGNED_IN',
    },
  },
  {
    method: 'post',
    path: '/memberships/{id}/cancel',
    summary: 'Cancel a membership at the end of the period paid for (its member)',
    tag,
    auth: 'write',
    responses: {
      200: { description: 'the membership, canceled', schema: membershipResponse },
      401: 'NOT_SIGNED_IN',
      403: 'INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      404: 'NOT_FOUND (also for memberships of others)',
      409: 'MEMBERSHIP_NOT_ACTIVE',
      503: 'PAYMENTS_UNAVAILABLE',
    },
  },
];
