// Small shared pieces of markup. Text props are escaped here (`safe`), so callers may pass user
// values as props; `children` is trusted markup built with JSX by the caller.
import type { Children } from '@kitajs/html';

/**
 * Whether optional markup was given. Deliberately not a type guard: narrowing `Children` would
 * lose the alias that tells the XSS scanner the value is markup, not a raw string.
 */
function given(value: Children | undefined): boolean {
  return value !== undefined && value !== null && value !== false && value !== '';
}

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

function buttonClass(variant: ButtonVariant, small: boolean | undefined): string {
  return `button button--${variant}${small ? ' button--small' : ''}`;
}

export interface ButtonProps {
  variant?: ButtonVariant;
  type?: 'submit' | 'button' | 'reset';
  small?: boolean;
  name?: string;
  value?: string;
  disabled?: boolean;
  children: Children;
}

export function Button(props: ButtonProps): JSX.Element {
  return (
    <button
      type={props.type ?? 'submit'}
      class={buttonClass(props.variant ?? 'primary', props.small)}
      name={props.name}
      value={props.value}
      disabled={props.disabled}
    >
      {props.children}
    </button>
  );
}

export interface LinkButtonProps {
  href: string;
  variant?: ButtonVariant;
  small?: boolean;
  children: Children;
}

export function LinkButton(props: LinkButtonProps): JSX.Element {
  return (
    <a class={buttonClass(props.variant ?? 'primary', props.small)} href={props.href}>
      {props.children}
    </a>
  );
}

export interface FieldProps {
  label: string;
  name: string;
  type?: 'text' | 'email' | 'password' | 'search' | 'url' | 'number' | 'tel';
  value?: string | undefined;
  /** shown under the field and linked with aria-describedby; marks the field invalid */
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
}

/** A labelled input with its hint and error wired up for screen readers. */
export function Field(props: FieldProps): JSX.Element {
  const id = `field-${props.name}`;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.error ? 'field field--invalid' : 'field'}>
      <label class="field__label" for={id} safe>
        {props.label}
      </label>
      {props.hint ? (
        <p class="field__hint" id={hintId} safe>
          {props.hint}
        </p>
      ) : (
        ''
      )}
      <input
        class="field__input"
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        autocomplete={props.autocomplete}
        placeholder={props.placeholder}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {props.error ? (
        <p class="field__error" id={errorId} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

export type NoticeTone = 'info' | 'success' | 'warning' | 'error';

export interface NoticeProps {
  tone?: NoticeTone;
  title?: string;
  children?: Children;
}

/** Errors and warnings interrupt (role=alert); information waits its turn (role=status). */
export function Notice(props: NoticeProps): JSX.Element {
  const tone = props.tone ?? 'info';
  const role = tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return (
    <div class={`notice notice--${tone}`} role={role}>
      {props.title ? (
        <p class="notice__title" safe>
          {props.title}
        </p>
      ) : (
        ''
      )}
      {given(props.children) ? <div class="notice__body">{props.children}</div> : ''}
    </div>
  );
}

export interface EmptyStateProps {
  title: string;
  /** heading level, so the empty state fits the outline of the page around it */
  level?: 2 | 3;
  action?: Children;
  children?: Children;
}

export function EmptyState(props: EmptyStateProps): JSX.Element {
  const heading =
    props.level === 2 ? (
      <h2 class="empty-state__title" safe>
        {props.title}
      </h2>
    ) : (
      <h3 class="empty-state__title" safe>
        {props.title}
      </h3>
    );
  return (
    <div class="empty-state">
      <svg class="empty-state__art" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
        <rect x="10" y="14" width="44" height="36" rx="6" />
        <path d="M10 40l12-10 10 8 8-6 14 10" />
        <circle cx="42" cy="25" r="4" />
      </svg>
      {heading}
      {given(props.children) ? <div class="empty-state__body">{props.children}</div> : ''}
      {given(props.action) ? <div class="empty-state__action">{props.action}</div> : ''}
    </div>
  );
}

export interface PageHeaderProps {
  title: string;
  eyebrow?: string;
  lead?: string;
  actions?: Children;
}

export function PageHeader(props: PageHeaderProps): JSX.Element {
  return (
    <header class="page-header">
      {props.eyebrow ? (
        <p class="eyebrow" safe>
          {props.eyebrow}
        </p>
      ) : (
        ''
      )}
      <h1 class="page-header__title" safe>
        {props.title}
      </h1>
      {props.lead ? (
        <p class="page-header__lead" safe>
          {props.lead}
        </p>
      ) : (
        ''
      )}
      {given(props.actions) ? <div class="page-header__actions">{props.actions}</div> : ''}
    </header>
  );
}
