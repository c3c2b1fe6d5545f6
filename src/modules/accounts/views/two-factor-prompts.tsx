// Single-purpose pages for second-factor forms that need another go: a wrong password when
// removing a passkey, turning two-factor off or renewing backup codes, and an unusable name.
// The security page belongs to the settings work; these stand alone and post the same forms.
import type { Children } from '@kitajs/html';
import { Button } from '../../../platform/views/components.js';
import { CurrentPasswordField } from './password-field.js';
import { CsrfField } from '../../../platform/views/forms.js';

function Prompt(props: { id: string; title: string; lead: string; children: Children }) {
  return (
    <section class="prompt" aria-labelledby={props.id}>
      <div class="prompt__card">
        <h1 class="prompt__title" id={props.id} safe>
          {props.title}
        </h1>
        <p class="prompt__lead" safe>
          {props.lead}
        </p>
        {props.children}
      </div>
    </section>
  );
}

export interface PasswordPromptProps {
  csrfToken: string;
  title: string;
  lead: string;
  action: string;
  submit: string;
  danger?: boolean;
  /** where Cancel goes */
  back: string;
  error?: string | undefined;
}

export function PasswordPromptPage(props: PasswordPromptProps): JSX.Element {
  return (
    <Prompt id="prompt-title" title={props.title} lead={props.lead}>
      <form method="post" action={props.action} class="settings-form" novalidate>
        <CsrfField token={props.csrfToken} />
        <CurrentPasswordField label="Your password" error={props.error} />
        <div class="prompt__actions">
          <button
            type="submit"
            class={`button button--${props.danger ? 'danger' : 'primary'}`}
            safe
          >
            {props.submit}
          </button>
          <a href={props.back}>Cancel</a>
        </div>
      </form>
    </Prompt>
  );
}

export interface RenamePromptProps {
  csrfToken: string;
  passkeyId: string;
  value: string;
  error: string;
}

export function RenamePasskeyPage(props: RenamePromptProps): JSX.Element {
  return (
    <Prompt
      id="prompt-title"
      title="Rename passkey"
      lead="Give the passkey a name you’ll recognise."
    >
      <form
        method="post"
        action={`/settings/passkeys/${props.passkeyId}/rename`}
        class="settings-form"
        novalidate
      >
        <CsrfField token={props.csrfToken} />
        <div class="field field--invalid">
          <label class="field__label" for="field-name">
            Name
          </label>
          <input
            class="field__input"
            id="field-name"
            name="name"
            type="text"
            value={props.value}
            maxlength={60}
            required
            autofocus
            aria-invalid="true"
            aria-describedby="field-name-error"
          />
          <p class="field__error" id="field-name-error" safe>
            {props.error}
          </p>
        </div>
        <div class="prompt__actions">
          <Button>Save name</Button>
          <a href="/settings/security#passkeys">Cancel</a>
        </div>
      </form>
    </Prompt>
  );
}
