// The pieces every sign-up, sign-in and recovery form shares: the card they sit on, labelled
// fields with hints and errors wired for screen readers, an error summary that takes focus, and
// the CSRF field. Text props are escaped here; `children` is markup built by the caller.
import type { Children } from '@kitajs/html';
import type { FieldErrors } from '../../../platform/errors.js';

// `autofocus` is a global attribute (HTML §6.6.7): any focusable element may carry it, and htmx
// focuses it in swapped content. Kita's types only list it on form controls.
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

export interface AuthCardProps {
  /** the id of the heading that names the section */
  labelledBy: string;
  /** the section's own id: the join wizard swaps `#join` in place */
  id?: string;
  wide?: boolean;
  children: Children;
}

/** A warm backdrop with one card in the middle: the frame of every page in this family. */
export function AuthCard(props: AuthCardProps): JSX.Element {
  return (
    <section class="auth" id={props.id} aria-labelledby={props.labelledBy}>
      <div class={props.wide ? 'auth__card auth__card--wide' : 'auth__card'}>{props.children}</div>
    </section>
  );
}

export interface AuthHeadingProps {
  id: string;
  title: string;
  /** a line above the title, read as part of it ("Step 2 of 4") */
  eyebrow?: string | undefined;
  /**
   * htmx focuses `[autofocus]` in swapped content: a heading that is focused after a swap is
   * what a screen reader announces as the new step.
   */
  focus?: boolean;
}

export function AuthHeading(props: AuthHeadingProps): JSX.Element {
  return (
    <h1 class="auth__title" id={props.id} tabindex="-1" autofocus={props.focus}>
      {props.eyebrow ? (
        <>
          <span class="auth__eyebrow" safe>
            {props.eyebrow}
          </span>{' '}
        </>
      ) : (
        ''
      )}
      <span safe>{props.title}</span>
    </h1>
  );
}

export interface AuthFieldProps {
  label: string;
  name: string;
  type?: 'text' | 'email' | 'password';
  value?: string | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  /** fixed text shown before the input, e.g. the address a handle becomes part of */
  prefix?: string | undefined;
  minlength?: number;
  maxlength?: number;
  /** identifiers: no spellcheck, no capitalised first letter on phones */
  verbatim?: boolean;
  /** a link placed after the input (and so after it in tab order), e.g. "Forgot your password?" */
  after?: Children;
}

/**
 * Whether optional markup was given. Not a type guard on purpose (as in platform/views): a
 * narrowed `Children` loses the alias that tells the XSS scanner the value is markup.
 */
function given(value: Children | undefined): boolean {
  return value !== undefined && value !== null && value !== false && value !== '';
}

export function fieldId(name: string): string {
  return `field-${name}`;
}

/** A labelled input whose hint and error are announced with it (aria-describedby). */
export function AuthField(props: AuthFieldProps): JSX.Element {
  const id = fieldId(props.name);
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const prefixId = props.prefix ? `${id}-prefix` : undefined;
  const describedBy = [prefixId, hintId, errorId].filter(Boolean).join(' ') || undefined;
  const input = (
    <input
      class="field__input"
      id={id}
      name={props.name}
      type={props.type ?? 'text'}
      value={props.value}
      required={props.required}
      autocomplete={props.autocomplete}
      minlength={props.minlength}
      maxlength={props.maxlength}
      spellcheck={props.verbatim ? 'false' : undefined}
      autocapitalize={props.verbatim ? 'none' : undefined}
      aria-invalid={props.error ? 'true' : undefined}
      aria-describedby={describedBy}
    />
  );
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
      {props.prefix ? (
        <div class="field__affix">
          <span class="field__prefix" id={prefixId} safe>
            {props.prefix}
          </span>
          {input}
        </div>
      ) : (
        input
      )}
      {props.error ? (
        <p class="field__error" id={errorId} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      {given(props.after) ? <div class="field__after">{props.after}</div> : ''}
    </div>
  );
}

export interface FormProblemProps {
  title: string;
  /** field errors by field name; each becomes a link to its field */
  errors?: FieldErrors | undefined;
  /** the form's fields and their labels: each error names and links to its field */
  fields?: Readonly<Record<string, string>>;
  /** takes focus when it appears, so keyboard and screen-reader users land on it */
  focus?: boolean;
  children?: Children;
}

/**
 * What went wrong with the last submission, at the top of the form. It takes focus on arrival
 * (a page load or an htmx swap), which announces it; a live region would announce it twice.
 */
export function FormProblem(props: FormProblemProps): JSX.Element {
  const entries = Object.entries(props.errors ?? {});
  const labels = props.fields ?? {};
  return (
    <div
      class="form-problem"
      id="form-problem"
      tabindex="-1"
      autofocus={props.focus}
      aria-labelledby="form-problem-title"
    >
      <p class="form-problem__title" id="form-problem-title" safe>
        {props.title}
      </p>
      {entries.length > 0 ? (
        <ul class="form-problem__list">
          {entries.map(([field, message]) => {
            const label = labels[field];
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
      ) : (
        ''
      )}
      {props.children ?? ''}
    </div>
  );
}

/** Seconds until a limit resets, as people say it. */
export function waitPhrase(seconds: number | undefined): string {
  if (seconds === undefined || seconds < 90) return 'in a minute or two';
  return `in about ${Math.ceil(seconds / 60)} minutes`;
}
