// OpenAPI descriptions of the licence-key endpoints (request and answer examples come from the
// schemas' metadata).
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import {
  activateInputSchema,
  activationResultSchema,
  buyerKeySchema,
  deactivateInputSchema,
  deactivationResultSchema,
  issuedKeySchema,
  keyCheckSchema,
  licenceSettingsInputSchema,
  licenceSettingsSchema,
  validateInputSchema,
} from './licences.schemas.js';

const list = (item: z.ZodType) => z.object({ items: z.array(item), next_cursor: z.null() });
const publicErrors = {
  422: 'VALIDATION_FAILED (the request’s shape; a malformed key is answered like an unknown one)',
  429: 'RATE_LIMITED (per address and per key; Retry-After says when to try again)',
} as const;

export const licencesOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/keys/validate',
    summary:
      'Check a licence key (no sign-in; for installed software). valid is true for an active ' +
      'key and, when instance_id is given, only if that instance is activated. Unknown and ' +
      'malformed keys both answer valid: false, status: "unknown". A key whose order was fully ' +
      'refunded or disputed answers status: "revoked".',
    tag: 'licences',
    auth: 'none',
    body: validateInputSchema,
    responses: { 200: { description: 'the key’s state', schema: keyCheckSchema }, ...publicErrors },
  },
  {
    method: 'post',
    path: '/keys/activate',
    summary:
      'Activate a licence key on an instance (a machine or installation). Activating the same ' +
      'instance again answers the same activation; a new one beyond the item’s limit is refused.',
    tag: 'licences',
    auth: 'none',
    body: activateInputSchema,
    responses: {
      200: { description: 'the activation', schema: activationResultSchema },
      403: 'KEY_REVOKED (the order was refunded or disputed)',
      404: 'KEY_INVALID (unknown or malformed key)',
      409: 'ACTIVATION_LIMIT (deactivate another instance first)',
      ...publicErrors,
    },
  },
  {
    method: 'post',
    path: '/keys/deactivate',
    summary: 'Free an instance’s activation (deactivating one that is not active changes nothing)',
    tag: 'licences',
    auth: 'none',
    body: deactivateInputSchema,
    responses: {
      200: {
        description: 'whether it was active, and the count now',
        schema: deactivationResultSchema,
      },
      404: 'KEY_INVALID (unknown or malformed key)',
      ...publicErrors,
    },
  },
  {
    method: 'get',
    path: '/library/keys',
    summary: 'The caller’s licence keys in full, with their activations, newest first',
    tag: 'licences',
    auth: 'user',
    responses: {
      200: { description: 'the caller’s keys', schema: list(buyerKeySchema) },
      401: 'NOT_SIGNED_IN',
    },
  },
  {
    method: 'get',
    path: '/items/{id}/keys',
    summary: 'Keys issued for an item (its creator only; by suffix, not in full), newest first',
    tag: 'licences',
    auth: 'user',
    responses: {
      200: { description: 'the issued keys', schema: list(issuedKeySchema) },
      401: 'NOT_SIGNED_IN',
      404: 'NOT_FOUND (also for items of others)',
    },
  },
  {
    method: 'get',
    path: '/items/{id}/licence',
    summary: 'An item’s licence settings (its creator only); the activation limit defaults to 3',
    tag: 'licences',
    auth: 'user',
    responses: {
      200: { description: 'the settings', schema: licenceSettingsSchema },
      401: 'NOT_SIGNED_IN',
      404: 'NOT_FOUND (also for items of others)',
    },
  },
  {
    method: 'put',
    path: '/items/{id}/licence',
    summary: 'Set how many instances one key of the item may be active on (1 to 1000)',
    tag: 'licences',
    auth: 'write',
    body: licenceSettingsInputSchema,
    responses: {
      200: { description: 'the settings', schema: licenceSettingsSchema },
      401: 'NOT_SIGNED_IN',
      403: 'INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      404: 'NOT_FOUND (also for items of others)',
      422: 'VALIDATION_FAILED',
    },
  },
  {
    method: 'delete',
    path: '/keys/activations/{id}',
    summary: 'Remove an activation of a key of your item (a buyer’s lost or replaced machine)',
    tag: 'licences',
    auth: 'write',
    responses: {
      204: 'removed',
      401: 'NOT_SIGNED_IN',
      403: 'INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      404: 'NOT_FOUND (also for activations of others’ items)',
    },
  },
];
