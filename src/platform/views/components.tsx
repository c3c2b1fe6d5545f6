// Small shared pieces of markup. Text props are escaped here (`safe`), so callers may pass user
// values as props; `children` is trusted markup built with JSX by the caller.
import type { Children } from '@kitajs/html';
import { given } from './markup.js';

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

// The form kit is in forms.tsx; its older `Field` name stays here for the pages that still import it.
export { Field } from './forms.js';

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

/** The message after a redirect ("Saved."), announced politely; nothing without one. */
export function Flash(props: { message: string | undefined }): JSX.Element {
  return props.message ? <Notice tone="success" title={props.message} /> : <></>;
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
  /** a link back up (to the project from its membership page), shown instead of the eyebrow */
  back?: { href: string; label: string } | undefined;
  lead?: string | undefined;
  actions?: Children;
  /** extra classes on the header, e.g. the dashboard's compact variant */
  class?: string;
  /** an id for the title, which then takes focus from script (tabindex -1) */
  titleId?: string;
}

function Eyebrow(props: Pick<PageHeaderProps, 'eyebrow' | 'back'>): JSX.Element {
  if (props.back) {
    return (
      <p class="page-header__back">
        <a href={props.back.href} safe>
          {`← ${props.back.label}`}
        </a>
      </p>
    );
  }
  return props.eyebrow ? (
    <p class="eyebrow" safe>
      {props.eyebrow}
    </p>
  ) : (
    <></>
  );
}

export function PageHeader(props: PageHeaderProps): JSX.Element {
  return (
    <header class={props.class ? `page-header ${props.class}` : 'page-header'}>
      <Eyebrow eyebrow={props.eyebrow} back={props.back} />
      <h1
        class="page-header__title"
        id={props.titleId}
        tabindex={props.titleId ? '-1' : undefined}
        safe
      >
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
