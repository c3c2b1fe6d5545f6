// /login and /logout as plain forms. A sign-in answers 303: to a same-site `next`, or to the
// second-factor page with a short-lived pending-login cookie. Every failure re-renders the form
// with the one generic message, so the page says no more than the API about who has an account.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { zodFieldErrors } from '../../platform/http/error-handler.js';
import { render } from '../../platform/views/render.js';
import { getViewContext } from '../../platform/views/view-context.js';
import type { AccountsRouteOptions } from './accounts.api.js';
import { LIMITS } from './accounts.rate-limits.js';
import { loginSchema } from './accounts.schemas.js';
import { accountLimitSubject, passwordLogin, signOut } from './login.service.js';
import { PENDING_LOGIN_MS } from './second-factor.js';
import { requestMeta } from './security-log.js';
import {
  clearSessionCookie,
  ensureDeviceId,
  readDeviceId,
  setSessionCookie,
} from './session-cookie.js';
import { waitPhrase } from './views/auth-forms.js';
import {
  appErrorWith,
  formFields,
  markRateLimited,
  queryValue,
  safeNextPath,
} from './views/auth-http.js';
import { LoginPage, type LoginNotice, type LoginProblem } from './views/auth-login.js';

/** Read by the second-factor page (/login/verify): which half-finished sign-in to complete. */
export const PENDING_LOGIN_COOKIE = 'mnw_pending_login';

function noticeOf(request: FastifyRequest): LoginNotice | undefined {
  if (queryValue(request, 'reset') === '1') return 'reset';
  if (queryValue(request, 'unlocked') === '1') return 'unlocked';
  return undefined;
}

export async function loginPages(
  app: FastifyInstance,
  { deps, limiter }: AccountsRouteOptions,
): Promise<void> {
  const { config } = deps;

  function loginPage(
    request: FastifyRequest,
    reply: FastifyReply,
    view: { email: string; next: string; problem?: LoginProblem; notice?: LoginNotice },
    status?: number,
  ) {
    return render(reply, {
      title: 'Sign in',
      status,
      body: <LoginPage csrfToken={getViewContext(request).csrfToken} {...view} />,
    });
  }

  app.get('/login', async (request, reply) => {
    const next = safeNextPath(queryValue(request, 'next'));
    if (request.principal) return reply.redirect(next, 303);
    return loginPage(request, reply, { email: '', next, notice: noticeOf(request) });
  });

  app.post('/login', async (request, reply) => {
    const fields = formFields(request.body);
    const next = safeNextPath(fields.next);
    const again = (problem: LoginProblem, status: number) =>
      loginPage(request, reply, { email: fields.email ?? '', next, problem }, status);

    const parsed = loginSchema.safeParse(fields);
    if (!parsed.success) {
      return again({ kind: 'fields', errors: zodFieldErrors(parsed.error) }, 422);
    }
    try {
      await limiter.enforce(reply, LIMITS.loginPerIp, request.ip);
      const subject = await accountLimitSubject(deps.db, parsed.data.email, readDeviceId(request));
      await limiter.enforce(reply, LIMITS.loginPerAccount, subject);
      const deviceId = ensureDeviceId(request, reply, config);
      const result = await passwordLogin(deps, parsed.data, requestMeta(request), deviceId);
      if (result.kind === 'second_factor') {
        reply.setCookie(PENDING_LOGIN_COOKIE, result.pendingToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: config.secureCookies,
          maxAge: PENDING_LOGIN_MS / 1000,
        });
        return await reply.redirect(`/login/verify?next=${encodeURIComponent(next)}`, 303);
      }
      setSessionCookie(reply, config, result.session.token, result.session.expiresAt);
      return await reply.redirect(next, 303);
    } catch (error) {
      if (appErrorWith(error, 'INVALID_CREDENTIALS')) return again({ kind: 'invalid' }, 422);
      const limited = appErrorWith(error, 'RATE_LIMITED');
      if (limited) {
        const wait = waitPhrase(markRateLimited(reply, limited));
        return again({ kind: 'rate_limited', wait }, 429);
      }
      const refused = appErrorWith(error, 'ACCOUNT_SUSPENDED');
      if (refused) return again({ kind: 'refused', message: refused.message }, refused.status);
      throw error;
    }
  });

  // The CSRF plugin has already checked the form's token when a session cookie came with it.
  app.post('/logout', async (request, reply) => {
    const principal = request.principal;
    if (principal?.via === 'session') {
      await signOut(
        deps,
        { id: principal.credentialId, userId: principal.user.id },
        requestMeta(request),
      );
    }
    clearSessionCookie(reply, config);
    return reply.redirect('/', 303);
  });
}
