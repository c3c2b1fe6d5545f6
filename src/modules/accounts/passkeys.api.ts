// Passkey endpoints under /api/v1: the signed-in account's passkeys (/me/passkeys) and signing
// in with a passkey alone (/auth/passkey). Each ceremony is two calls: options (with a
// challenge_id naming the server-side challenge), then the authenticator's answer.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, notFound } from '../../platform/errors.js';
import {
  principalOf,
  requireScope,
  requireUser,
  type Principal,
} from '../../platform/http/auth.js';
import type { AccountsRouteOptions } from './accounts.api.js';
import { LIMITS } from './accounts.rate-limits.js';
import { publicUser } from './accounts.service.js';
import { PASSKEY_LIMITS } from './passkeys.rate-limits.js';
import {
  deletePasskeyBody,
  passkeySignInBody,
  registerPasskeyBody,
  registrationOptionsBody,
  renamePasskeyBody,
} from './passkeys.schemas.js';
import {
  listPasskeys,
  passkeyRegistrationOptions,
  passkeySignInOptions,
  registerPasskey,
  removePasskey,
  renamePasskey,
  signInWithPasskey,
  type PasskeyView,
} from './passkeys.service.js';
import { confirmPassword, ensureApiReauth } from './reauth.js';
import { requestMeta } from './security-log.js';
import { ensureDeviceId, setSessionCookie } from './session-cookie.js';
import { findUserById } from './users.repository.js';

export function passkeyJson(passkey: PasskeyView) {
  return {
    id: passkey.id,
    name: passkey.name,
    created_at: passkey.createdAt.toISOString(),
    last_used_at: passkey.lastUsedAt?.toISOString() ?? null,
    backed_up: passkey.backedUp,
  };
}

/** The :id of the URL; anything that cannot be an id is a 404 like someone else's passkey. */
export function passkeyIdOf(request: FastifyRequest): string {
  const parsed = z.object({ id: z.uuid() }).safeParse(request.params);
  if (!parsed.success) throw notFound('passkey');
  return parsed.data.id;
}

/**
 * A passkey signs in to the whole account, so only a browser session (never a personal access
 * token) may add one: a leaked token must not become a way to sign in.
 */
function requireSession(principal: Principal): void {
  if (principal.via !== 'session') {
    throw new AppError('SESSION_REQUIRED', 403, 'Add passkeys from a signed-in browser.');
  }
}

export async function passkeysApi(app: FastifyInstance, { deps, limiter }: AccountsRouteOptions) {
  const { config } = deps;

  app.post('/auth/passkey/options', async (request, reply) => {
    await limiter.enforce(reply, PASSKEY_LIMITS.signInOptionsPerIp, request.ip);
    const { challengeId, options } = await passkeySignInOptions(deps);
    reply.header('cache-control', 'no-store');
    return { challenge_id: challengeId, options };
  });

  app.post('/auth/passkey', async (request, reply) => {
    await limiter.enforce(reply, LIMITS.secondFactorPerIp, request.ip);
    const input = passkeySignInBody.parse(request.body);
    const deviceId = ensureDeviceId(request, reply, config);
    const { user, session } = await signInWithPasskey(
      deps,
      { challengeId: input.challenge_id, response: input.response },
      requestMeta(request),
      deviceId,
    );
    setSessionCookie(reply, config, session.token, session.expiresAt);
    return { user: publicUser(user) };
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.get('/me/passkeys', async (request) => {
      const passkeys = await listPasskeys(deps, principalOf(request).user.id);
      return { items: passkeys.map(passkeyJson), next_cursor: null };
    });

    signedIn.post(
      '/me/passkeys/options',
      { preHandler: requireScope('write') },
      async (request, reply) => {
        const principal = principalOf(request);
        requireSession(principal);
        const body = registrationOptionsBody.parse(request.body ?? {});
        const meta = requestMeta(request);
        await ensureApiReauth(deps, limiter, reply, principal, body.current_password, meta);
        const user = await findUserById(deps.db, principal.user.id);
        if (!user) throw new AppError('NOT_SIGNED_IN', 401, 'Please sign in first.');
        const { challengeId, options } = await passkeyRegistrationOptions(deps, {
          id: user.id,
          email: user.email,
          displayName: user.display_name,
        });
        reply.header('cache-control', 'no-store');
        return { challenge_id: challengeId, options };
      },
    );

    signedIn.post('/me/passkeys', { preHandler: requireScope('write') }, async (request, reply) => {
      const principal = principalOf(request);
      requireSession(principal);
      const input = registerPasskeyBody.parse(request.body);
      const passkey = await registerPasskey(
        deps,
        principal.user.id,
        { challengeId: input.challenge_id, response: input.response, name: input.name },
        requestMeta(request),
      );
      return reply.status(201).send({ passkey: passkeyJson(passkey) });
    });

    signedIn.patch('/me/passkeys/:id', { preHandler: requireScope('write') }, async (request) => {
      const id = passkeyIdOf(request);
      const input = renamePasskeyBody.parse(request.body);
      const passkey = await renamePasskey(
        deps,
        principalOf(request).user.id,
        id,
        input.name,
        requestMeta(request),
      );
      return { passkey: passkeyJson(passkey) };
    });

    signedIn.delete(
      '/me/passkeys/:id',
      { preHandler: requireScope('write') },
      async (request, reply) => {
        const userId = principalOf(request).user.id;
        const id = passkeyIdOf(request);
        const input = deletePasskeyBody.parse(request.body ?? {});
        const meta = requestMeta(request);
        await confirmPassword(deps, limiter, reply, userId, input.current_password, meta);
        await removePasskey(deps, userId, id, meta);
        return reply.status(204).send();
      },
    );
  });
}
