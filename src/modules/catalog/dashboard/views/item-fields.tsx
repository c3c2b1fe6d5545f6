// The item fields both the wizard and the editor use: type cards, details, price and AI
// disclosure (tags are in tag-picker.tsx). Radio groups are the form kit's ChoiceGroup; each
// group's error is linked to its inputs with aria-describedby. What shows for which choice is CSS (:has), no script needed.
import type { FieldErrors } from '../../../../platform/errors.js';
import { amountExample } from '../../../../platform/money/index.js';
import type { ItemValues } from '../item-form.js';
import { AI_TIERS, PRICE_MODELS, TYPE_CHOICES } from './dashboard-labels.js';
import { ChoiceGroup, fieldId, TextArea, TextField } from '../../../../platform/views/forms.js';

interface ChoiceProps {
  name: string;
  value: string;
  checked: boolean;
  label: string;
  explanation: string;
  /** the first radio carries the group's id, so error links land on the group */
  first: boolean;
  invalid: boolean;
}

function ChoiceCard(props: ChoiceProps) {
  const id = props.first ? fieldId(props.name) : `${fieldId(props.name)}-${props.value}`;
  // Not derived from `id`: the first radio's id is the group's, which another value could extend.
  const explanationId = `choice-${props.name}-${props.value}-explanation`;
  return (
    <label class="choice-card" for={id}>
      <input
        type="radio"
        id={id}
        name={props.name}
        value={props.value}
        checked={props.checked}
        aria-invalid={props.invalid ? 'true' : undefined}
        aria-describedby={`${explanationId}${props.invalid ? ` ${fieldId(props.name)}-error` : ''}`}
      />
      <span class="choice-card__label" safe>
        {props.label}
      </span>
      <span class="choice-card__text" id={explanationId} safe>
        {props.explanation}
      </span>
    </label>
  );
}

export function TypeChoice(props: { value: string; error: string | undefined }) {
  return (
    <ChoiceGroup
      legend="What are you making?"
      name="type"
      hint="The type decides how fans get it: played, read, downloaded. It cannot change later."
      error={props.error}
    >
      <div class="choice-cards">
        {TYPE_CHOICES.map((choice, index) => (
          <ChoiceCard
            name="type"
            value={choice.type}
            checked={props.value === choice.type}
            label={choice.label}
            explanation={choice.explanation}
            first={index === 0}
            invalid={props.error !== undefined}
          />
        ))}
      </div>
    </ChoiceGroup>
  );
}

export function DetailFields(props: { values: ItemValues; errors: FieldErrors }) {
  const { values, errors } = props;
  return (
    <>
      <TextField
        label="Title"
        name="title"
        value={values.title}
        error={errors.title}
        maxlength={200}
        required
      />
      <TextArea
        label="Description"
        name="description"
        value={values.description}
        error={errors.description}
        hint="Markdown. Shown on the item’s page and in search."
        rows={6}
      />
      {values.type === 'text' ? (
        <>
          <TextArea
            label="Text"
            name="body"
            value={values.body}
            error={errors.body}
            hint="Markdown. What fans read on the page; required before publishing. For a paid or members-only text, put <!-- paywall --> on a line of its own where the free part ends; without it, those who have not paid see the first paragraphs."
            rows={16}
          />
          <p class="field__tools" hidden data-needs-js>
            <button
              type="button"
              class="button button--secondary button--small"
              data-insert-paywall={fieldId('body')}
            >
              Insert the paywall divider here
            </button>
            <span
              class="visually-hidden"
              id={`${fieldId('body')}-paywall-status`}
              role="status"
            ></span>
          </p>
        </>
      ) : (
        ''
      )}
    </>
  );
}

export function PriceFields(props: { values: ItemValues; errors: FieldErrors; currency: string }) {
  const { values, errors } = props;
  return (
    <ChoiceGroup
      legend="Price"
      name="price_model"
      id="price"
      class="price-fields"
      hint={`Amounts in ${props.currency}, like ${amountExample(props.currency)}.`}
      error={errors.price_model}
    >
      <div class="choice-cards choice-cards--compact">
        {PRICE_MODELS.map((model, index) => (
          <ChoiceCard
            name="price_model"
            value={model.model}
            checked={values.price_model === model.model}
            label={model.label}
            explanation={model.explanation}
            first={index === 0}
            invalid={errors.price_model !== undefined}
          />
        ))}
      </div>
      <div class="price-fields__amounts">
        <div class="price-fields__fixed">
          <TextField
            label={`Price in ${props.currency} (fixed price)`}
            name="price_amount"
            value={values.price_amount}
            error={errors.price_amount}
            required
            inputmode="decimal"
            prefix={props.currency}
          />
        </div>
        <div class="price-fields__pwyw">
          <TextField
            label={`Minimum in ${props.currency} (pay what you want)`}
            name="price_minimum"
            value={values.price_minimum}
            error={errors.price_minimum}
            required
            hint="0 lets fans take it for free."
            inputmode="decimal"
            prefix={props.currency}
          />
          <TextField
            label={`Suggested amount in ${props.currency}`}
            name="price_suggested"
            value={values.price_suggested}
            error={errors.price_suggested}
            inputmode="decimal"
            prefix={props.currency}
          />
        </div>
      </div>
    </ChoiceGroup>
  );
}

export function AiFields(props: { values: ItemValues; errors: FieldErrors }) {
  const { values, errors } = props;
  return (
    <ChoiceGroup
      legend="AI disclosure"
      name="ai_tier"
      id="ai"
      class="ai-fields"
      hint="Required before publishing. Shown as a badge beside the work."
      error={errors.ai_tier}
    >
      <div class="choice-cards choice-cards--compact">
        {AI_TIERS.map((tier, index) => (
          <ChoiceCard
            name="ai_tier"
            value={tier.tier}
            checked={values.ai_tier === tier.tier}
            label={tier.label}
            explanation={tier.explanation}
            first={index === 0}
            invalid={errors.ai_tier !== undefined}
          />
        ))}
      </div>
      <div class="ai-fields__statement">
        <TextArea
          label="How AI assisted (for AI-assisted work)"
          name="ai_statement"
          value={values.ai_statement}
          error={errors.ai_statement}
          hint="One or two sentences, e.g. “Stems separated with an AI tool; everything else played by hand.”"
          rows={3}
        />
      </div>
    </ChoiceGroup>
  );
}
