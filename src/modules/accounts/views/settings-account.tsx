// /settings: the profile name, the email address (status, new confirmation link, change of
// address) and closing the account.
import type { FieldErrors } from '../../../platform/errors.js';
import { Button } from '../../../platform/views/components.js';
import { ExactTime, ReauthGate, SettingsCard, SettingsShell } from './settings-parts.js';
import { CsrfField, TextField } from '../../../platform/views/forms.js';

export interface AccountPageUser {
  handle: string;
  displayName: string;
  email: string;
  emailVerified: boolean;
}

/** A form that failed validation: which one, what was typed, what is wrong. */
export interface FormState {
  form: 'profile' | 'email' | 'delete';
  values: Record<string, string>;
  errors: FieldErrors;
}

export interface AccountPageProps {
  csrfToken: string;
  user: AccountPageUser;
  pendingEmail: { email: string; expiresAt: Date } | undefined;
  reauth: { open: boolean; minutesLeft: number };
  flash?: string | undefined;
  state?: FormState | undefined;
}

function stateFor(props: AccountPageProps, form: FormState['form']) {
  const state = props.state?.form === form ? props.state : undefined;
  return { values: state?.values ?? {}, errors: state?.errors ?? {} };
}

function ProfileCard(props: AccountPageProps) {
  const { values, errors } = stateFor(props, 'profile');
  return (
    <SettingsCard
      id="profile"
      title="Profile"
      intro="The name people see on your page and beside your work."
    >
      <dl class="settings-facts">
        <div class="settings-facts__row">
          <dt>Handle</dt>
          <dd>
            <a href={`/@${encodeURIComponent(props.user.handle)}`} safe>
              {`@${props.user.handle}`}
            </a>
            <span class="settings-facts__note">Your public address. It cannot be changed.</span>
          </dd>
        </div>
      </dl>
      <form method="post" action="/settings/profile#profile" class="settings-form" novalidate>
        <CsrfField token={props.csrfToken} />
        <TextField
          label="Display name"
          name="display_name"
          value={values.display_name ?? props.user.displayName}
          error={errors.display_name}
          hint="Up to 80 characters, any script, emoji welcome."
          autocomplete="name"
          required
        />
        <Button>Save name</Button>
      </form>
    </SettingsCard>
  );
}

function EmailStatus(props: AccountPageProps) {
  const { user } = props;
  return (
    <div class="email-status">
      <p class="email-status__address">
        <span class="visually-hidden">Current address: </span>
        <strong safe>{user.email}</strong>{' '}
        {user.emailVerified ? (
          <span class="badge badge--success">Confirmed</span>
        ) : (
          <span class="badge badge--warning">Not confirmed</span>
        )}
      </p>
      {user.emailVerified ? (
        ''
      ) : (
        <form method="post" action="/settings/email/verify" class="email-status__resend">
          <CsrfField token={props.csrfToken} />
          <p>Confirm it with the link we sent, so you can recover the account if you lose it.</p>
          <Button variant="secondary" small>
            Send a new link
          </Button>
        </form>
      )}
      {props.pendingEmail ? (
        <p class="email-status__pending">
          <span
            safe
          >{`Waiting for confirmation of ${props.pendingEmail.email}. The link works until `}</span>
          <ExactTime date={props.pendingEmail.expiresAt} />.
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

function EmailCard(props: AccountPageProps) {
  const { values, errors } = stateFor(props, 'email');
  return (
    <SettingsCard
      id="email"
      title="Email address"
      intro="Where we send receipts, sign-in notices and recovery links. Nobody else sees it."
    >
      <EmailStatus {...props} />
      <h3 class="settings-card__subtitle">Change your address</h3>
      <ReauthGate {...props.reauth} back="/settings#email" action="change your email address">
        <form method="post" action="/settings/email#email" class="settings-form" novalidate>
          <CsrfField token={props.csrfToken} />
          <TextField
            label="New email address"
            name="email"
            type="email"
            value={values.email}
            error={errors.email}
            hint="We send a link there. Your address changes when you open it; we tell the old address too."
            autocomplete="email"
            required
          />
          <Button>Send confirmation link</Button>
        </form>
      </ReauthGate>
    </SettingsCard>
  );
}

function CloseAccountCard(props: AccountPageProps) {
  const { values, errors } = stateFor(props, 'delete');
  return (
    <SettingsCard
      id="close"
      title="Close your account"
      intro="Deactivate to take a break and come back whenever you like, or delete your account and personal data for good."
      tone="danger"
    >
      <ReauthGate
        {...props.reauth}
        back="/settings#close"
        action="deactivate or delete your account"
      >
        <div class="close-options">
          <form method="post" action="/settings/deactivate" class="close-option">
            <CsrfField token={props.csrfToken} />
            <h3 class="close-option__title">Take a break</h3>
            <p>
              Deactivating signs you out everywhere and stops your access tokens. Nothing is
              deleted: sign in again whenever you like and everything is as you left it.
            </p>
            <Button variant="secondary">Deactivate account</Button>
          </form>
          <form method="post" action="/settings/delete#close" class="close-option" novalidate>
            <CsrfField token={props.csrfToken} />
            <h3 class="close-option__title">Delete for good</h3>
            <p>
              Deletes your name, email, password, sessions, tokens, passkeys and security log
              straight away. This cannot be undone, and your handle becomes free for anyone.
            </p>
            <TextField
              label={`Type ${props.user.handle} to confirm`}
              name="confirm_handle"
              value={values.confirm_handle}
              error={errors.confirm_handle}
              autocomplete="off"
              required
            />
            <Button variant="danger">Delete my account</Button>
          </form>
        </div>
      </ReauthGate>
    </SettingsCard>
  );
}

export function AccountPage(props: AccountPageProps): JSX.Element {
  return (
    <SettingsShell
      tab="account"
      title="Your account"
      lead="Your name, your email address, and the door out."
      flash={props.flash}
      reauth={props.reauth}
    >
      <ProfileCard {...props} />
      <EmailCard {...props} />
      <CloseAccountCard {...props} />
    </SettingsShell>
  );
}
