// The auth and me endpoints of API.md (under /api/v1).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { principalOf, requireScope, requireUser } from '../../platform/http/auth.js';
import { csrfToken } from '../../platform/http/csrf.js';
import type { RateLimiter } from '../../platform/http/rate-limit.js';
import { deriveKey } from '../../platform/secrets.js';
import {
  createTokenSchema,
  creatorTierSchema,
  loginSchema,
  signupSchema,
} from './accounts.schemas.js';
import { LIMITS } from './accounts.rate-limits.js';
import { becomeCreator, publicUser, signup, type AccountsDeps } from './accounts.service.js';
import { createApiToken } from './api-tokens.service.js';
import { accountLimitSubject, checkPassword, passwordLogin, signOut } from './login.service.js';
import { requestMeta, recordEvent } from './security-log.js';
import {
  clearSessionCookie,
  ensureDeviceId,
  readDeviceId,
  setSessionCookie,
} from './session-cookie.js';
import { rotateSessionToken } from './sessions.service.js';
import { revokeToken } from './settings-access.service.js';
import { findUserById } from './users.repository.js';

export interface AccountsRouteOptions {
  deps: AccountsDeps;
  limiter: RateLimiter;
}

export async function accountsApi(app: FastifyInstance, { deps, limiter }: AccountsRouteOptions) {
  const { config } = deps;
  const anonymousCsrf = csrfToken(deriveKey(config.appSecret, 'csrf'), 'anonymous');

  app.post('/auth/signup', async (request, reply) => {
    await limiter.enforce(reply, LIMITS.signupPerIp, request.ip);
    const input = signupSchema.parse(request.body);
    const deviceId = ensureDeviceId(request, reply, config);
    const { user, session } = await signup(deps, input, requestMeta(request), deviceId);
    setSessionCookie(reply, config, session.token, session.expiresAt);
    return reply.status(201).send({ user: publicUser(user) });
  });

  app.post('/auth/login', async (request, reply) => {
    const input = loginSchema.parse(request.body);
    await limiter.enforce(reply, LIMITS.loginPerIp, request.ip);
    const subject = await accountLimitSubject(deps.db, input.email, readDeviceId(request));
    await limiter.enforce(reply, LIMITS.loginPerAccount, subject);
    const deviceId = ensureDeviceId(request, reply, config);
    const result = await passwordLogin(deps, input, requestMeta(request), deviceId);
    if (result.kind === 'second_factor') {
      return reply
        .status(202)
        .send({ second_factor_required: true, pending_token: result.pendingToken });
    }
    setSessionCookie(reply, config, result.session.token, result.session.expiresAt);
    return { user: publicUser(result.user) };
  });

  // A token signs out by being revoked; a read-only token may give itself up (tokenScope).
  app.post('/auth/logout', { config: { tokenScope: 'read' } }, async (request, reply) => {
    const principal = request.principal;
    if (principal?.via === 'session') {
      await signOut(
        deps,
        { id: principal.credentialId, userId: principal.user.id },
        requestMeta(request),
      );
    }
    if (principal?.via === 'token') {
      await revokeToken(deps, principal.user.id, principal.credentialId, requestMeta(request), {
        from: 'logout',
      });
    }
    clearSessionCookie(reply, config);
    return reply.status(204).send();
  });

  app.get('/auth/csrf', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const token = request.viewContext?.csrfToken;
    return { token: token || anonymousCsrf };
  });

  app.post('/auth/tokens', async (request, reply) => {
    const input = createTokenSchema.parse(request.body);
    await limiter.enforce(reply, LIMITS.tokenPerIp, request.ip);
    const deviceId = readDeviceId(request);
    const subject = await accountLimitSubject(deps.db, input.email, deviceId);
    await limiter.enforce(reply, LIMITS.tokenPerAccount, subject);
    const user = await checkPassword(deps, input, requestMeta(request), deviceId);
    if (user.totp_enabled_at !== null) {
      throw new AppError(
        'SECOND_FACTOR_REQUIRED',
        403,
        'This account uses two-factor authentication: create tokens from the security settings page.',
      );
    }
    const scopes = input.scopes ?? ['read', 'write'];
    const created = await deps.db.transaction().execute(async (trx) => {
      const token = await createApiToken(trx, user.id, input.name, scopes);
      await recordEvent(trx, user.id, 'token_created', requestMeta(request), {
        name: input.name,
        scopes,
      });
      return token;
    });
    return reply.status(201).send({ token: created.token, id: created.id });
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.get('/me', async (request) => {
      const user = await findUserById(deps.db, principalOf(request).user.id);
      if (!user) throw new AppError('NOT_SIGNED_IN', 401, 'Please sign in first.');
      return { user: publicUser(user) };
    });

    signedIn.post('/me/creator', { preHandler: requireScope('write') }, async (request, reply) => {
      const body = z.object({ tier: creatorTierSchema.optional() }).parse(request.body ?? {});
      const principal = principalOf(request);
      const user = await becomeCreator(
        deps,
        principal.user.id,
        body.tier ?? 'basic',
        requestMeta(request),
      );
      // A privilege change gets a new session token, so a token stolen before it is worthless.
      if (principal.via === 'session') {
        const rotated = await rotateSessionToken(deps.db, principal.credentialId);
        if (rotated) setSessionCookie(reply, config, rotated.token, rotated.expiresAt);
      }
      return { user: publicUser(user) };
    });
  });
}
