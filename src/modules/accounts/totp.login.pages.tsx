// /login/verify: the second step of a password sign-in for accounts with TOTP. /login left the
// pending-login token in an HttpOnly cookie; a right code (or backup code) ends it, starts the
// session and sends the browser on to its checked `next`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { render } from '../../platform/views/render.js';
import { getViewContext } from '../../platform/views/view-context.js';
import type { AccountsRouteOptions } from './accounts.api.js';
import { LIMITS } from './accounts.rate-limits.js';
import { PENDING_LOGIN_COOKIE } from './login.pages.js';
import { totpCodeForm } from './passkeys.schemas.js';
import { requestMeta } from './security-log.js';
import { ensureDeviceId, setSessionCookie } from './session-cookie.js';
import {
  completeSecondFactor,
  isPendingLoginTokenLive,
  SecondFactorInvalid,
} from './totp.sign-in.js';
import { waitPhrase } from './views/auth-forms.js';
import {
  appErrorWith,
  formFields,
  markRateLimited,
  queryValue,
  safeNextPath,
} from './views/auth-http.js';
import { VerifyExpiredPage, VerifyPage, type VerifyProblem } from './views/two-factor-verify.js';

const TITLE = 'Two-factor sign-in';

export async function totpLoginPages(
  app: FastifyInstance,
  { deps, limiter }: AccountsRouteOptions,
) {
  const { config } = deps;

  function clearPendingCookie(reply: FastifyReply) {
    reply.clearCookie(PENDING_LOGIN_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
    });
  }

  function expired(reply: FastifyReply, next: string, status?: number) {
    clearPendingCookie(reply);
    return render(reply, { title: TITLE, status, body: <VerifyExpiredPage next={next} /> });
  }

  function verifyPage(
    request: FastifyRequest,
    reply: FastifyReply,
    next: string,
    problem?: VerifyProblem,
    status?: number,
  ) {
    const csrfToken = getViewContext(request).csrfToken;
    return render(reply, {
      title: TITLE,
      status,
      body: <VerifyPage csrfToken={csrfToken} next={next} problem={problem} />,
    });
  }

  app.get('/login/verify', async (request, reply) => {
    const next = safeNextPath(queryValue(request, 'next'));
    if (request.principal) return reply.redirect(next, 303);
    reply.header('cache-control', 'no-store');
    const token = request.cookies[PENDING_LOGIN_COOKIE];
    if (!token) return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
    if (!(await isPendingLoginTokenLive(deps, token))) return expired(reply, next);
    return verifyPage(request, reply, next);
  });

  app.post('/login/verify', async (request, reply) => {
    const fields = formFields(request.body);
    const next = safeNextPath(fields.next);
    reply.header('cache-control', 'no-store');
    const token = request.cookies[PENDING_LOGIN_COOKIE];
    if (!token) return expired(reply, next, 401);
    const parsed = totpCodeForm.safeParse(fields);
    if (!parsed.success) {
      const message = 'Enter the 6-digit code from your app, or a backup code.';
      return verifyPage(request, reply, next, { kind: 'invalid', message }, 422);
    }
    try {
      await limiter.enforce(reply, LIMITS.secondFactorPerIp, request.ip);
      const deviceId = ensureDeviceId(request, reply, config);
      const { session } = await completeSecondFactor(
        deps,
        limiter,
        { pendingToken: token, code: parsed.data.code },
        requestMeta(request),
        deviceId,
      );
      clearPendingCookie(reply);
      setSessionCookie(reply, config, session.token, session.expiresAt);
      return await reply.redirect(next, 303);
    } catch (error) {
      if (error instanceof SecondFactorInvalid) {
        if (error.attemptsLeft <= 0) return expired(reply, next, 401);
        return verifyPage(request, reply, next, { kind: 'invalid', message: error.message }, 422);
      }
      if (appErrorWith(error, 'SECOND_FACTOR_EXPIRED')) return expired(reply, next, 401);
      const limited = appErrorWith(error, 'RATE_LIMITED');
      if (limited) {
        const wait = waitPhrase(markRateLimited(reply, limited));
        return verifyPage(request, reply, next, { kind: 'rate_limited', wait }, 429);
      }
      const refused = appErrorWith(error, 'ACCOUNT_SUSPENDED');
      if (refused) {
        clearPendingCookie(reply);
        const problem = { kind: 'refused', message: refused.message } as const;
        return verifyPage(request, reply, next, problem, refused.status);
      }
      throw error;
    }
  });
}
