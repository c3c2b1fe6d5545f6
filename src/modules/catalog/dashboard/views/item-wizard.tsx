// /dashboard/projects/:id/items/new: type, details, price + AI disclosure + tags, review. The
// item is created as a draft at the end.
import type { FieldErrors } from '../../../../platform/errors.js';
import { ITEM_FIELDS, ITEM_LABELS, type ItemValues } from '../item-form.js';
import { AI_TIERS, PRICE_MODELS, typeLabel } from './dashboard-labels.js';
import { AiFields, DetailFields, PriceFields, TypeChoice } from './item-fields.js';
import { TagPicker } from './tag-picker.js';
import { WizardFrame, type WizardFocus } from './wizard-frame.js';

export const ITEM_STEPS = [
  { id: 'type', label: 'Type' },
  { id: 'details', label: 'Details' },
  { id: 'price', label: 'Price and tags' },
  { id: 'review', label: 'Review' },
] as const;

export type ItemStep = (typeof ITEM_STEPS)[number]['id'];

/** Which form fields each step shows. */
export const ITEM_STEP_FIELDS: Record<ItemStep, readonly string[]> = {
  type: ['type'],
  details: ['title', 'description', 'body'],
  price: [
    'price_model',
    'price_amount',
    'price_minimum',
    'price_suggested',
    'ai_tier',
    'ai_statement',
    'tags',
  ],
  review: [],
};

export interface ItemWizardProps {
  projectId: string;
  projectTitle: string;
  step: ItemStep;
  values: ItemValues;
  /** the amounts as the creator will be charged, e.g. "$12.50" */
  priceSummary: string;
  currency: string;
  csrfToken: string;
  errors: FieldErrors;
  focus: WizardFocus;
}

function hiddenFor(values: ItemValues, step: ItemStep) {
  const shown = new Set(ITEM_STEP_FIELDS[step]);
  const hidden: Record<string, string | readonly string[]> = {};
  for (const name of ITEM_FIELDS) if (!shown.has(name)) hidden[name] = values[name];
  if (!shown.has('tags')) hidden.tags = values.tags;
  return hidden;
}

function Review(props: ItemWizardProps) {
  const { values } = props;
  const ai = AI_TIERS.find((tier) => tier.tier === values.ai_tier);
  const model = PRICE_MODELS.find((m) => m.model === values.price_model);
  const rows: [string, string][] = [
    ['Project', props.projectTitle],
    ['Type', typeLabel(values.type)],
    ['Title', values.title],
    ['Description', values.description || 'None'],
    ...(values.type === 'text'
      ? ([['Text', values.body || 'None yet']] as [string, string][])
      : []),
    ['Price', model ? `${model.label}: ${props.priceSummary}` : props.priceSummary],
    ['AI disclosure', ai ? ai.label : 'Not yet (needed before publishing)'],
    ...(values.ai_tier === 'assisted'
      ? ([['How AI assisted', values.ai_statement]] as [string, string][])
      : []),
    ['Tags', values.tags.length > 0 ? values.tags.join(', ') : 'None'],
  ];
  return (
    <dl class="review">
      {rows.map(([term, value]) => (
        <div class="review__row">
          <dt safe>{term}</dt>
          <dd class="review__text" safe>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function ItemWizard(props: ItemWizardProps): JSX.Element {
  const { values, errors } = props;
  const common = {
    steps: ITEM_STEPS,
    current: props.step,
    making: 'Steps to create an item',
    action: `/dashboard/projects/${props.projectId}/items/new`,
    csrfToken: props.csrfToken,
    focus: props.focus,
    errors,
    labels: ITEM_LABELS,
    hidden: hiddenFor(values, props.step),
    canGoBack: props.step !== 'type',
    submitLabel: props.step === 'review' ? 'Create draft' : 'Continue',
    submitGo: props.step === 'review' ? ('create' as const) : ('next' as const),
  };
  switch (props.step) {
    case 'type':
      return (
        <WizardFrame {...common}>
          <TypeChoice value={values.type} error={errors.type} />
        </WizardFrame>
      );
    case 'details':
      return (
        <WizardFrame {...common}>
          <DetailFields values={values} errors={errors} />
        </WizardFrame>
      );
    case 'price':
      return (
        <WizardFrame {...common}>
          <PriceFields values={values} errors={errors} currency={props.currency} />
          <AiFields values={values} errors={errors} />
          <TagPicker tags={values.tags} error={errors.tags} />
        </WizardFrame>
      );
    case 'review':
      return (
        <WizardFrame {...common}>
          <p class="wizard__lead">
            The item is created as a draft: only you can see it until you publish it.
          </p>
          <Review {...props} />
        </WizardFrame>
      );
  }
}
