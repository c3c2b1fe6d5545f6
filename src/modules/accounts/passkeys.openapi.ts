// OpenAPI descriptions of the second-factor endpoints (passkeys.api.ts, two-factor.api.ts).
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { userSchema } from './accounts.openapi.js';
import {
  deletePasskeyBody,
  passkeySignInBody,
  registerPasskeyBody,
  registrationOptionsBody,
  renamePasskeyBody,
  secondFactorBody,
} from './passkeys.schemas.js';

const when = z.iso.datetime();

const passkeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  created_at: when,
  last_used_at: when.nullable(),
  backed_up: z.boolean().describe('synced by its provider rather than bound to one device'),
});

const ceremony = (what: string) =>
  z.object({
    challenge_id: z.uuid().describe('send it back with the answer; valid for 5 minutes, once'),
    options: z
      .record(z.string(), z.unknown())
      .describe(`${what} options for @simplewebauthn/browser or navigator.credentials`),
  });

const signedIn = z.object({ user: userSchema });

export const twoFactorOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/auth/login/second-factor',
    summary:
      'Finish a password sign-in that answered 202: a 6-digit code from the authenticator app or a backup code (sets the session cookie)',
    tag: 'auth',
    auth: 'none',
    body: secondFactorBody,
    responses: {
      200: { description: 'signed in', schema: signedIn },
      401: 'SECOND_FACTOR_INVALID (wrong or reused code; 5 tries per sign-in) or SECOND_FACTOR_EXPIRED (after 5 minutes or 5 wrong codes: sign in again)',
      403: 'ACCOUNT_SUSPENDED',
      422: 'VALIDATION_FAILED',
      429: 'RATE_LIMITED',
    },
  },
  {
    method: 'post',
    path: '/auth/passkey/options',
    summary: 'Start signing in with a passkey (a discoverable credential: no email needed)',
    tag: 'auth',
    auth: 'none',
    responses: {
      200: { description: 'the challenge', schema: ceremony('PublicKeyCredentialRequest') },
      429: 'RATE_LIMITED',
    },
  },
  {
    method: 'post',
    path: '/auth/passkey',
    summary: "Sign in with the authenticator's answer (sets the session cookie; no TOTP step)",
    tag: 'auth',
    auth: 'none',
    body: passkeySignInBody,
    responses: {
      200: { description: 'signed in', schema: signedIn },
      400: 'CHALLENGE_EXPIRED',
      401: 'PASSKEY_NOT_RECOGNIZED',
      403: 'ACCOUNT_SUSPENDED',
      422: 'VALIDATION_FAILED',
      429: 'RATE_LIMITED',
    },
  },
  {
    method: 'get',
    path: '/me/passkeys',
    summary: "The account's passkeys",
    tag: 'me',
    auth: 'user',
    responses: {
      200: {
        description: 'the passkeys',
        schema: z.object({ items: z.array(passkeySchema), next_cursor: z.null() }),
      },
      401: 'NOT_SIGNED_IN',
    },
  },
  {
    method: 'post',
    path: '/me/passkeys/options',
    summary:
      'Start adding a passkey (browser sessions only; needs current_password or a recent re-authentication)',
    tag: 'me',
    auth: 'write',
    body: registrationOptionsBody,
    responses: {
      200: { description: 'the challenge', schema: ceremony('PublicKeyCredentialCreation') },
      403: 'SESSION_REQUIRED, REAUTH_REQUIRED or PASSWORD_INCORRECT',
      409: 'PASSKEY_LIMIT_REACHED (20 per account)',
    },
  },
  {
    method: 'post',
    path: '/me/passkeys',
    summary: "Add the passkey from the authenticator's answer",
    tag: 'me',
    auth: 'write',
    body: registerPasskeyBody,
    responses: {
      201: { description: 'the new passkey', schema: z.object({ passkey: passkeySchema }) },
      400: 'CHALLENGE_EXPIRED or PASSKEY_INVALID',
      403: 'SESSION_REQUIRED',
      409: 'PASSKEY_LIMIT_REACHED or PASSKEY_EXISTS',
      422: 'VALIDATION_FAILED',
    },
  },
  {
    method: 'patch',
    path: '/me/passkeys/{id}',
    summary: 'Rename a passkey',
    tag: 'me',
    auth: 'write',
    body: renamePasskeyBody,
    responses: {
      200: { description: 'the renamed passkey', schema: z.object({ passkey: passkeySchema }) },
      404: "NOT_FOUND, also for another account's passkey",
      422: 'VALIDATION_FAILED',
    },
  },
  {
    method: 'delete',
    path: '/me/passkeys/{id}',
    summary: 'Remove a passkey (confirm with the current password)',
    tag: 'me',
    auth: 'write',
    body: deletePasskeyBody,
    responses: {
      204: 'removed',
      403: 'PASSWORD_INCORRECT',
      404: "NOT_FOUND, also for another account's passkey",
      422: 'VALIDATION_FAILED',
      429: 'RATE_LIMITED',
    },
  },
];
