// /settings/security and /settings/security-log, and the forms posted from them: the password,
// sessions and personal access tokens. Registered by settings.pages.tsx inside its signed-in
// scope, so every route here already has a user.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../platform/errors.js';
import { principalOf } from '../../platform/http/auth.js';
import { render } from '../../platform/views/render.js';
import { getViewContext } from '../../platform/views/view-context.js';
import type { AccountsRouteOptions } from './accounts.api.js';
import { LIMITS } from './accounts.rate-limits.js';
import { accountLimitSubject } from './login.service.js';
import { ensureRecentReauth } from './reauth.js';
import { requestMeta } from './security-log.js';
import { clearSessionCookie, readDeviceId, setSessionCookie } from './session-cookie.js';
import { rotateSessionToken } from './sessions.service.js';
import { keptCredentialOf } from './sign-out-everywhere.js';
import {
  createToken,
  listSecurityLog,
  listSessions,
  listTokens,
  revokeOtherSessions,
  revokeSession,
  revokeToken,
  SECURITY_LOG_LIMIT,
} from './settings-access.service.js';
import { flashOf, formErrorsOf, idParamOf, reauthStateOf, sessionIdOf } from './settings-forms.js';
import { passwordForm, tokenForm } from './settings.schemas.js';
import { changePassword } from './settings.service.js';
import { loadTwoFactorSections } from './two-factor-sections.js';
import { findUserById } from './users.repository.js';
import { SecurityLogPage } from './views/settings-log.js';
import { SecurityPage, type PasswordFormState } from './views/settings-security.js';
import { TokenCreatedPage, type TokenFormState } from './views/settings-tokens.js';

function submittedScopes(body: unknown): string[] {
  if (!body || typeof body !== 'object' || !('scopes' in body)) return [];
  const scopes: unknown = body.scopes;
  if (typeof scopes === 'string') return [scopes];
  return Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
}

export async function securityPages(app: FastifyInstance, { deps, limiter }: AccountsRouteOptions) {
  async function securityPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { passwordState?: PasswordFormState; tokenState?: TokenFormState; status?: number } = {},
  ) {
    const principal = principalOf(request);
    const userId = principal.user.id;
    const csrfToken = getViewContext(request).csrfToken;
    const [user, sessions, tokens, extraSections] = await Promise.all([
      findUserById(deps.db, userId),
      listSessions(deps, userId, sessionIdOf(principal)),
      listTokens(deps, userId),
      loadTwoFactorSections(deps, userId, csrfToken),
    ]);
    if (!user) throw new AppError('NOT_SIGNED_IN', 401, 'Please sign in first.');
    const failed = extra.passwordState ?? extra.tokenState;
    return render(reply, {
      title: 'Security settings',
      status: extra.status,
      body: (
        <SecurityPage
          csrfToken={csrfToken}
          email={user.email}
          hasPassword={user.password_hash !== null}
          sessions={sessions}
          tokens={tokens}
          reauth={reauthStateOf(principal)}
          now={new Date()}
          flash={failed ? undefined : flashOf(request)}
          passwordState={extra.passwordState}
          tokenState={extra.tokenState}
          extraSections={extraSections}
        />
      ),
    });
  }

  app.get('/settings/security', (request, reply) => securityPage(request, reply));

  app.post('/settings/password', async (request, reply) => {
    const principal = principalOf(request);
    if (!ensureRecentReauth(reply, principal, '/settings/security#password')) return reply;
    const parsed = passwordForm.safeParse(request.body);
    const endOtherSessions = formHasCheckbox(request.body);
    const done = endOtherSessions ? 'password_changed_signed_out' : 'password_changed';
    try {
      if (!parsed.success) throw parsed.error;
      await changePassword(
        deps,
        principal.user.id,
        {
          newPassword: parsed.data.new_password,
          endOtherSessions,
          keep: keptCredentialOf(principal),
        },
        requestMeta(request),
      );
      // The session that changed the password goes on with a new token.
      if (principal.via === 'session') {
        const rotated = await rotateSessionToken(deps.db, principal.credentialId);
        if (rotated) setSessionCookie(reply, deps.config, rotated.token, rotated.expiresAt);
      }
    } catch (error) {
      const invalid = formErrorsOf(error);
      if (!invalid) throw error;
      return securityPage(request, reply, {
        passwordState: { endOtherSessions, errors: invalid.errors },
        status: invalid.status,
      });
    }
    return reply.redirect(`/settings/security?done=${done}#password`, 303);
  });

  app.post('/settings/sessions/:id/revoke', async (request, reply) => {
    const principal = principalOf(request);
    const id = idParamOf(request, 'session');
    if (!(await revokeSession(deps, principal.user.id, id, requestMeta(request)))) {
      throw notFound('session');
    }
    if (id === sessionIdOf(principal)) {
      clearSessionCookie(reply, deps.config);
      return reply.redirect('/', 303);
    }
    return reply.redirect('/settings/security?done=session_revoked#sessions', 303);
  });

  app.post('/settings/sessions/revoke-others', async (request, reply) => {
    const principal = principalOf(request);
    await revokeOtherSessions(
      deps,
      principal.user.id,
      keptCredentialOf(principal),
      requestMeta(request),
    );
    return reply.redirect('/settings/security?done=sessions_revoked#sessions', 303);
  });

  // The new token is on this answer only: never stored, never cached, never redirected to.
  app.post('/settings/tokens', async (request, reply) => {
    const principal = principalOf(request);
    if (!ensureRecentReauth(reply, principal, '/settings/security#tokens')) return reply;
    const parsed = tokenForm.safeParse(request.body);
    if (!parsed.success) {
      const invalid = formErrorsOf(parsed.error);
      const values = formValuesOfToken(request.body);
      return securityPage(request, reply, {
        tokenState: { values, errors: invalid?.errors ?? {} },
        status: 422,
      });
    }
    // counted like /api/v1/auth/tokens, so guesses made there from elsewhere never stop this
    const subject = await accountLimitSubject(deps.db, principal.user.email, readDeviceId(request));
    await limiter.enforce(reply, LIMITS.tokenPerAccount, subject);
    const created = await createToken(deps, principal.user.id, parsed.data, requestMeta(request));
    reply.header('cache-control', 'no-store');
    return render(reply, {
      title: 'Your new token',
      body: (
        <TokenCreatedPage
          name={parsed.data.name}
          token={created.token}
          scopes={parsed.data.scopes}
        />
      ),
    });
  });

  app.post('/settings/tokens/:id/revoke', async (request, reply) => {
    const principal = principalOf(request);
    const id = idParamOf(request, 'token');
    if (!(await revokeToken(deps, principal.user.id, id, requestMeta(request)))) {
      throw notFound('token');
    }
    return reply.redirect('/settings/security?done=token_revoked#tokens', 303);
  });

  app.get('/settings/security-log', async (request, reply) => {
    const events = await listSecurityLog(deps, principalOf(request).user.id);
    return render(reply, {
      title: 'Security log',
      body: <SecurityLogPage events={events} limit={SECURITY_LOG_LIMIT} now={new Date()} />,
    });
  });
}

function formHasCheckbox(body: unknown): boolean {
  return Boolean(body && typeof body === 'object' && 'end_other_sessions' in body);
}

function formValuesOfToken(body: unknown): TokenFormState['values'] {
  const name =
    body && typeof body === 'object' && 'name' in body && typeof body.name === 'string'
      ? body.name
      : undefined;
  return { name, scopes: submittedScopes(body) };
}
