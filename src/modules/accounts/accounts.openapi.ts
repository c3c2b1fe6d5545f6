// OpenAPI descriptions of the accounts endpoints (see src/platform/http/openapi.ts).
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import {
  createTokenSchema,
  creatorTierSchema,
  loginSchema,
  signupSchema,
} from './accounts.schemas.js';

export const userSchema = z.object({
  id: z.uuid(),
  handle: z.string(),
  email: z.string(),
  display_name: z.string(),
  is_creator: z.boolean(),
  creator_tier: creatorTierSchema.nullable(),
  email_verified: z.boolean(),
});

const userResponse = z.object({ user: userSchema });

export const accountsOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/auth/signup',
    summary: 'Create an account and sign in (sets the session cookie)',
    tag: 'auth',
    auth: 'none',
    body: signupSchema,
    responses: {
      201: { description: 'the new account', schema: userResponse },
      409: 'HANDLE_TAKEN or EMAIL_TAKEN',
      422: 'VALIDATION_FAILED, PASSWORD_TOO_COMMON or PASSWORD_TOO_PREDICTABLE, with fields',
      429: 'RATE_LIMITED',
    },
  },
  {
    method: 'post',
    path: '/auth/login',
    summary: 'Sign in with email and password (sets the session cookie)',
    tag: 'auth',
    auth: 'none',
    body: loginSchema,
    responses: {
      200: { description: 'signed in', schema: userResponse },
      202: {
        description:
          'the account uses two-factor authentication: finish with /auth/login/second-factor',
        schema: z.object({ second_factor_required: z.literal(true), pending_token: z.string() }),
      },
      401: 'INVALID_CREDENTIALS (the same for unknown emails, wrong passwords and locked accounts)',
      403: 'ACCOUNT_SUSPENDED',
      429: 'RATE_LIMITED',
    },
  },
  {
    method: 'post',
    path: '/auth/logout',
    summary: 'End the current session; with a bearer token (any scope), revoke that token for good',
    tag: 'auth',
    auth: 'none',
    responses: { 204: 'signed out, or the token revoked (it answers 401 from now on)' },
  },
  {
    method: 'get',
    path: '/auth/csrf',
    summary: 'The CSRF token for the current session (or an anonymous one)',
    tag: 'auth',
    auth: 'none',
    responses: {
      200: { description: 'send it as X-CSRF-Token', schema: z.object({ token: z.string() }) },
    },
  },
  {
    method: 'post',
    path: '/auth/tokens',
    summary: 'Create a personal access token with email and password (shown once)',
    tag: 'auth',
    auth: 'none',
    body: createTokenSchema,
    responses: {
      201: {
        description: 'the token; store it now',
        schema: z.object({ token: z.string(), id: z.uuid() }),
      },
      401: 'INVALID_CREDENTIALS',
      403: 'SECOND_FACTOR_REQUIRED: create tokens in settings instead',
      429: 'RATE_LIMITED',
    },
  },
  {
    method: 'get',
    path: '/me',
    summary: 'The signed-in account',
    tag: 'me',
    auth: 'user',
    responses: {
      200: { description: 'the account', schema: userResponse },
      401: 'NOT_SIGNED_IN or INVALID_TOKEN',
    },
  },
  {
    method: 'post',
    path: '/me/creator',
    summary: 'Turn on creating, with a storage tier (default basic)',
    tag: 'me',
    auth: 'write',
    body: z.object({ tier: creatorTierSchema.optional() }),
    responses: {
      200: { description: 'the account, now a creator', schema: userResponse },
      401: 'NOT_SIGNED_IN',
      403: 'INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
    },
  },
];
