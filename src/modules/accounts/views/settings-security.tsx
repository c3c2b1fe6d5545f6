// /settings/security: the password, where the account is signed in, personal access tokens,
// and (after these) the second-factor sections the two-factor work provides.
import type { Children } from '@kitajs/html';
import type { FieldErrors } from '../../../platform/errors.js';
import { Button } from '../../../platform/views/components.js';
import { PASSWORD_MIN } from '../accounts.schemas.js';
import type { SessionView, TokenView } from '../settings-access.service.js';
import { ReauthGate, SettingsCard, SettingsShell } from './settings-parts.js';
import { SessionsCard } from './settings-sessions.js';
import { TokensCard, type TokenFormState } from './settings-tokens.js';
import { CsrfField } from '../../../platform/views/forms.js';

export interface PasswordFormState {
  endOtherSessions: boolean;
  errors: FieldErrors;
}

export interface SecurityPageProps {
  csrfToken: string;
  /** for password managers: which account the new password belongs to */
  email: string;
  hasPassword: boolean;
  sessions: readonly SessionView[];
  tokens: readonly TokenView[];
  reauth: { open: boolean; minutesLeft: number };
  now: Date;
  flash?: string | undefined;
  passwordState?: PasswordFormState | undefined;
  tokenState?: TokenFormState | undefined;
  /** the passkey and two-factor sections, placed after ours */
  extraSections: Children;
}

function PasswordForm(props: SecurityPageProps) {
  const state = props.passwordState;
  const error = state?.errors.new_password;
  return (
    <form method="post" action="/settings/password#password" class="settings-form" novalidate>
      <CsrfField token={props.csrfToken} />
      {/* Password managers file the new password under this account. */}
      <input
        type="email"
        name="username"
        value={props.email}
        autocomplete="username"
        class="visually-hidden"
        tabindex="-1"
        aria-hidden="true"
        readonly
      />
      <div class={error ? 'field field--invalid' : 'field'}>
        <label class="field__label" for="field-new_password">
          New password
        </label>
        <p class="field__hint" id="field-new_password-hint">
          At least {PASSWORD_MIN} characters. A few unrelated words are strong and easy to remember;
          very common passwords are refused.
        </p>
        <input
          class="field__input"
          id="field-new_password"
          name="new_password"
          type="password"
          autocomplete="new-password"
          minlength={PASSWORD_MIN}
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={
            error ? 'field-new_password-hint field-new_password-error' : 'field-new_password-hint'
          }
        />
        {error ? (
          <p class="field__error" id="field-new_password-error" safe>
            {error}
          </p>
        ) : (
          ''
        )}
      </div>
      <div class="check">
        <input
          class="check__input"
          type="checkbox"
          id="field-end_other_sessions"
          name="end_other_sessions"
          checked={state?.endOtherSessions ?? true}
        />
        <label class="check__label" for="field-end_other_sessions">
          <strong>Sign out everywhere else</strong>
          <span class="check__hint">
            Ends your other sessions and revokes your access tokens. Recommended if you think
            someone else knows your password. You stay signed in here.
          </span>
        </label>
      </div>
      <Button>Change password</Button>
    </form>
  );
}

function PasswordCard(props: SecurityPageProps) {
  return (
    <SettingsCard
      id="password"
      title="Password"
      intro="We’ll email you whenever your password changes."
    >
      {props.hasPassword ? (
        <ReauthGate
          {...props.reauth}
          back="/settings/security#password"
          action="change your password"
        >
          <PasswordForm {...props} />
        </ReauthGate>
      ) : (
        <p class="settings-card__quiet">
          Your account has no password. To set one, use “Forgot your password?” on the{' '}
          <a href="/login">sign-in page</a>.
        </p>
      )}
    </SettingsCard>
  );
}

export function SecurityPage(props: SecurityPageProps): JSX.Element {
  return (
    <SettingsShell
      tab="security"
      title="Security"
      lead="Your password, the places you’re signed in, and the keys your scripts use."
      flash={props.flash}
      reauth={props.reauth}
    >
      <PasswordCard {...props} />
      <SessionsCard
        sessions={props.sessions}
        tokenCount={props.tokens.length}
        csrfToken={props.csrfToken}
        now={props.now}
      />
      <TokensCard
        tokens={props.tokens}
        csrfToken={props.csrfToken}
        now={props.now}
        reauth={props.reauth}
        state={props.tokenState}
      />
      {props.extraSections}
      <p class="settings__more">
        <a href="/settings/security-log">See the security log</a>: every sign-in, change and failed
        attempt on your account.
      </p>
    </SettingsShell>
  );
}
