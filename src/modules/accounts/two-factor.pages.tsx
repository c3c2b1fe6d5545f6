// Second-factor pages: /login/verify (totp.login.pages.tsx) and the forms posted from the
// passkey and two-factor sections of /settings/security. Each form answers with a 303 back to
// that page, or, when it needs another go (wrong password, bad name, wrong code), a page of its
// own with 422: the security page itself belongs to the settings work.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import type { RateLimiter } from '../../platform/http/rate-limit.js';
import { render } from '../../platform/views/render.js';
import { getViewContext } from '../../platform/views/view-context.js';
import type { AccountsRouteOptions } from './accounts.api.js';
import type { AccountsDeps } from './accounts.service.js';
import { passkeyIdOf } from './passkeys.api.js';
import { passwordConfirmForm, renamePasskeyForm, totpCodeForm } from './passkeys.schemas.js';
import { removePasskey, renamePasskey } from './passkeys.service.js';
import { confirmPassword, ensureRecentReauth } from './reauth.js';
import { requestMeta } from './security-log.js';
import { totpLoginPages } from './totp.login.pages.js';
import {
  confirmTotpSetup,
  disableTotp,
  regenerateBackupCodes,
  startTotpSetup,
} from './totp.service.js';
import { findUserById } from './users.repository.js';
import {
  PasswordPromptPage,
  RenamePasskeyPage,
  type PasswordPromptProps,
} from './views/two-factor-prompts.js';
import { BackupCodesPage, qrCodeDataUrl, TotpSetupPage } from './views/two-factor-totp.js';
import { formFields } from './views/auth-http.js';

const SECURITY = '/settings/security';
const SETUP = '/settings/two-factor/setup';

type Prompt = Omit<PasswordPromptProps, 'csrfToken' | 'error'>;

/**
 * Checks the form's password (counted against the per-account limit). When it is missing or
 * wrong, answers with the prompt page (422) and returns false.
 */
async function passwordConfirmed(
  deps: AccountsDeps,
  limiter: RateLimiter,
  request: FastifyRequest,
  reply: FastifyReply,
  prompt: Prompt,
): Promise<boolean> {
  const parsed = passwordConfirmForm.safeParse(request.body);
  let error = 'Enter your password.';
  if (parsed.success) {
    try {
      const userId = principalOf(request).user.id;
      const meta = requestMeta(request);
      await confirmPassword(deps, limiter, reply, userId, parsed.data.password, meta);
      return true;
    } catch (failure) {
      if (!(failure instanceof AppError && failure.code === 'PASSWORD_INCORRECT')) throw failure;
      error = 'That is not your password. Try again.';
    }
  }
  const csrfToken = getViewContext(request).csrfToken;
  await render(reply, {
    title: prompt.title,
    status: 422,
    body: <PasswordPromptPage {...prompt} csrfToken={csrfToken} error={error} />,
  });
  return false;
}

function noStore(reply: FastifyReply) {
  reply.header('cache-control', 'no-store');
}

export async function twoFactorPages(
  app: FastifyInstance,
  opts: AccountsRouteOptions,
): Promise<void> {
  const { deps, limiter } = opts;
  await totpLoginPages(app, opts);

  async function setupPage(request: FastifyRequest, reply: FastifyReply, error?: string) {
    const principal = principalOf(request);
    const setup = await startTotpSetup(deps, {
      id: principal.user.id,
      email: principal.user.email,
    });
    noStore(reply);
    return render(reply, {
      title: 'Set up two-factor authentication',
      status: error ? 422 : undefined,
      body: (
        <TotpSetupPage
          csrfToken={getViewContext(request).csrfToken}
          secret={setup.secret}
          qrDataUrl={await qrCodeDataUrl(setup.uri)}
          error={error}
        />
      ),
    });
  }

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.post('/settings/passkeys/:id/rename', async (request, reply) => {
      const id = passkeyIdOf(request);
      const parsed = renamePasskeyForm.safeParse(request.body);
      if (!parsed.success) {
        return render(reply, {
          title: 'Rename passkey',
          status: 422,
          body: (
            <RenamePasskeyPage
              csrfToken={getViewContext(request).csrfToken}
              passkeyId={id}
              value={formFields(request.body).name ?? ''}
              error={parsed.error.issues[0]?.message ?? 'Name the passkey.'}
            />
          ),
        });
      }
      const userId = principalOf(request).user.id;
      await renamePasskey(deps, userId, id, parsed.data.name, requestMeta(request));
      return reply.redirect(`${SECURITY}?done=passkey_renamed#passkeys`, 303);
    });

    signedIn.post('/settings/passkeys/:id/delete', async (request, reply) => {
      const id = passkeyIdOf(request);
      const confirmed = await passwordConfirmed(deps, limiter, request, reply, {
        title: 'Remove passkey',
        lead: 'Enter your password to remove this passkey. It will no longer sign you in.',
        action: `/settings/passkeys/${id}/delete`,
        submit: 'Remove passkey',
        danger: true,
        back: `${SECURITY}#passkeys`,
      });
      if (!confirmed) return reply;
      await removePasskey(deps, principalOf(request).user.id, id, requestMeta(request));
      return reply.redirect(`${SECURITY}?done=passkey_removed#passkeys`, 303);
    });

    // Turning two-factor on changes how the account signs in: it needs a fresh password, like
    // changing the password does, so a borrowed session cannot lock the owner out.
    signedIn.get(SETUP, async (request, reply) => {
      if (!ensureRecentReauth(reply, principalOf(request), SETUP)) return reply;
      try {
        return await setupPage(request, reply);
      } catch (error) {
        if (error instanceof AppError && error.code === 'TOTP_ALREADY_ENABLED') {
          return reply.redirect(`${SECURITY}#two-factor`, 303);
        }
        throw error;
      }
    });

    signedIn.post(SETUP, async (request, reply) => {
      const principal = principalOf(request);
      if (!ensureRecentReauth(reply, principal, SETUP)) return reply;
      const parsed = totpCodeForm.safeParse(request.body);
      if (!parsed.success) return setupPage(request, reply, 'Enter the 6-digit code.');
      let codes: string[];
      try {
        codes = await confirmTotpSetup(
          deps,
          principal.user.id,
          parsed.data.code,
          requestMeta(request),
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === 'TOTP_CODE_INVALID') return setupPage(request, reply, error.message);
        if (error.code === 'TOTP_SETUP_MISSING') return reply.redirect(SETUP, 303);
        if (error.code === 'TOTP_ALREADY_ENABLED') {
          return reply.redirect(`${SECURITY}#two-factor`, 303);
        }
        throw error;
      }
      noStore(reply);
      return render(reply, {
        title: 'Two-factor authentication is on',
        body: <BackupCodesPage codes={codes} fresh />,
      });
    });

    signedIn.post('/settings/two-factor/disable', async (request, reply) => {
      const confirmed = await passwordConfirmed(deps, limiter, request, reply, {
        title: 'Turn off two-factor authentication',
        lead: 'Enter your password. Sign-ins will then need only your password (or a passkey).',
        action: '/settings/two-factor/disable',
        submit: 'Turn off two-factor',
        danger: true,
        back: `${SECURITY}#two-factor`,
      });
      if (!confirmed) return reply;
      await disableTotp(deps, principalOf(request).user.id, requestMeta(request));
      return reply.redirect(`${SECURITY}?done=totp_disabled#two-factor`, 303);
    });

    signedIn.post('/settings/two-factor/backup-codes', async (request, reply) => {
      const confirmed = await passwordConfirmed(deps, limiter, request, reply, {
        title: 'New backup codes',
        lead: 'Enter your password to make ten new backup codes. The old ones stop working.',
        action: '/settings/two-factor/backup-codes',
        submit: 'Make new backup codes',
        back: `${SECURITY}#two-factor`,
      });
      if (!confirmed) return reply;
      const user = await findUserById(deps.db, principalOf(request).user.id);
      if (!user?.totp_enabled_at) return reply.redirect(`${SECURITY}#two-factor`, 303);
      const codes = await regenerateBackupCodes(deps, user.id, requestMeta(request));
      noStore(reply);
      return render(reply, {
        title: 'New backup codes',
        body: <BackupCodesPage codes={codes} fresh={false} />,
      });
    });
  });
}
