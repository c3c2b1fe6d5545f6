// The /me endpoints behind the settings pages (under /api/v1; documented in settings.openapi.ts).
//
// - Every route needs a signed-in caller; changes need the `write` scope (sessions have it).
// - Sessions and tokens are looked up within the caller's account only: another account's id
//   is a 404, exactly like an id that never existed.
// - Sensitive changes (password, email, deactivation, deletion) take `current_password` in the
//   body; a browser session that re-authenticated in settings within 10 minutes may leave it
//   out. Without either: 403 REAUTH_REQUIRED. A wrong password: 403 PASSWORD_INCORRECT, and
//   at most 10 attempts per account per 15 minutes (429 after).
// - Lists answer `{items, next_cursor: null}`: sessions and tokens are few, and the security
//   log serves its 100 most recent events.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '../../platform/errors.js';
import {
  principalOf,
  requireScope,
  requireUser,
  type Principal,
} from '../../platform/http/auth.js';
import type { AccountsRouteOptions } from './accounts.api.js';
import { publicUser } from './accounts.service.js';
import { ensureApiReauth } from './reauth.js';
import { requestMeta } from './security-log.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import { rotateSessionToken } from './sessions.service.js';
import { keptCredentialOf } from './sign-out-everywhere.js';
import {
  listSecurityLog,
  listSessions,
  listTokens,
  revokeOtherSessions,
  revokeSession,
  revokeToken,
  type SecurityEventView,
  type SessionView,
  type TokenView,
} from './settings-access.service.js';
import { deactivateAccount, deleteAccount } from './settings-closure.service.js';
import { idParamOf, sessionIdOf } from './settings-forms.js';
import { SETTINGS_LIMITS } from './settings.rate-limits.js';
import {
  deactivateBody,
  deleteMeBody,
  emailBody,
  passwordBody,
  patchMeBody,
} from './settings.schemas.js';
import { changeDisplayName, changePassword, requestEmailChange } from './settings.service.js';

export function sessionJson(session: SessionView) {
  return {
    id: session.id,
    current: session.current,
    device: session.device,
    place: session.place.label,
    country: session.place.country,
    ip: session.ip,
    user_agent: session.userAgent,
    method: session.method,
    created_at: session.createdAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
  };
}

export function tokenJson(token: TokenView, principal: Principal) {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    current: principal.via === 'token' && principal.credentialId === token.id,
    created_at: token.createdAt.toISOString(),
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
  };
}

export function eventJson(event: SecurityEventView) {
  return {
    id: event.id,
    type: event.type,
    created_at: event.createdAt.toISOString(),
    device: event.device,
    place: event.place.label,
    ip: event.ip,
    user_agent: event.userAgent,
    details: event.details,
  };
}

export async function settingsApi(
  app: FastifyInstance,
  { deps, limiter }: AccountsRouteOptions,
): Promise<void> {
  const { config } = deps;
  const write = { preHandler: requireScope('write') };

  /** After a password change the session gets a new token; the old cookie stops working. */
  async function rotateCookie(reply: FastifyReply, principal: Principal) {
    if (principal.via !== 'session') return;
    const rotated = await rotateSessionToken(deps.db, principal.credentialId);
    if (rotated) setSessionCookie(reply, config, rotated.token, rotated.expiresAt);
  }

  await app.register(async (me) => {
    me.addHook('preHandler', requireUser);

    me.get('/me/sessions', async (request) => {
      const principal = principalOf(request);
      const sessions = await listSessions(deps, principal.user.id, sessionIdOf(principal));
      return { items: sessions.map(sessionJson), next_cursor: null };
    });

    // Ending the caller's own session signs it out (and clears the cookie).
    me.delete('/me/sessions/:id', write, async (request, reply) => {
      const principal = principalOf(request);
      const id = idParamOf(request, 'session');
      if (!(await revokeSession(deps, principal.user.id, id, requestMeta(request)))) {
        throw notFound('session');
      }
      if (id === sessionIdOf(principal)) clearSessionCookie(reply, config);
      return reply.status(204).send();
    });

    // Every session and token but the caller's own (sign-out-everywhere.ts).
    me.post('/me/sessions/revoke-others', write, async (request) => {
      const principal = principalOf(request);
      const ended = await revokeOtherSessions(
        deps,
        principal.user.id,
        keptCredentialOf(principal),
        requestMeta(request),
      );
      return { revoked: ended.sessions, revoked_tokens: ended.tokens };
    });

    me.get('/me/tokens', async (request) => {
      const principal = principalOf(request);
      const tokens = await listTokens(deps, principal.user.id);
      return { items: tokens.map((token) => tokenJson(token, principal)), next_cursor: null };
    });

    me.delete('/me/tokens/:id', write, async (request, reply) => {
      const principal = principalOf(request);
      const id = idParamOf(request, 'token');
      if (!(await revokeToken(deps, principal.user.id, id, requestMeta(request)))) {
        throw notFound('token');
      }
      return reply.status(204).send();
    });

    me.get('/me/security-log', async (request) => {
      const events = await listSecurityLog(deps, principalOf(request).user.id);
      return { items: events.map(eventJson), next_cursor: null };
    });

    me.patch('/me', write, async (request) => {
      const body = patchMeBody.parse(request.body ?? {});
      const user = await changeDisplayName(deps, principalOf(request).user.id, body.display_name);
      return { user: publicUser(user) };
    });

    // end_other_sessions defaults to true: a password is usually changed because of a doubt.
    me.post('/me/password', write, async (request, reply) => {
      const body = passwordBody.parse(request.body ?? {});
      const principal = principalOf(request);
      const meta = requestMeta(request);
      await ensureApiReauth(deps, limiter, reply, principal, body.current_password, meta);
      const result = await changePassword(
        deps,
        principal.user.id,
        {
          newPassword: body.new_password,
          endOtherSessions: body.end_other_sessions ?? true,
          keep: keptCredentialOf(principal),
        },
        meta,
      );
      await rotateCookie(reply, principal);
      return { ended_sessions: result.sessions, revoked_tokens: result.tokens };
    });

    // Mails a link to the new address; the change happens when it is opened (/confirm-email).
    me.post('/me/email', write, async (request, reply) => {
      const body = emailBody.parse(request.body ?? {});
      const principal = principalOf(request);
      const meta = requestMeta(request);
      await ensureApiReauth(deps, limiter, reply, principal, body.current_password, meta);
      await limiter.enforce(reply, SETTINGS_LIMITS.emailChangePerAccount, principal.user.id);
      await requestEmailChange(deps, principal.user.id, body.email, meta);
      return reply.status(202).send({ pending_email: body.email });
    });

    // Ends every session and token; signing in again reactivates the account.
    me.post('/me/deactivate', write, async (request, reply) => {
      const body = deactivateBody.parse(request.body ?? {});
      const principal = principalOf(request);
      const meta = requestMeta(request);
      await ensureApiReauth(deps, limiter, reply, principal, body.current_password, meta);
      await deactivateAccount(deps, principal.user.id, meta);
      clearSessionCookie(reply, config);
      return reply.status(204).send();
    });

    // Irreversible: confirm_handle must be the account's handle.
    me.delete('/me', write, async (request, reply) => {
      const body = deleteMeBody.parse(request.body ?? {});
      const principal = principalOf(request);
      const meta = requestMeta(request);
      await ensureApiReauth(deps, limiter, reply, principal, body.current_password, meta);
      await deleteAccount(deps, principal.user.id, body.confirm_handle);
      request.log.info({ userId: principal.user.id }, 'account deleted');
      clearSessionCookie(reply, config);
      return reply.status(204).send();
    });
  });
}
