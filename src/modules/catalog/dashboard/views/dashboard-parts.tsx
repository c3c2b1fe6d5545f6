// Pieces every dashboard page shares: the page frame (which brings dashboard.js), labelled
// fields whose hints and errors are wired with aria-describedby, the error summary, the step
// indicator of the wizards, status badges and the fixed flash messages. Text props are escaped
// here (`safe`); `children` is markup built by the caller.
import type { Children } from '@kitajs/html';
import type { FieldErrors } from '../../../../platform/errors.js';
import { assetUrl } from '../../../../platform/http/static-assets.js';
import { Notice } from '../../../../platform/views/components.js';

// `autofocus` is a global attribute; htmx focuses it in swapped content.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface HtmlTag {
      autofocus?: undefined | boolean;
    }
  }
}

export function CsrfField(props: { token: string }): JSX.Element {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** Whether optional markup was given; not a type guard, so `Children` keeps its alias. */
function given(value: Children | undefined): boolean {
  return value !== undefined && value !== null && value !== false && value !== '';
}

export const fieldId = (name: string): string => `field-${name}`;

export interface DashboardShellProps {
  title: string;
  lead?: string | undefined;
  /** a link back up, e.g. to the dashboard from an editor */
  back?: { href: string; label: string } | undefined;
  flash?: string | undefined;
  actions?: Children;
  children: Children;
}

export function DashboardShell(props: DashboardShellProps): JSX.Element {
  return (
    <div class="wrap dashboard">
      <script src={assetUrl('listbox-popup.js')} defer></script>
      <script src={assetUrl('dashboard.js')} defer></script>
      <header class="dashboard__header">
        {props.back ? (
          <p class="dashboard__back">
            <a href={props.back.href} safe>
              {`← ${props.back.label}`}
            </a>
          </p>
        ) : (
          <p class="eyebrow">Dashboard</p>
        )}
        <h1 class="dashboard__title" id="page-title" tabindex="-1" safe>
          {props.title}
        </h1>
        {props.lead ? (
          <p class="dashboard__lead" safe>
            {props.lead}
          </p>
        ) : (
          ''
        )}
        {given(props.actions) ? <div class="dashboard__actions">{props.actions}</div> : ''}
      </header>
      {props.flash ? <Notice tone="success" title={props.flash} /> : ''}
      {props.children}
    </div>
  );
}

interface FieldBase {
  label: string;
  name: string;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
  /** a different id than field-<name>, for fields that repeat */
  id?: string;
}

function describedBy(id: string, props: FieldBase & { prefix?: string | undefined }) {
  const ids = [
    props.prefix ? `${id}-prefix` : '',
    props.hint ? `${id}-hint` : '',
    props.error ? `${id}-error` : '',
  ];
  return ids.filter(Boolean).join(' ') || undefined;
}

function FieldFrame(props: FieldBase & { id: string; children: Children }): JSX.Element {
  return (
    <div class={props.error ? 'field field--invalid' : 'field'}>
      <label class="field__label" for={props.id}>
        <span safe>{props.label}</span>
        {props.required ? '' : <span class="field__optional"> (optional)</span>}
      </label>
      {props.hint ? (
        <p class="field__hint" id={`${props.id}-hint`} safe>
          {props.hint}
        </p>
      ) : (
        ''
      )}
      {props.children}
      {props.error ? (
        <p class="field__error" id={`${props.id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
    </div>
  );
}

export interface TextFieldProps extends FieldBase {
  type?: 'text' | 'url' | 'date';
  inputmode?: 'decimal' | 'numeric';
  maxlength?: number;
  /** identifiers: no spellcheck, no capitalised first letter on phones */
  verbatim?: boolean;
  autocomplete?: string;
  prefix?: string | undefined;
}

export function TextField(props: TextFieldProps): JSX.Element {
  const id = props.id ?? fieldId(props.name);
  const input = (
    <input
      class="field__input"
      id={id}
      name={props.name}
      type={props.type ?? 'text'}
      value={props.value}
      required={props.required}
      maxlength={props.maxlength}
      inputmode={props.inputmode}
      autocomplete={props.autocomplete ?? 'off'}
      spellcheck={props.verbatim ? 'false' : undefined}
      autocapitalize={props.verbatim ? 'none' : undefined}
      aria-invalid={props.error ? 'true' : undefined}
      aria-describedby={describedBy(id, props)}
    />
  );
  return (
    <FieldFrame {...props} id={id}>
      {props.prefix ? (
        <div class={props.prefix.length > 12 ? 'field__affix field__affix--long' : 'field__affix'}>
          <span class="field__prefix" id={`${id}-prefix`} safe>
            {props.prefix}
          </span>
          {input}
        </div>
      ) : (
        input
      )}
    </FieldFrame>
  );
}

export function TextArea(props: FieldBase & { rows?: number }): JSX.Element {
  const id = props.id ?? fieldId(props.name);
  return (
    <FieldFrame {...props} id={id}>
      <textarea
        class="field__input field__input--area"
        id={id}
        name={props.name}
        rows={String(props.rows ?? 6)}
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={describedBy(id, props)}
        safe
      >
        {props.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

export interface FormProblemProps {
  errors: FieldErrors;
  /** the form's fields and their labels: each error names and links to its field */
  labels: Readonly<Record<string, string>>;
  focus?: boolean;
  title?: string;
}

/** What went wrong, at the top of the form; it takes focus on arrival, which announces it. */
export function FormProblem(props: FormProblemProps): JSX.Element {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return <></>;
  return (
    <div
      class="form-problem"
      id="form-problem"
      tabindex="-1"
      autofocus={props.focus}
      aria-labelledby="form-problem-title"
    >
      <p class="form-problem__title" id="form-problem-title" safe>
        {props.title ?? 'Check the highlighted fields'}
      </p>
      <ul class="form-problem__list">
        {entries.map(([field, message]) => {
          const label = props.labels[field];
          return label ? (
            <li>
              <a href={`#${fieldId(field)}`}>
                <span class="form-problem__field" safe>{`${label}:`}</span>{' '}
                <span safe>{message}</span>
              </a>
            </li>
          ) : (
            <li safe>{message}</li>
          );
        })}
      </ul>
    </div>
  );
}

export interface Step {
  id: string;
  label: string;
}

/** The wizard's steps; the current one carries aria-current="step". */
export function StepIndicator(props: { steps: readonly Step[]; current: string; label: string }) {
  const currentIndex = props.steps.findIndex((step) => step.id === props.current);
  return (
    <ol class="steps" aria-label={props.label}>
      {props.steps.map((step, index) => {
        const state = index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'todo';
        return (
          <li
            class={`steps__item steps__item--${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span class="steps__marker" aria-hidden="true" safe>
              {state === 'done' ? '✓' : String(index + 1)}
            </span>
            <span class="steps__label" safe>
              {step.label}
            </span>
            {state === 'done' ? <span class="visually-hidden"> (done)</span> : ''}
          </li>
        );
      })}
    </ol>
  );
}

const STATUS_LABEL = { draft: 'Draft', published: 'Published', unlisted: 'Unlisted' } as const;
export type ItemStatusName = keyof typeof STATUS_LABEL;

export function StatusBadge(props: { status: ItemStatusName }): JSX.Element {
  return (
    <span class={`badge status-badge status-badge--${props.status}`}>
      {STATUS_LABEL[props.status]}
    </span>
  );
}

/** Messages after a redirect, chosen by a fixed key: nothing from the URL is ever shown. */
export const FLASH = {
  project_created: 'Project created.',
  project_saved: 'Project saved.',
  project_deleted: 'Project deleted.',
  item_created: 'Draft created. Add what is missing, preview it, then publish.',
  item_saved: 'Item saved.',
  item_deleted: 'Item deleted.',
  item_published: 'Published: everyone can see it now.',
  item_unlisted: 'Unlisted: only people with the link can see it.',
  item_unpublished: 'Back to draft: only you can see it.',
  versions_saved: 'Versions saved.',
  chapters_saved: 'Chapters saved.',
  bundle_saved: 'Bundle contents saved.',
  profile_saved: 'Profile saved.',
} as const;

export type FlashKey = keyof typeof FLASH;

function isFlashKey(raw: unknown): raw is FlashKey {
  return typeof raw === 'string' && Object.hasOwn(FLASH, raw);
}

export function flashFor(raw: unknown): string | undefined {
  return isFlashKey(raw) ? FLASH[raw] : undefined;
}
