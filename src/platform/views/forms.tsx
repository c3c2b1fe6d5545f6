// The one form kit: labelled fields whose hints and errors are announced with them
// (aria-describedby, aria-invalid), groups of radios or checkboxes under a legend, the CSRF
// field, the error summary that takes focus, and the flash message after a redirect. Text props
// are escaped here (`safe`); `children` and `after` are markup built by the caller.
import type { Children } from '@kitajs/html';
import type { FieldErrors } from '../errors.js';
import { given } from './markup.js';

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

/** The id of a field's input; the error summary links to it. */
export const fieldId = (name: string): string => `field-${name}`;

/** The ids that describe a control, in reading order; undefined when there are none. */
export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  return ids.filter(Boolean).join(' ') || undefined;
}

export function FieldHint(props: { id?: string | undefined; hint: string | undefined }) {
  return props.hint ? (
    <p class="field__hint" id={props.id} safe>
      {props.hint}
    </p>
  ) : (
    <></>
  );
}

/** A field's or a group's error; `id` is what aria-describedby points at. */
export function FieldError(props: { id: string; error: string | undefined }) {
  return props.error ? (
    <p class="field__error" id={props.id} safe>
      {props.error}
    </p>
  ) : (
    <></>
  );
}

export interface FieldProps {
  label: string;
  name: string;
  /** a different id than field-<name>, for fields that repeat */
  id?: string;
  value?: string | undefined;
  /** shown under the field and linked with aria-describedby; marks the field invalid */
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
  /**
   * say "(optional)" after the label of a field that is not required (the default); off for
   * fields whose label already says when they are needed
   */
  markOptional?: boolean;
  /** markup placed after the field (and so after it in tab order), e.g. "Forgot your password?" */
  after?: Children;
}

function FieldFrame(props: FieldProps & { id: string; children: Children }): JSX.Element {
  const optional = props.markOptional !== false && !props.required;
  return (
    <div class={props.error ? 'field field--invalid' : 'field'}>
      {optional ? (
        <label class="field__label" for={props.id}>
          <span safe>{props.label}</span>
          <span class="field__optional"> (optional)</span>
        </label>
      ) : (
        <label class="field__label" for={props.id} safe>
          {props.label}
        </label>
      )}
      <FieldHint id={`${props.id}-hint`} hint={props.hint} />
      {props.children}
      <FieldError id={`${props.id}-error`} error={props.error} />
      {given(props.after) ? <div class="field__after">{props.after}</div> : ''}
    </div>
  );
}

const ariaOf = (id: string, props: FieldProps & { prefix?: string | undefined }) => ({
  'aria-invalid': props.error ? 'true' : undefined,
  'aria-describedby': describedBy(
    props.prefix && `${id}-prefix`,
    props.hint && `${id}-hint`,
    props.error && `${id}-error`,
  ),
});

export interface TextFieldProps extends FieldProps {
  type?: 'text' | 'email' | 'password' | 'search' | 'url' | 'number' | 'tel' | 'date';
  /** "off" unless given: fields that people's details belong in name their token */
  autocomplete?: string;
  placeholder?: string;
  inputmode?: 'decimal' | 'numeric';
  minlength?: number;
  maxlength?: number;
  /** identifiers: no spellcheck, no capitalised first letter on phones */
  verbatim?: boolean;
  /** fixed text shown before the input, e.g. the address a handle becomes part of */
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
      minlength={props.minlength}
      maxlength={props.maxlength}
      inputmode={props.inputmode}
      autocomplete={props.autocomplete ?? 'off'}
      placeholder={props.placeholder}
      spellcheck={props.verbatim ? 'false' : undefined}
      autocapitalize={props.verbatim ? 'none' : undefined}
      {...ariaOf(id, props)}
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

/**
 * A text field under the name pages used before the kit: optional fields are not marked (their
 * labels say so themselves). New pages use TextField.
 */
export function Field(props: TextFieldProps): JSX.Element {
  return <TextField {...props} markOptional={false} />;
}

export function TextArea(props: FieldProps & { rows?: number; maxlength?: number }): JSX.Element {
  const id = props.id ?? fieldId(props.name);
  return (
    <FieldFrame {...props} id={id}>
      <textarea
        class="field__input field__input--area"
        id={id}
        name={props.name}
        rows={String(props.rows ?? 6)}
        maxlength={props.maxlength}
        required={props.required}
        {...ariaOf(id, props)}
        safe
      >
        {props.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

/** A select always has a value, so it is never marked optional. */
export function SelectField(
  props: Omit<FieldProps, 'markOptional'> & { options: readonly SelectOption[] },
): JSX.Element {
  const id = props.id ?? fieldId(props.name);
  return (
    <FieldFrame {...props} id={id} markOptional={false}>
      <select class="field__input" id={id} name={props.name} {...ariaOf(id, props)}>
        {props.options.map((option) => (
          <option value={option.value} selected={option.value === props.value} safe>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export interface ChoiceGroupProps {
  legend: string;
  /** the field name its error is filed under: the error is `field-<name>-error` */
  name: string;
  /** the fieldset's own id, an anchor for error links that land on the group */
  id?: string | undefined;
  /** extra classes beside `choice-group` */
  class?: string | undefined;
  hint?: string | undefined;
  error?: string | undefined;
  children: Children;
}

/** Radios or checkboxes under one legend; its hint and error describe the whole group. */
export function ChoiceGroup(props: ChoiceGroupProps): JSX.Element {
  const base = fieldId(props.name);
  return (
    <fieldset
      class={props.class ? `choice-group ${props.class}` : 'choice-group'}
      id={props.id}
      aria-describedby={describedBy(props.hint && `${base}-hint`, props.error && `${base}-error`)}
    >
      <legend class="field__label" safe>
        {props.legend}
      </legend>
      <FieldHint id={`${base}-hint`} hint={props.hint} />
      <FieldError id={`${base}-error`} error={props.error} />
      {props.children}
    </fieldset>
  );
}

export interface FormProblemProps {
  /** the summary's heading; "Check the highlighted fields" when there are field errors */
  title?: string | undefined;
  /** field errors by field name; each becomes a link to its field */
  errors?: FieldErrors | undefined;
  /** the form's fields and their labels: each error names and links to its field */
  labels?: Readonly<Record<string, string>>;
  /** takes focus when it appears, so keyboard and screen-reader users land on it */
  focus?: boolean;
  children?: Children;
}

/**
 * What went wrong with the last submission, at the top of the form; nothing when nothing did.
 * It takes focus on arrival (a page load or an htmx swap), which announces it; a live region
 * would announce it twice.
 */
export function FormProblem(props: FormProblemProps): JSX.Element {
  const entries = Object.entries(props.errors ?? {});
  if (entries.length === 0 && props.title === undefined && !given(props.children)) return <></>;
  const labels = props.labels ?? {};
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

/**
 * Reads the `?done=` key of a redirect as one of a fixed set of messages: nothing from the URL
 * is ever shown, so a link cannot put words in our mouth.
 */
export function flashReader(
  messages: Readonly<Record<string, string>>,
): (raw: unknown) => string | undefined {
  return (raw) =>
    typeof raw === 'string' && Object.hasOwn(messages, raw) ? messages[raw] : undefined;
}
