// Getting back in: forgotten password, reset, email confirmation and its resend, and unlocking
// sign-ins after a lockout. The "we sent a link" pages are identical for every address, so they
// reveal nothing about who has an account.
import type { Children } from '@kitajs/html';
import type { FieldErrors } from '../../../platform/errors.js';
import { LinkButton } from '../../../platform/views/components.js';
import { AuthCard, AuthHeading } from './auth-forms.js';
import { CsrfField, FormProblem, TextField } from '../../../platform/views/forms.js';

export interface EmailFormProps {
  csrfToken: string;
  email: string;
  errors?: FieldErrors | undefined;
  /** the wait, when this network asked too often */
  rateLimitedWait?: string | undefined;
}

function EmailForm(props: EmailFormProps & { action: string; submit: string }) {
  const errors = props.errors ?? {};
  return (
    <>
      {props.rateLimitedWait ? (
        <FormProblem title="Too many requests from this network" focus>
          <p safe>{`Please try again ${props.rateLimitedWait}.`}</p>
        </FormProblem>
      ) : Object.keys(errors).length > 0 ? (
        <FormProblem
          title="Check the highlighted field"
          errors={errors}
          labels={{ email: 'Email' }}
          focus
        />
      ) : (
        ''
      )}
      <form method="post" action={props.action} class="auth__form" novalidate>
        <CsrfField token={props.csrfToken} />
        <TextField
          label="Email"
          name="email"
          type="email"
          value={props.email}
          error={errors.email}
          autocomplete="email"
          maxlength={320}
          verbatim
          required
        />
        <div class="auth__actions">
          <button type="submit" class="button button--primary auth__submit" safe>
            {props.submit}
          </button>
        </div>
      </form>
    </>
  );
}

export function ForgotPasswordPage(props: EmailFormProps): JSX.Element {
  return (
    <AuthCard labelledBy="forgot-title">
      <AuthHeading id="forgot-title" eyebrow="Account recovery" title="Forgot your password?" />
      <p class="auth__lead">
        Enter the address you signed up with. We will email you a link to choose a new password.
      </p>
      <EmailForm {...props} action="/forgot-password" submit="Email me a link" />
      <p class="auth__switch">
        Remembered it? <a href="/login">Sign in</a>
      </p>
    </AuthCard>
  );
}

/** The one answer for every address, known or not. */
function LinkSentPage(props: { id: string; title: string; children: Children }) {
  return (
    <AuthCard labelledBy={props.id}>
      <div class="auth__emblem" aria-hidden="true">
        <svg viewBox="0 0 48 48" focusable="false">
          <rect x="6" y="11" width="36" height="26" rx="4" />
          <path d="M7 13l17 13 17-13" />
        </svg>
      </div>
      <AuthHeading id={props.id} title={props.title} focus />
      {props.children}
    </AuthCard>
  );
}

export function ResetLinkSentPage(): JSX.Element {
  return (
    <LinkSentPage id="forgot-sent-title" title="Check your inbox">
      <p class="auth__lead">
        If an account uses that address, we’ve sent a link to it. The link works once, for 30
        minutes.
      </p>
      <p class="auth__small">
        Nothing after a few minutes? Check your spam folder, or{' '}
        <a href="/forgot-password">try another address</a>.
      </p>
      <div class="auth__actions">
        <LinkButton href="/login" variant="secondary">
          Back to sign in
        </LinkButton>
      </div>
    </LinkSentPage>
  );
}

export function ResendVerificationPage(props: EmailFormProps): JSX.Element {
  return (
    <AuthCard labelledBy="resend-title">
      <AuthHeading id="resend-title" eyebrow="Confirm your email" title="Send the link again" />
      <p class="auth__lead">
        Enter your account’s address and we will send a new confirmation link. Older links stop
        working.
      </p>
      <EmailForm {...props} action="/verify-email/resend" submit="Send a new link" />
    </AuthCard>
  );
}

export function VerificationSentPage(): JSX.Element {
  return (
    <LinkSentPage id="resend-sent-title" title="Check your inbox">
      <p class="auth__lead">
        If an account uses that address and it still needs confirming, we’ve sent a new link. It is
        valid for 24 hours.
      </p>
      <div class="auth__actions">
        <LinkButton href="/" variant="secondary">
          Go to the front page
        </LinkButton>
      </div>
    </LinkSentPage>
  );
}

export interface ResetPasswordPageProps {
  csrfToken: string;
  token: string;
  errors?: FieldErrors | undefined;
}

const RESET_FIELDS = { password: 'New password', password_confirm: 'Repeat the new password' };

export function ResetPasswordPage(props: ResetPasswordPageProps): JSX.Element {
  const errors = props.errors ?? {};
  const failed = Object.keys(errors).length > 0;
  return (
    <AuthCard labelledBy="reset-title">
      <AuthHeading id="reset-title" eyebrow="Account recovery" title="Choose a new password" />
      <p class="auth__lead">
        After this, every device signed in to your account is signed out and every personal access
        token is revoked, so nobody who got in before keeps a way in. You sign in again with the new
        password; scripts need a new token.
      </p>
      {failed ? (
        <FormProblem
          title="Check the highlighted fields"
          errors={errors}
          labels={RESET_FIELDS}
          focus
        />
      ) : (
        ''
      )}
      <form method="post" action="/reset-password" class="auth__form" novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <TextField
          label="New password"
          name="password"
          type="password"
          error={errors.password}
          hint="8 characters or more; a passphrase is great."
          autocomplete="new-password"
          minlength={8}
          maxlength={256}
          required
        />
        <TextField
          label="Repeat the new password"
          name="password_confirm"
          type="password"
          error={errors.password_confirm}
          autocomplete="new-password"
          maxlength={256}
          required
        />
        <div class="auth__actions">
          <button type="submit" class="button button--primary auth__submit">
            Save the new password
          </button>
        </div>
      </form>
    </AuthCard>
  );
}

export type LinkPurpose = 'reset' | 'verify' | 'unlock';

const INVALID_LINK_COPY: Record<LinkPurpose, { text: string; href: string; action: string }> = {
  reset: {
    text: 'Password reset links work once, for 30 minutes, and a newer link replaces older ones.',
    href: '/forgot-password',
    action: 'Ask for a new link',
  },
  verify: {
    text: 'Confirmation links work once, for 24 hours, and a newer link replaces older ones. If you already confirmed your address, there is nothing more to do.',
    href: '/verify-email/resend',
    action: 'Send a new confirmation link',
  },
  unlock: {
    text: 'Unlock links work once, for an hour. The pause on new devices also ends by itself after 15 minutes, and resetting your password lifts it at once.',
    href: '/forgot-password',
    action: 'Reset your password',
  },
};

export function LinkInvalidPage(props: { purpose: LinkPurpose }): JSX.Element {
  const copy = INVALID_LINK_COPY[props.purpose];
  return (
    <AuthCard labelledBy="link-invalid-title">
      <div class="auth__emblem auth__emblem--muted" aria-hidden="true">
        <svg viewBox="0 0 48 48" focusable="false">
          <path d="M21 15l3-3a8 8 0 0 1 11.3 11.3l-3 3" />
          <path d="M27 33l-3 3a8 8 0 0 1-11.3-11.3l3-3" />
          <path d="M9 9l5 5M39 39l-5-5M9 17h4M17 9v4M39 31h-4M31 39v-4" />
        </svg>
      </div>
      <AuthHeading id="link-invalid-title" title="This link no longer works" />
      <p class="auth__lead" safe>
        {copy.text}
      </p>
      <div class="auth__actions auth__actions--split">
        <LinkButton href={copy.href}>
          <span safe>{copy.action}</span>
        </LinkButton>
        <LinkButton href="/login" variant="secondary">
          Sign in
        </LinkButton>
      </div>
    </AuthCard>
  );
}

export function EmailConfirmedPage(props: { signedIn: boolean }): JSX.Element {
  return (
    <AuthCard labelledBy="confirmed-title">
      <div class="auth__emblem auth__emblem--success" aria-hidden="true">
        <svg viewBox="0 0 48 48" focusable="false">
          <circle cx="24" cy="24" r="18" />
          <path d="M16 24.5l5.5 5.5L33 18.5" />
        </svg>
      </div>
      <AuthHeading id="confirmed-title" title="Email confirmed" />
      <p class="auth__lead">
        Thank you. Receipts, sign-in notices and account mail will reach you at this address.
      </p>
      <div class="auth__actions">
        {props.signedIn ? (
          <LinkButton href="/">Continue</LinkButton>
        ) : (
          <LinkButton href="/login">Sign in</LinkButton>
        )}
      </div>
    </AuthCard>
  );
}

export function UnlockPage(props: { csrfToken: string; token: string }): JSX.Element {
  return (
    <AuthCard labelledBy="unlock-title">
      <AuthHeading id="unlock-title" eyebrow="Account security" title="Unlock sign-ins" />
      <p class="auth__lead">
        Sign-ins from new devices were paused after several failed attempts. Unlock them here, in
        the browser you want to sign in with: it will be remembered as one of your devices.
      </p>
      <p class="auth__small">
        If the failed attempts were not yours, your password held. Consider changing it anyway, and
        adding a passkey or two-factor authentication.
      </p>
      <form method="post" action="/unlock" class="auth__form">
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <div class="auth__actions">
          <button type="submit" class="button button--primary auth__submit">
            Unlock and continue to sign in
          </button>
        </div>
      </form>
    </AuthCard>
  );
}
