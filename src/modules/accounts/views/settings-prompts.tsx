// Single-purpose pages around settings: the password prompt before sensitive changes, the
// confirmation of a new email address, and the pages shown after leaving.
import type { Children } from '@kitajs/html';
import { Button, LinkButton, Notice } from '../../../platform/views/components.js';
import { CurrentPasswordField } from './password-field.js';
import { CsrfField } from '../../../platform/views/forms.js';

function PromptCard(props: { labelledBy: string; children: Children }) {
  return (
    <section class="prompt" aria-labelledby={props.labelledBy}>
      <div class="prompt__card">{props.children}</div>
    </section>
  );
}

export interface ReauthPageProps {
  csrfToken: string;
  email: string;
  next: string;
  hasPassword: boolean;
  error?: string | undefined;
}

export function ReauthPage(props: ReauthPageProps): JSX.Element {
  return (
    <PromptCard labelledBy="reauth-title">
      <svg class="prompt__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <rect x="5" y="10.5" width="14" height="10" rx="2.5" />
        <path d="M8.5 10.5V8a3.5 3.5 0 0 1 7 0v2.5" />
      </svg>
      <h1 class="prompt__title" id="reauth-title">
        Confirm it’s you
      </h1>
      {props.hasPassword ? (
        <>
          <p class="prompt__lead">
            Enter your password to continue. For the next 10 minutes you won’t be asked again.
          </p>
          <form method="post" action="/settings/reauth" class="settings-form" novalidate>
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="next" value={props.next} />
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
            <CurrentPasswordField label="Password" error={props.error} />
            <div class="prompt__actions">
              <Button>Continue</Button>
              <a href={props.next}>Cancel</a>
            </div>
          </form>
        </>
      ) : (
        <>
          <p class="prompt__lead">
            Your account has no password. Sign out, then sign in again with your passkey: a fresh
            sign-in counts as confirmation for 10 minutes.
          </p>
          <div class="prompt__actions">
            <LinkButton href={props.next} variant="secondary">
              Go back
            </LinkButton>
          </div>
        </>
      )}
    </PromptCard>
  );
}

export function ConfirmEmailPage(props: {
  csrfToken: string;
  token: string;
  email: string | undefined;
}): JSX.Element {
  return (
    <PromptCard labelledBy="confirm-email-title">
      <h1 class="prompt__title" id="confirm-email-title">
        {props.email ? 'Use this email address?' : 'This link no longer works'}
      </h1>
      {props.email ? (
        <>
          <p class="prompt__lead">Your account’s email address becomes</p>
          <p class="prompt__value" safe>
            {props.email}
          </p>
          <p>We’ll let your old address know about the change.</p>
          <form method="post" action="/confirm-email" class="prompt__actions">
            <CsrfField token={props.csrfToken} />
            <input type="hidden" name="token" value={props.token} />
            <Button>Confirm new address</Button>
          </form>
        </>
      ) : (
        <>
          <p class="prompt__lead">
            It has expired, was already used, or a newer link replaced it. Ask for a new one in your
            account settings.
          </p>
          <div class="prompt__actions">
            <LinkButton href="/settings#email" variant="secondary">
              Account settings
            </LinkButton>
          </div>
        </>
      )}
    </PromptCard>
  );
}

export function EmailChangedPage(): JSX.Element {
  return (
    <PromptCard labelledBy="email-changed-title">
      <h1 class="prompt__title" id="email-changed-title">
        Your email address is changed
      </h1>
      <p class="prompt__lead">
        It is confirmed, too. From now on, sign in and receive mail about your account at the new
        address.
      </p>
      <div class="prompt__actions">
        <LinkButton href="/settings#email">Account settings</LinkButton>
      </div>
    </PromptCard>
  );
}

export function EmailTakenPage(): JSX.Element {
  return (
    <PromptCard labelledBy="email-taken-title">
      <h1 class="prompt__title" id="email-taken-title">
        That address is taken
      </h1>
      <Notice tone="warning" title="Another account started using this address after you asked.">
        <p>Your email address has not changed. Choose another one in your settings.</p>
      </Notice>
      <div class="prompt__actions">
        <LinkButton href="/settings#email" variant="secondary">
          Account settings
        </LinkButton>
      </div>
    </PromptCard>
  );
}

export type Farewell = 'deleted' | 'deactivated';

export function GoodbyePage(props: { after: Farewell }): JSX.Element {
  const deleted = props.after === 'deleted';
  return (
    <PromptCard labelledBy="goodbye-title">
      <h1 class="prompt__title" id="goodbye-title">
        {deleted ? 'Your account is deleted' : 'Your account is resting'}
      </h1>
      {deleted ? (
        <p class="prompt__lead">
          Your name, email address, password, sessions, tokens and security log are gone. Thank you
          for the time you spent here: the door stays open if you ever want to come back.
        </p>
      ) : (
        <p class="prompt__lead">
          You are signed out everywhere and your access tokens are stopped. Nothing is deleted: sign
          in again whenever you like to pick up where you left off.
        </p>
      )}
      <div class="prompt__actions">
        <LinkButton href="/">Go to the front page</LinkButton>
        {deleted ? (
          ''
        ) : (
          <LinkButton href="/login" variant="secondary">
            Sign in again
          </LinkButton>
        )}
      </div>
    </PromptCard>
  );
}
