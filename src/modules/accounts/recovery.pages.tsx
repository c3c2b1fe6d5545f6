// Recovery pages: forgotten password and reset, email confirmation and its resend, unlocking
// sign-ins. Requests for mail answer the same page for every address (the job decides whether
// to send), and links that change something show a form first: mail scanners fetch every link
// in a message, and a GET must not use up a reset or unlock link.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldErrors } from '../../platform/errors.js';
import type { RateLimitRule } from '../../platform/http/rate-limit.js';
import { render, type PageOptions } from '../../platform/views/render.js';
import { getViewContext } from '../../platform/views/view-context.js';
import type { AccountsRouteOptions } from './accounts.api.js';
import { LIMITS } from './accounts.rate-limits.js';
import { emailSchema, passwordSchema } from './accounts.schemas.js';
import { verifyEmail } from './accounts.service.js';
import { unlockAccount } from './login.service.js';
import {
  isLinkUsable,
  requestPasswordReset,
  requestVerificationResend,
  resetPassword,
} from './recovery.service.js';
import { requestMeta } from './security-log.js';
import { clearSessionCookie, ensureDeviceId } from './session-cookie.js';
import { waitPhrase } from './views/auth-forms.js';
import {
  appErrorWith,
  formFields,
  markRateLimited,
  protectTokenPage,
  queryValue,
} from './views/auth-http.js';
import {
  EmailConfirmedPage,
  ForgotPasswordPage,
  LinkInvalidPage,
  ResendVerificationPage,
  ResetLinkSentPage,
  ResetPasswordPage,
  UnlockPage,
  VerificationSentPage,
  type EmailFormProps,
  type LinkPurpose,
} from './views/auth-recovery.js';

const PASSWORD_FIELD_CODES = ['PASSWORD_TOO_COMMON', 'PASSWORD_TOO_PREDICTABLE'];

function csrfOf(request: FastifyRequest): string {
  return getViewContext(request).csrfToken;
}

function linkInvalid(reply: FastifyReply, purpose: LinkPurpose) {
  return render(reply, {
    title: 'Link expired',
    status: 400,
    body: <LinkInvalidPage purpose={purpose} />,
  });
}

type EmailFormView = Omit<EmailFormProps, 'csrfToken'>;

function forgotPage(request: FastifyRequest, view: EmailFormView): PageOptions {
  return {
    title: 'Forgot your password?',
    body: <ForgotPasswordPage csrfToken={csrfOf(request)} {...view} />,
  };
}

function resendPage(request: FastifyRequest, view: EmailFormView): PageOptions {
  return {
    title: 'Send the confirmation link again',
    body: <ResendVerificationPage csrfToken={csrfOf(request)} {...view} />,
  };
}

/** The new password and its repetition: every problem at once, keyed by field. */
function checkNewPassword(fields: Partial<Record<string, string>>): FieldErrors {
  const errors: FieldErrors = {};
  const parsed = passwordSchema.safeParse(fields.password ?? '');
  if (!parsed.success) errors.password = parsed.error.issues[0]?.message ?? 'Enter a password.';
  if ((fields.password_confirm ?? '') !== (fields.password ?? '')) {
    errors.password_confirm = 'The two passwords differ. Type the same one twice.';
  }
  return errors;
}

export async function recoveryPages(
  app: FastifyInstance,
  { deps, limiter }: AccountsRouteOptions,
): Promise<void> {
  const { config } = deps;

  /**
   * A mail request's form: a bad address re-renders with 422; a network over its limit gets
   * 429; anything else gets the same page, whether or not the address has an account. An
   * address over its own limit is quietly not mailed again (the answer must not differ).
   */
  async function mailRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    form: {
      page: (view: EmailFormView) => PageOptions;
      perIp?: RateLimitRule;
      perAddress: RateLimitRule;
      send: (email: string) => Promise<void>;
      sent: PageOptions;
    },
  ) {
    const fields = formFields(request.body);
    const email = fields.email ?? '';
    const parsed = emailSchema.safeParse(email);
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? 'Enter a valid email address.';
      return render(reply, { ...form.page({ email, errors: { email: message } }), status: 422 });
    }
    if (form.perIp) {
      try {
        await limiter.enforce(reply, form.perIp, request.ip);
      } catch (error) {
        const limited = appErrorWith(error, 'RATE_LIMITED');
        if (!limited) throw error;
        const rateLimitedWait = waitPhrase(markRateLimited(reply, limited));
        return render(reply, { ...form.page({ email, rateLimitedWait }), status: 429 });
      }
    }
    const address = await limiter.hit(form.perAddress, parsed.data.toLowerCase());
    if (address.allowed) await form.send(parsed.data);
    return render(reply, form.sent);
  }

  app.get('/forgot-password', async (request, reply) =>
    render(reply, forgotPage(request, { email: '' })),
  );

  app.post('/forgot-password', async (request, reply) =>
    mailRequest(request, reply, {
      page: (view) => forgotPage(request, view),
      perIp: LIMITS.resetPerIp,
      perAddress: LIMITS.resetPerAddress,
      send: (email) => requestPasswordReset(deps.db, email),
      sent: { title: 'Check your inbox', body: <ResetLinkSentPage /> },
    }),
  );

  app.get('/reset-password', async (request, reply) => {
    protectTokenPage(reply);
    const token = queryValue(request, 'token') ?? '';
    if (!(await isLinkUsable(deps, 'reset_password', token))) return linkInvalid(reply, 'reset');
    return render(reply, {
      title: 'Choose a new password',
      body: <ResetPasswordPage csrfToken={csrfOf(request)} token={token} />,
    });
  });

  app.post('/reset-password', async (request, reply) => {
    protectTokenPage(reply);
    const fields = formFields(request.body);
    const token = fields.token ?? '';
    const again = (errors: FieldErrors) =>
      render(reply, {
        title: 'Choose a new password',
        status: 422,
        body: <ResetPasswordPage csrfToken={csrfOf(request)} token={token} errors={errors} />,
      });
    if (!(await isLinkUsable(deps, 'reset_password', token))) return linkInvalid(reply, 'reset');
    const errors = checkNewPassword(fields);
    if (Object.keys(errors).length > 0) return again(errors);
    try {
      await resetPassword(deps, token, fields.password ?? '', requestMeta(request));
    } catch (error) {
      if (appErrorWith(error, 'LINK_INVALID')) return linkInvalid(reply, 'reset');
      const refused = appErrorWith(error, ...PASSWORD_FIELD_CODES);
      if (refused?.fields) return again(refused.fields);
      throw error;
    }
    // The reset ended every session, this browser's too.
    clearSessionCookie(reply, config);
    return reply.redirect('/login?reset=1', 303);
  });

  // The one link that acts on GET: it only confirms an address the reader already controls.
  app.get('/verify-email', async (request, reply) => {
    protectTokenPage(reply);
    try {
      await verifyEmail(deps, queryValue(request, 'token') ?? '', requestMeta(request));
    } catch (error) {
      if (appErrorWith(error, 'LINK_INVALID')) return linkInvalid(reply, 'verify');
      throw error;
    }
    return render(reply, {
      title: 'Email confirmed',
      body: <EmailConfirmedPage signedIn={request.principal !== undefined} />,
    });
  });

  app.get('/verify-email/resend', async (request, reply) =>
    render(reply, resendPage(request, { email: request.principal?.user.email ?? '' })),
  );

  app.post('/verify-email/resend', async (request, reply) =>
    mailRequest(request, reply, {
      page: (view) => resendPage(request, view),
      perAddress: LIMITS.verificationPerAddress,
      send: (email) => requestVerificationResend(deps.db, email),
      sent: { title: 'Check your inbox', body: <VerificationSentPage /> },
    }),
  );

  app.get('/unlock', async (request, reply) => {
    protectTokenPage(reply);
    const token = queryValue(request, 'token') ?? '';
    if (!(await isLinkUsable(deps, 'unlock_account', token))) return linkInvalid(reply, 'unlock');
    return render(reply, {
      title: 'Unlock sign-ins',
      body: <UnlockPage csrfToken={csrfOf(request)} token={token} />,
    });
  });

  app.post('/unlock', async (request, reply) => {
    protectTokenPage(reply);
    const token = formFields(request.body).token ?? '';
    // The browser that opens the link becomes one of the account's known devices.
    const deviceId = ensureDeviceId(request, reply, config);
    try {
      await unlockAccount(deps, token, requestMeta(request), deviceId);
    } catch (error) {
      if (appErrorWith(error, 'LINK_INVALID')) return linkInvalid(reply, 'unlock');
      throw error;
    }
    return reply.redirect('/login?unlocked=1', 303);
  });
}
