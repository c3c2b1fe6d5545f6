// Personal access tokens on /settings/security: the list, the form that makes one, and the page
// that shows a new token its one and only time.
import type { TokenScope } from '../../../db/schema.js';
import type { FieldErrors } from '../../../platform/errors.js';
import { Button, LinkButton } from '../../../platform/views/components.js';
import type { TokenView } from '../settings-access.service.js';
import { ExactTime, ReauthGate, SettingsCard, SettingsShell, TimeAgo } from './settings-parts.js';
import { CsrfField, TextField } from '../../../platform/views/forms.js';

const SCOPE_HINTS: Record<TokenScope, string> = {
  read: 'see your account, library and work',
  write: 'change things: upload, publish, edit, delete',
};

function ScopeBadges(props: { scopes: readonly TokenScope[] }) {
  return (
    <span class="scope-badges">
      <span class="visually-hidden">Scopes: </span>
      {props.scopes.map((scope) => (
        <span class="badge">{scope}</span>
      ))}
    </span>
  );
}

function TokenItem(props: { token: TokenView; csrfToken: string; now: Date }) {
  const { token } = props;
  return (
    <li class="token">
      <div class="token__body">
        <p class="token__name">
          <span safe>{token.name}</span>
          <ScopeBadges scopes={token.scopes} />
        </p>
        <p class="token__meta">
          <span>
            Created <ExactTime date={token.createdAt} />
          </span>
          <span class="session__sep" aria-hidden="true">
            ·
          </span>
          {token.lastUsedAt ? (
            <span>
              Last used <TimeAgo date={token.lastUsedAt} now={props.now} />
            </span>
          ) : (
            <span>Never used</span>
          )}
        </p>
      </div>
      <form method="post" action={`/settings/tokens/${token.id}/revoke`} class="token__action">
        <CsrfField token={props.csrfToken} />
        <button type="submit" class="button button--ghost button--small">
          Revoke
          <span class="visually-hidden" safe>{` ${token.name}`}</span>
        </button>
      </form>
    </li>
  );
}

export interface TokenFormState {
  values: { name?: string; scopes?: readonly string[] };
  errors: FieldErrors;
}

function TokenForm(props: { csrfToken: string; state: TokenFormState | undefined }) {
  const values = props.state?.values ?? {};
  const errors = props.state?.errors ?? {};
  const chosen = new Set(values.scopes ?? ['read']);
  const scopeError = errors.scopes;
  return (
    <form method="post" action="/settings/tokens#tokens" class="settings-form" novalidate>
      <CsrfField token={props.csrfToken} />
      <TextField
        label="Token name"
        name="name"
        value={values.name}
        error={errors.name}
        hint="Say where it will live, e.g. “release script on my laptop”."
        autocomplete="off"
        required
      />
      <fieldset
        class={scopeError ? 'check-group check-group--invalid' : 'check-group'}
        aria-describedby={scopeError ? 'scopes-error' : undefined}
      >
        <legend class="field__label">What it may do</legend>
        {(['read', 'write'] as const).map((scope) => (
          <div class="check">
            <input
              class="check__input"
              type="checkbox"
              id={`scope-${scope}`}
              name="scopes"
              value={scope}
              checked={chosen.has(scope)}
            />
            <label class="check__label" for={`scope-${scope}`}>
              <strong>{scope}</strong>
              <span class="check__hint" safe>
                {SCOPE_HINTS[scope]}
              </span>
            </label>
          </div>
        ))}
        {scopeError ? (
          <p class="field__error" id="scopes-error" safe>
            {scopeError}
          </p>
        ) : (
          ''
        )}
      </fieldset>
      <Button>Create token</Button>
    </form>
  );
}

export interface TokensCardProps {
  tokens: readonly TokenView[];
  csrfToken: string;
  now: Date;
  reauth: { open: boolean; minutesLeft: number };
  state: TokenFormState | undefined;
}

export function TokensCard(props: TokensCardProps): JSX.Element {
  return (
    <SettingsCard
      id="tokens"
      title="Personal access tokens"
      intro="Tokens let your own scripts and tools use the API as you. Treat each like a password, and revoke any you no longer use."
    >
      {props.tokens.length > 0 ? (
        <ul class="token-list" role="list">
          {props.tokens.map((token) => (
            <TokenItem token={token} csrfToken={props.csrfToken} now={props.now} />
          ))}
        </ul>
      ) : (
        <p class="settings-card__quiet">You have no tokens.</p>
      )}
      <h3 class="settings-card__subtitle">New token</h3>
      <ReauthGate {...props.reauth} back="/settings/security#tokens" action="create a token">
        <TokenForm csrfToken={props.csrfToken} state={props.state} />
      </ReauthGate>
    </SettingsCard>
  );
}

export function TokenCreatedPage(props: {
  name: string;
  token: string;
  scopes: readonly TokenScope[];
}): JSX.Element {
  return (
    <SettingsShell
      tab="security"
      title="Your new token"
      lead="Copy it now. We only keep a fingerprint of it, so this is the one time it can be shown."
    >
      <SettingsCard id="new-token" title={props.name}>
        <div class="token-reveal">
          <label class="field__label" for="new-token-value">
            Token
          </label>
          <p class="field__hint" id="new-token-hint">
            Select it and copy. Send it as <code>Authorization: Bearer …</code>.
          </p>
          {/* A textarea wraps, so the whole token is visible (and selectable) on a phone. */}
          <textarea
            class="field__input token-reveal__value"
            id="new-token-value"
            rows="2"
            readonly
            spellcheck="false"
            autocapitalize="none"
            aria-describedby="new-token-hint"
            safe
          >
            {props.token}
          </textarea>
          <p class="token-reveal__scopes">
            <ScopeBadges scopes={props.scopes} />
          </p>
        </div>
        <div class="settings-card__footer">
          <LinkButton href="/settings/security#tokens">I’ve copied it</LinkButton>
        </div>
      </SettingsCard>
    </SettingsShell>
  );
}
