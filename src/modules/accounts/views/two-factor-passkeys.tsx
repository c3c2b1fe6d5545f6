// The "Passkeys" section of /settings/security: the account's passkeys with rename and remove
// forms (plain forms, no script needed), and the "Add a passkey" control that passkeys.js brings
// to life, since creating a passkey is a WebAuthn ceremony only a script can run.
import { assetUrl } from '../../../platform/http/static-assets.js';
import { MAX_PASSKEYS, type PasskeyView } from '../passkeys.service.js';
import { ExactTime, SettingsCard, TimeAgo } from './settings-parts.js';
import { CsrfField } from '../../../platform/views/forms.js';

/** The two scripts every passkey control needs; `defer` keeps them in this order. */
export function PasskeyScripts(): JSX.Element {
  return (
    <>
      <script src={assetUrl('webauthn.js')} defer></script>
      <script src={assetUrl('passkeys.js')} defer></script>
    </>
  );
}

function PasskeyItem(props: { passkey: PasskeyView; csrfToken: string; now: Date }) {
  const { passkey } = props;
  const base = `/settings/passkeys/${passkey.id}`;
  return (
    <li class="passkey">
      <div class="passkey__body">
        <p class="passkey__name">
          <span safe>{passkey.name}</span>
          {passkey.backedUp ? <span class="badge">synced</span> : ''}
        </p>
        <p class="passkey__meta">
          <span>
            Added <ExactTime date={passkey.createdAt} />
          </span>
          <span class="session__sep" aria-hidden="true">
            ·
          </span>
          {passkey.lastUsedAt ? (
            <span>
              Last used <TimeAgo date={passkey.lastUsedAt} now={props.now} />
            </span>
          ) : (
            <span>Not used to sign in yet</span>
          )}
        </p>
      </div>
      <div class="passkey__actions">
        <details class="passkey__details">
          <summary class="button button--ghost button--small">
            Rename<span class="visually-hidden" safe>{` ${passkey.name}`}</span>
          </summary>
          <form method="post" action={`${base}/rename`} class="passkey__form">
            <CsrfField token={props.csrfToken} />
            <label class="field__label" for={`passkey-name-${passkey.id}`}>
              New name
            </label>
            <input
              class="field__input"
              id={`passkey-name-${passkey.id}`}
              name="name"
              type="text"
              value={passkey.name}
              maxlength={60}
              required
              autocomplete="off"
            />
            <button type="submit" class="button button--secondary button--small">
              Save name
            </button>
          </form>
        </details>
        <details class="passkey__details">
          <summary class="button button--ghost button--small">
            Remove<span class="visually-hidden" safe>{` ${passkey.name}`}</span>
          </summary>
          <form method="post" action={`${base}/delete`} class="passkey__form">
            <CsrfField token={props.csrfToken} />
            <label class="field__label" for={`passkey-password-${passkey.id}`}>
              Your password, to confirm
            </label>
            <input
              class="field__input"
              id={`passkey-password-${passkey.id}`}
              name="password"
              type="password"
              autocomplete="current-password"
              required
            />
            <button type="submit" class="button button--danger button--small">
              Remove passkey
            </button>
          </form>
        </details>
      </div>
    </li>
  );
}

function AddPasskey(props: { full: boolean }) {
  if (props.full) {
    return (
      <p class="settings-card__quiet">
        {`You have ${MAX_PASSKEYS} passkeys, the most an account can have. Remove one to add another.`}
      </p>
    );
  }
  return (
    <div class="passkey-add" data-passkey-add>
      <noscript>
        <p class="settings-card__quiet">
          Adding a passkey needs JavaScript: your browser talks to your device’s authenticator.
        </p>
      </noscript>
      <div class="passkey-add__controls" hidden>
        <div class="field">
          <label class="field__label" for="field-passkey-name">
            Name (optional)
          </label>
          <p class="field__hint" id="field-passkey-name-hint">
            Say where it lives, e.g. “work laptop”. We suggest one if you leave it empty.
          </p>
          <input
            class="field__input"
            id="field-passkey-name"
            name="passkey_name"
            type="text"
            maxlength={60}
            autocomplete="off"
            aria-describedby="field-passkey-name-hint"
            data-passkey-name
          />
        </div>
        <button type="button" class="button button--primary" data-passkey-add-button>
          Add a passkey
        </button>
      </div>
      <p class="passkey-status" role="status" aria-live="polite" data-passkey-status></p>
    </div>
  );
}

export interface PasskeysCardProps {
  passkeys: readonly PasskeyView[];
  csrfToken: string;
  now: Date;
}

export function PasskeysCard(props: PasskeysCardProps): JSX.Element {
  return (
    <SettingsCard
      id="passkeys"
      title="Passkeys"
      intro="Sign in with your fingerprint, face or device PIN instead of a password. A passkey cannot be phished or guessed, and it is two factors in one."
    >
      {props.passkeys.length > 0 ? (
        <ul class="passkey-list" role="list">
          {props.passkeys.map((passkey) => (
            <PasskeyItem passkey={passkey} csrfToken={props.csrfToken} now={props.now} />
          ))}
        </ul>
      ) : (
        <p class="settings-card__quiet">You have no passkeys yet.</p>
      )}
      <AddPasskey full={props.passkeys.length >= MAX_PASSKEYS} />
      <PasskeyScripts />
    </SettingsCard>
  );
}
