// OpenAPI descriptions of the /me settings endpoints (settings.api.ts).
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { scopeSchema } from './accounts.schemas.js';
import { userSchema } from './accounts.openapi.js';
import {
  deactivateBody,
  deleteMeBody,
  emailBody,
  passwordBody,
  patchMeBody,
} from './settings.schemas.js';

const when = z.iso.datetime();

const sessionSchema = z.object({
  id: z.uuid(),
  current: z.boolean().describe("true for the caller's own session"),
  device: z.string().describe('"Firefox on Linux", from the user agent'),
  place: z.string().describe('"Germany (81.2.69.160)", "Local network (10.0.0.7)", or the IP'),
  country: z.string().nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  method: z.enum(['password', 'passkey', 'email_link', 'signup']),
  created_at: when,
  last_seen_at: when,
  expires_at: when,
});

const tokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  scopes: z.array(scopeSchema),
  current: z.boolean().describe('true for the token making the request'),
  created_at: when,
  last_used_at: when.nullable(),
});

const eventSchema = z.object({
  id: z.number().int(),
  type: z.string().describe('signed_in, sign_in_failed, password_changed, token_created, …'),
  created_at: when,
  device: z.string(),
  place: z.string(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

const listOf = (item: z.ZodType) => z.object({ items: z.array(item), next_cursor: z.null() });

const REAUTH =
  'REAUTH_REQUIRED (no current_password and no recent re-authentication), PASSWORD_INCORRECT, INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID';

export const settingsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/me/sessions',
    summary: "The account's signed-in sessions (device, place by IP, last use)",
    tag: 'me',
    auth: 'user',
    responses: {
      200: { description: 'the sessions', schema: listOf(sessionSchema) },
      401: 'NOT_SIGNED_IN',
    },
  },
  {
    method: 'delete',
    path: '/me/sessions/{id}',
    summary: "End one of the account's sessions (the caller's own signs it out)",
    tag: 'me',
    auth: 'write',
    responses: { 204: 'ended', 404: "NOT_FOUND, also for another account's session" },
  },
  {
    method: 'post',
    path: '/me/sessions/revoke-others',
    summary:
      "Sign out everywhere else: end every session and revoke every personal access token except the caller's own",
    tag: 'me',
    auth: 'write',
    responses: {
      200: {
        description: 'how many sessions ended and tokens were revoked',
        schema: z.object({ revoked: z.number().int(), revoked_tokens: z.number().int() }),
      },
    },
  },
  {
    method: 'get',
    path: '/me/tokens',
    summary: "The account's live personal access tokens (never the secrets)",
    tag: 'me',
    auth: 'user',
    responses: { 200: { description: 'the tokens', schema: listOf(tokenSchema) } },
  },
  {
    method: 'delete',
    path: '/me/tokens/{id}',
    summary: 'Revoke a personal access token',
    tag: 'me',
    auth: 'write',
    responses: { 204: 'revoked', 404: "NOT_FOUND, also for another account's token" },
  },
  {
    method: 'get',
    path: '/me/security-log',
    summary: "The account's 100 most recent security events, newest first",
    tag: 'me',
    auth: 'user',
    responses: { 200: { description: 'the events', schema: listOf(eventSchema) } },
  },
  {
    method: 'patch',
    path: '/me',
    summary: 'Change the display name',
    tag: 'me',
    auth: 'write',
    body: patchMeBody,
    responses: {
      200: { description: 'the account', schema: z.object({ user: userSchema }) },
      422: 'VALIDATION_FAILED',
    },
  },
  {
    method: 'post',
    path: '/me/password',
    summary:
      "Change the password; unless end_other_sessions is false, also ends the other sessions and revokes every token but the caller's",
    tag: 'me',
    auth: 'write',
    body: passwordBody,
    responses: {
      200: {
        description: 'changed; a notice is mailed',
        schema: z.object({
          ended_sessions: z.number().int(),
          revoked_tokens: z.number().int(),
        }),
      },
      403: REAUTH,
      422: 'VALIDATION_FAILED, PASSWORD_TOO_COMMON or PASSWORD_TOO_PREDICTABLE',
      429: 'RATE_LIMITED',
    },
  },
  {
    method: 'post',
    path: '/me/email',
    summary: 'Change the email: a link goes to the new address, which applies on confirmation',
    tag: 'me',
    auth: 'write',
    body: emailBody,
    responses: {
      202: {
        description: 'the confirmation link is on its way',
        schema: z.object({ pending_email: z.string() }),
      },
      403: REAUTH,
      409: 'EMAIL_TAKEN',
      422: 'VALIDATION_FAILED or EMAIL_UNCHANGED',
      429: 'RATE_LIMITED',
    },
  },
  {
    method: 'post',
    path: '/me/deactivate',
    summary: 'Deactivate the account: every session and token ends; signing in reactivates it',
    tag: 'me',
    auth: 'write',
    body: deactivateBody,
    responses: { 204: 'deactivated', 403: REAUTH, 429: 'RATE_LIMITED' },
  },
  {
    method: 'delete',
    path: '/me',
    summary: 'Delete the account and its personal data (irreversible)',
    tag: 'me',
    auth: 'write',
    body: deleteMeBody,
    responses: {
      204: 'deleted',
      403: REAUTH,
      422: 'HANDLE_MISMATCH: confirm_handle is not the account handle',
      429: 'RATE_LIMITED',
    },
  },
];
