// The settings pages. Signed-in routes sit in one scope behind requireUser; the change-of-email
// link and the farewell page are public (the link may be opened on another device).
//
// /settings (account), /settings/reauth, /settings/security (settings-security.pages.tsx),
// /settings/security-log, /confirm-email, /goodbye. Every form posts and answers with a 303 on
// success or the same page with 422 and field errors; sensitive forms need a password
// confirmed within 10 minutes and otherwise send the browser to /settings/reauth first.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, notFound } from '../../platform/errors.js';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import { render } from '../../platform/views/render.js';
import { getViewContext } from '../../platform/views/view-context.js';
import type { AccountsRouteOptions } from './accounts.api.js';
import { LIMITS } from './accounts.rate-limits.js';
import { sendVerification } from './accounts.service.js';
import { confirmPassword, ensureRecentReauth, refreshSession, safeNext } from './reauth.js';
import { requestMeta } from './security-log.js';
import { clearSessionCookie } from './session-cookie.js';
import { deactivateAccount, deleteAccount } from './settings-closure.service.js';
import { flashOf, formErrorsOf, formValues, reauthStateOf } from './settings-forms.js';
import { securityPages } from './settings-security.pages.js';
import { SETTINGS_LIMITS } from './settings.rate-limits.js';
import {
  confirmEmailForm,
  deleteForm,
  displayNameForm,
  emailForm,
  reauthForm,
} from './settings.schemas.js';
import {
  changeDisplayName,
  confirmEmailChange,
  peekEmailChange,
  requestEmailChange,
} from './settings.service.js';
import { findPendingEmailChange, findUserById } from './users.repository.js';
import { AccountPage, type FormState } from './views/settings-account.js';
import {
  ConfirmEmailPage,
  EmailChangedPage,
  EmailTakenPage,
  GoodbyePage,
  ReauthPage,
} from './views/settings-prompts.js';

const farewellQuery = z.object({ after: z.enum(['deleted', 'deactivated']) });
const tokenQuery = z.object({ token: z.string().max(200).optional() }).catch({});

export async function settingsPages(
  app: FastifyInstance,
  opts: AccountsRouteOptions,
): Promise<void> {
  const { deps, limiter } = opts;

  async function accountPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { state?: FormState; status?: number } = {},
  ) {
    const principal = principalOf(request);
    const user = await findUserById(deps.db, principal.user.id);
    if (!user) throw new AppError('NOT_SIGNED_IN', 401, 'Please sign in first.');
    const pending = await findPendingEmailChange(deps.db, user.id);
    return render(reply, {
      title: 'Account settings',
      status: extra.status,
      body: (
        <AccountPage
          csrfToken={getViewContext(request).csrfToken}
          user={{
            handle: user.handle,
            displayName: user.display_name,
            email: user.email,
            emailVerified: user.email_verified_at !== null,
          }}
          pendingEmail={pending && { email: pending.email, expiresAt: pending.expires_at }}
          reauth={reauthStateOf(principal)}
          flash={extra.state ? undefined : flashOf(request)}
          state={extra.state}
        />
      ),
    });
  }

  /** Runs a form's action; field errors re-render the account page with what was typed. */
  async function accountForm(
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState['form'],
    action: () => Promise<string>,
  ) {
    let target: string;
    try {
      target = await action();
    } catch (error) {
      const invalid = formErrorsOf(error);
      if (!invalid) throw error;
      const state = { form, values: formValues(request.body), errors: invalid.errors };
      return accountPage(request, reply, { state, status: invalid.status });
    }
    return reply.redirect(target, 303);
  }

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.get('/settings', (request, reply) => accountPage(request, reply));

    signedIn.post('/settings/profile', (request, reply) =>
      accountForm(request, reply, 'profile', async () => {
        const input = displayNameForm.parse(request.body);
        await changeDisplayName(deps, principalOf(request).user.id, input.display_name);
        return '/settings?done=profile_saved';
      }),
    );

    signedIn.post('/settings/email/verify', async (request, reply) => {
      const user = await findUserById(deps.db, principalOf(request).user.id);
      if (!user) throw new AppError('NOT_SIGNED_IN', 401, 'Please sign in first.');
      await limiter.enforce(reply, LIMITS.verificationPerAddress, user.email.toLowerCase());
      await sendVerification(deps, user);
      return reply.redirect('/settings?done=verification_sent#email', 303);
    });

    signedIn.post('/settings/email', async (request, reply) => {
      const principal = principalOf(request);
      if (!ensureRecentReauth(reply, principal, '/settings#email')) return reply;
      return accountForm(request, reply, 'email', async () => {
        const input = emailForm.parse(request.body);
        await limiter.enforce(reply, SETTINGS_LIMITS.emailChangePerAccount, principal.user.id);
        await requestEmailChange(deps, principal.user.id, input.email, requestMeta(request));
        return '/settings?done=email_change_sent#email';
      });
    });

    signedIn.post('/settings/deactivate', async (request, reply) => {
      const principal = principalOf(request);
      if (!ensureRecentReauth(reply, principal, '/settings#close')) return reply;
      await deactivateAccount(deps, principal.user.id, requestMeta(request));
      clearSessionCookie(reply, deps.config);
      return reply.redirect('/goodbye?after=deactivated', 303);
    });

    signedIn.post('/settings/delete', async (request, reply) => {
      const principal = principalOf(request);
      if (!ensureRecentReauth(reply, principal, '/settings#close')) return reply;
      return accountForm(request, reply, 'delete', async () => {
        const input = deleteForm.parse(request.body);
        await deleteAccount(deps, principal.user.id, input.confirm_handle);
        request.log.info({ userId: principal.user.id }, 'account deleted');
        clearSessionCookie(reply, deps.config);
        return '/goodbye?after=deleted';
      });
    });

    async function reauthPage(
      request: FastifyRequest,
      reply: FastifyReply,
      next: string,
      error?: string,
    ) {
      const user = await findUserById(deps.db, principalOf(request).user.id);
      return render(reply, {
        title: 'Confirm it’s you',
        status: error ? 422 : undefined,
        body: (
          <ReauthPage
            csrfToken={getViewContext(request).csrfToken}
            email={user?.email ?? ''}
            next={next}
            hasPassword={Boolean(user?.password_hash)}
            error={error}
          />
        ),
      });
    }

    signedIn.get('/settings/reauth', (request, reply) => {
      const { next } = z.object({ next: z.unknown() }).parse(request.query ?? {});
      return reauthPage(request, reply, safeNext(next));
    });

    signedIn.post('/settings/reauth', async (request, reply) => {
      const principal = principalOf(request);
      const parsed = reauthForm.safeParse(request.body);
      const next = safeNext(parsed.success ? parsed.data.next : undefined);
      if (!parsed.success) return reauthPage(request, reply, next, 'Enter your password.');
      if (principal.via !== 'session') {
        throw new AppError('SESSION_REQUIRED', 403, 'Sign in with a browser to do this.');
      }
      try {
        await confirmPassword(
          deps,
          limiter,
          reply,
          principal.user.id,
          parsed.data.password,
          requestMeta(request),
        );
      } catch (error) {
        if (error instanceof AppError && error.code === 'PASSWORD_INCORRECT') {
          return reauthPage(request, reply, next, 'That is not your password. Try again.');
        }
        throw error;
      }
      await refreshSession(deps, reply, principal.credentialId);
      return reply.redirect(next, 303);
    });

    await securityPages(signedIn, opts);
  });

  // The link in the mail to the new address. GET only shows what will happen (mail scanners
  // open links); the change is a POST from the button.
  app.get('/confirm-email', async (request, reply) => {
    const { token = '' } = tokenQuery.parse(request.query);
    reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    const email = token ? await peekEmailChange(deps, token) : undefined;
    return render(reply, {
      title: 'Confirm your new email address',
      status: email ? undefined : 400,
      body: (
        <ConfirmEmailPage
          csrfToken={getViewContext(request).csrfToken}
          token={token}
          email={email}
        />
      ),
    });
  });

  app.post('/confirm-email', async (request, reply) => {
    reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    const parsed = confirmEmailForm.safeParse(request.body);
    let userId: string;
    try {
      if (!parsed.success) throw new AppError('LINK_INVALID', 400, 'This link is invalid.');
      userId = (await confirmEmailChange(deps, parsed.data.token, requestMeta(request))).id;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const csrfToken = getViewContext(request).csrfToken;
      if (error.code === 'EMAIL_TAKEN') {
        return render(reply, { title: 'Address taken', status: 409, body: <EmailTakenPage /> });
      }
      if (error.code !== 'LINK_INVALID') throw error;
      return render(reply, {
        title: 'Confirm your new email address',
        status: 400,
        body: <ConfirmEmailPage csrfToken={csrfToken} token="" email={undefined} />,
      });
    }
    if (request.principal?.user.id === userId) {
      return reply.redirect('/settings?done=email_changed#email', 303);
    }
    return render(reply, { title: 'Email address changed', body: <EmailChangedPage /> });
  });

  app.get('/goodbye', async (request, reply) => {
    const parsed = farewellQuery.safeParse(request.query);
    if (!parsed.success) throw notFound();
    return render(reply, {
      title: parsed.data.after === 'deleted' ? 'Account deleted' : 'Account deactivated',
      body: <GoodbyePage after={parsed.data.after} />,
    });
  });
}
