// /login/verify: the second step of a password sign-in for accounts with two-factor
// authentication. A plain form, like /login: success changes the session, and a full page load
// gives every later form its new CSRF token.
import { AuthCard, AuthHeading } from './auth-forms.js';
import { CsrfField, FormProblem } from '../../../platform/views/forms.js';

export type VerifyProblem =
  | { kind: 'invalid'; message: string }
  | { kind: 'rate_limited'; wait: string }
  | { kind: 'refused'; message: string };

export interface VerifyPageProps {
  csrfToken: string;
  /** a same-site path, already checked */
  next: string;
  problem?: VerifyProblem | undefined;
}

function Problem(props: { problem: VerifyProblem }) {
  const { problem } = props;
  switch (problem.kind) {
    case 'invalid':
      return <FormProblem title={problem.message} focus />;
    case 'rate_limited':
      return (
        <FormProblem title="Too many attempts" focus>
          <p safe>{`For your account’s safety, please wait and try again ${problem.wait}.`}</p>
        </FormProblem>
      );
    case 'refused':
      return <FormProblem title={problem.message} focus />;
  }
}

export function VerifyPage(props: VerifyPageProps): JSX.Element {
  const invalid = props.problem?.kind === 'invalid';
  return (
    <AuthCard labelledBy="verify-title">
      <AuthHeading id="verify-title" title="Enter your code" eyebrow="Two-factor sign-in" />
      <p class="auth__lead">
        Open your authenticator app and enter the 6-digit code it shows for Makenot.work.
      </p>
      {props.problem ? <Problem problem={props.problem} /> : ''}
      <form method="post" action="/login/verify" class="auth__form" novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="next" value={props.next} />
        <div class={invalid ? 'field field--invalid' : 'field'}>
          <label class="field__label" for="field-code">
            Code
          </label>
          <p class="field__hint" id="field-code-hint">
            Lost your phone? Enter one of your backup codes instead.
          </p>
          <input
            class="field__input two-factor-code"
            id="field-code"
            name="code"
            type="text"
            autocomplete="one-time-code"
            autocapitalize="none"
            spellcheck="false"
            maxlength={40}
            required
            autofocus={!props.problem}
            aria-invalid={invalid ? 'true' : undefined}
            aria-describedby="field-code-hint"
          />
        </div>
        <div class="auth__actions">
          <button type="submit" class="button button--primary auth__submit">
            Verify and sign in
          </button>
        </div>
      </form>
      <p class="auth__switch">
        <a href={`/login?next=${encodeURIComponent(props.next)}`}>Start again</a>
      </p>
    </AuthCard>
  );
}

/** The pending sign-in is gone: expired, used up, or never there. */
export function VerifyExpiredPage(props: { next: string }): JSX.Element {
  return (
    <AuthCard labelledBy="verify-title">
      <AuthHeading id="verify-title" title="Sign in again" eyebrow="Two-factor sign-in" focus />
      <p class="auth__lead">
        This sign-in has expired or had too many wrong codes. For your safety, start again with your
        email and password.
      </p>
      <div class="auth__actions">
        <a
          class="button button--primary auth__submit"
          href={`/login?next=${encodeURIComponent(props.next)}`}
        >
          Sign in again
        </a>
      </div>
    </AuthCard>
  );
}
