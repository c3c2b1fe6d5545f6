// The frame of both creation wizards: the step indicator, the step's heading (focused after an
// htmx swap, so a screen reader announces the new step), the error summary, and one form that
// carries every earlier and later step's values in hidden fields. Each step is one POST to the
// same URL; the pressed button (`go`: next, back, skip, create) says where to go. Without
// JavaScript every POST answers with the next step's page; with htmx the section is swapped.
import type { Children } from '@kitajs/html';
import type { FieldErrors } from '../../../../platform/errors.js';
import { StepIndicator, type Step } from './dashboard-parts.js';
import { CsrfField, FormProblem } from '../../../../platform/views/forms.js';

export type WizardFocus = 'none' | 'heading' | 'problem';

export interface WizardFrameProps {
  steps: readonly Step[];
  current: string;
  /** what the wizard makes, for the indicator's label: "Steps to create a project" */
  making: string;
  action: string;
  csrfToken: string;
  focus: WizardFocus;
  errors: FieldErrors;
  labels: Readonly<Record<string, string>>;
  /** values of the other steps */
  hidden: Readonly<Record<string, string | readonly string[]>>;
  /** false on the first step */
  canGoBack: boolean;
  /** the main button's label: "Continue" or "Create draft" */
  submitLabel: string;
  /** value of the main button */
  submitGo?: 'next' | 'create';
  /** extra buttons after the main one (e.g. "Skip this step") */
  extraActions?: Children;
  /** markup after the form, e.g. an upload form its fields point to with form="…" */
  after?: Children;
  children: Children;
}

function HiddenFields(props: { values: WizardFrameProps['hidden'] }) {
  return (
    <>
      {Object.entries(props.values).flatMap(([name, value]) =>
        (typeof value === 'string' ? [value] : value).map((v) => (
          <input type="hidden" name={name} value={v} />
        )),
      )}
    </>
  );
}

export function WizardFrame(props: WizardFrameProps): JSX.Element {
  const index = props.steps.findIndex((step) => step.id === props.current);
  const step = props.steps[index];
  const headingId = 'wizard-step-title';
  return (
    <section class="wizard" id="wizard" aria-labelledby={headingId}>
      <StepIndicator steps={props.steps} current={props.current} label={props.making} />
      <h2 class="wizard__title" id={headingId} tabindex="-1" autofocus={props.focus === 'heading'}>
        <span class="wizard__count" safe>{`Step ${index + 1} of ${props.steps.length}: `}</span>
        <span safe>{step?.label ?? ''}</span>
      </h2>
      <FormProblem errors={props.errors} labels={props.labels} focus={props.focus === 'problem'} />
      <form
        method="post"
        action={props.action}
        class="wizard__form"
        id="wizard-form"
        hx-post={props.action}
        hx-target="#wizard"
        hx-swap="outerHTML"
        hx-disable="findAll .wizard__actions button"
        novalidate
      >
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="step" value={props.current} />
        <HiddenFields values={props.hidden} />
        {props.children}
        <div class="wizard__actions">
          {/* The main button comes first, so Enter in a field means "Continue", not "Back". */}
          <button
            type="submit"
            class="button button--primary"
            name="go"
            value={props.submitGo ?? 'next'}
            safe
          >
            {props.submitLabel}
          </button>
          {props.extraActions ?? ''}
          {props.canGoBack ? (
            <button
              type="submit"
              class="button button--secondary"
              name="go"
              value="back"
              formnovalidate
            >
              Back
            </button>
          ) : (
            ''
          )}
        </div>
      </form>
      {props.after ?? ''}
    </section>
  );
}
