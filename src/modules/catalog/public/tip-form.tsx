// The tip form of creator and project pages (and of /tip/<handle> when it is sent back with
// errors): preset amounts as radio buttons plus "Other amount", an optional message and, for
// guests, an email. It posts to /tip/<handle>, which sends the fan to the processor's page.
import type { FieldErrors } from '../../../platform/errors.js';
import { Button } from '../../../platform/views/components.js';
import { amountExample, formatPrice } from '../../../platform/money/index.js';
import { TextArea, TextField } from '../../../platform/views/forms.js';

/**
 * Preset tips and the smallest tip, in minor units of the creator's currency: $3, $5, $10 and
 * $1 in two-decimal currencies, ¥300, ¥500, ¥1,000 and ¥100 in yen. Each radio button posts its
 * amount in minor units, so what it says is what is charged.
 */
export const TIP_PRESETS = [300, 500, 1000] as const;
export const TIP_MINIMUM = 100;

export interface TipFormValues {
  preset?: string | undefined;
  other?: string | undefined;
  message?: string | undefined;
  email?: string | undefined;
}

export interface TipFormProps {
  handle: string;
  displayName: string;
  currency: string;
  projectId?: string | undefined;
  signedIn: boolean;
  csrfToken: string;
  values?: TipFormValues;
  errors?: FieldErrors;
}

export function TipForm(props: TipFormProps): JSX.Element {
  const values = props.values ?? {};
  const errors = props.errors ?? {};
  const preset = values.preset ?? String(TIP_PRESETS[1]);
  const amountError = errors.amount;
  const messageError = errors.message;
  return (
    <section class="tip-box" id="tip" aria-labelledby="tip-title">
      <h2 class="tip-box__title" id="tip-title" safe>
        {`Tip ${props.displayName}`}
      </h2>
      <form method="post" action={`/tip/${props.handle}`} class="stack tip-form" novalidate>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        {props.projectId ? <input type="hidden" name="project_id" value={props.projectId} /> : ''}
        <fieldset
          class="choice-group"
          aria-describedby={amountError ? 'field-other-error' : undefined}
        >
          <legend class="field__label">Amount</legend>
          <div class="choice-cards choice-cards--compact">
            {TIP_PRESETS.map((minor) => (
              <label class="choice-card">
                <input
                  type="radio"
                  name="preset"
                  value={String(minor)}
                  checked={preset === String(minor)}
                />
                <span class="choice-card__label" safe>
                  {formatPrice(minor, props.currency)}
                </span>
              </label>
            ))}
            <label class="choice-card">
              <input type="radio" name="preset" value="other" checked={preset === 'other'} />
              <span class="choice-card__label">Other amount</span>
            </label>
          </div>
        </fieldset>
        <TextField
          label={`Other amount in ${props.currency}`}
          name="other"
          value={values.other}
          hint={`With “Other amount”: at least ${formatPrice(TIP_MINIMUM, props.currency)}, like ${amountExample(props.currency)}.`}
          error={amountError}
          markOptional={false}
        />
        <TextArea
          label="Message"
          name="message"
          value={values.message}
          hint="Up to 500 characters. Only the creator sees it."
          error={messageError}
          rows={3}
          maxlength={500}
        />
        {props.signedIn ? (
          ''
        ) : (
          <TextField
            label="Your email"
            name="email"
            type="email"
            autocomplete="email"
            value={values.email}
            hint="Your receipt goes to this address."
            error={errors.email}
            required
          />
        )}
        <Button type="submit" variant="primary">
          Continue to payment
        </Button>
      </form>
    </section>
  );
}

/** The tip form's props for a creator's page, or undefined when they do not take tips. */
export function tipFormProps(
  creator: { handle: string; displayName: string; currency: string; tipsEnabled: boolean },
  viewer: { signedIn: boolean; csrfToken: string },
  projectId?: string,
): TipFormProps | undefined {
  if (!creator.tipsEnabled) return undefined;
  return {
    handle: creator.handle,
    displayName: creator.displayName,
    currency: creator.currency.trim(),
    projectId,
    ...viewer,
  };
}
