// The sign-in page. A plain form (no htmx): signing in changes the session and with it the CSRF
// token, and a full page load is what gives every later form the new one.
import type { FieldErrors } from '../../../platform/errors.js';
import { Notice } from '../../../platform/views/components.js';
import { AuthCard, AuthHeading } from './auth-forms.js';
import { PasskeyScripts } from './two-factor-passkeys.js';
import { CsrfField, FormProblem, TextField } from '../../../platform/views/forms.js';

export type LoginProblem =
  | { kind: 'fields'; errors: FieldErrors }
  | { kind: 'invalid' }
  | { kind: 'rate_limited'; wait: string }
  | { kind: 'refused'; message: string };

/** What the page says above the form after the last step of another flow. */
export type LoginNotice = 'reset' | 'unlocked';

export interface LoginPageProps {
  csrfToken: string;
  email: string;
  /** a same-site path, already checked */
  next: string;
  problem?: LoginProblem | undefined;
  notice?: LoginNotice | undefined;
}

const LOGIN_FIELDS = { email: 'Email', password: 'Password' };

function Problem(props: { problem: LoginProblem }) {
  const { problem } = props;
  switch (problem.kind) {
    case 'fields':
      return (
        <FormProblem
          title="Check the highlighted fields"
          errors={problem.errors}
          labels={LOGIN_FIELDS}
          focus
        />
      );
    case 'invalid':
      // One message for an unknown address, a wrong password and a paused account.
      return (
        <FormProblem title="The email or password is incorrect." focus>
          <p class="form-problem__note">
            Check both and try again. After several failed attempts, sign-ins from new devices pause
            for 15 minutes and the account’s owner gets an email to unlock them.
          </p>
        </FormProblem>
      );
    case 'rate_limited':
      return (
        <FormProblem title="Too many sign-in attempts" focus>
          <p safe>{`For your account’s safety, please wait and try again ${problem.wait}.`}</p>
        </FormProblem>
      );
    case 'refused':
      return <FormProblem title={problem.message} focus />;
  }
}

function LoginNoticeBanner(props: { notice: LoginNotice }) {
  return props.notice === 'reset' ? (
    <Notice tone="success" title="Your password was changed">
      <p>
        Every session was signed out and every access token was revoked. Sign in with your new
        password.
      </p>
    </Notice>
  ) : (
    <Notice tone="success" title="Sign-ins are unlocked">
      <p>This browser can sign in to your account again.</p>
    </Notice>
  );
}

export function LoginPage(props: LoginPageProps): JSX.Element {
  const errors = props.problem?.kind === 'fields' ? props.problem.errors : {};
  return (
    <AuthCard labelledBy="login-title">
      <AuthHeading id="login-title" title="Welcome back" eyebrow="Sign in" />
      <p class="auth__lead">Sign in to find your library, support creators, or run your shop.</p>
      {props.notice && !props.problem ? <LoginNoticeBanner notice={props.notice} /> : ''}
      {props.problem ? <Problem problem={props.problem} /> : ''}
      <form method="post" action="/login" class="auth__form" novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="next" value={props.next} />
        <TextField
          label="Email"
          name="email"
          type="email"
          value={props.email}
          error={errors.email}
          autocomplete="username"
          maxlength={320}
          verbatim
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          error={errors.password}
          autocomplete="current-password"
          maxlength={256}
          required
          after={<a href="/forgot-password">Forgot your password?</a>}
        />
        <div class="auth__actions">
          <button type="submit" class="button button--primary auth__submit">
            Sign in
          </button>
        </div>
      </form>
      <div id="passkey-signin"></div>
      <PasskeyScripts />
      <p class="auth__switch">
        New to Makenot.work? <a href="/join">Create an account</a>
      </p>
    </AuthCard>
  );
}
