// An item form's fields → the catalogue's item input. Amounts are typed in major units and
// become minor units of the creator's currency; tags arrive as chips (one `tags` field each) or
// as one comma-separated text; errors come back under the form's own field names.
import type { FieldErrors } from '../../../platform/errors.js';
import { zodFieldErrors } from '../../../platform/http/error-handler.js';
import { ITEM_TYPES, createItemSchema, type CreateItemInput } from '../catalog.schemas.js';
import { normaliseTags } from '../tags.js';
import type { PriceInput } from '../pricing.js';
import { amountExample, parseMajorUnits, toMajorUnits } from '../../../platform/money/index.js';
import {
  formErrorsOf,
  many,
  one,
  renameErrors,
  splitTags,
  valuesOf,
  type FormBody,
} from './dashboard-forms.js';
import type { ItemJson } from '../catalog.responses.js';

export const ITEM_FIELDS = [
  'type',
  'title',
  'description',
  'body',
  'price_model',
  'price_amount',
  'price_minimum',
  'price_suggested',
  'ai_tier',
  'ai_statement',
] as const;

export type ItemFieldName = (typeof ITEM_FIELDS)[number];
export type ItemValues = Record<ItemFieldName, string> & {
  tags: string[];
  /** editor only: the picked cover ('' for none) */
  cover_image_id?: string;
};

export const ITEM_LABELS: Record<string, string> = {
  type: 'Type',
  title: 'Title',
  description: 'Description',
  body: 'Text',
  price_model: 'Price',
  price_amount: 'Price',
  price_minimum: 'Minimum',
  price_suggested: 'Suggested amount',
  ai_tier: 'AI disclosure',
  ai_statement: 'How AI assisted',
  tags: 'Tags',
  cover_image_id: 'Cover image',
  slug: 'Address',
};

/** The service's field names → the form's. */
export const ITEM_ERROR_NAMES: Record<string, string> = {
  price: 'price_model',
  'price.model': 'price_model',
  'price.currency': 'price_model',
  'price.amount': 'price_amount',
  'price.minimum': 'price_minimum',
  'price.suggested': 'price_suggested',
  ai_disclosure: 'ai_tier',
  'ai_disclosure.tier': 'ai_tier',
  'ai_disclosure.statement': 'ai_statement',
  tags: 'tags',
  // publishing rules broken by a change to a published item
  AI_DISCLOSURE_REQUIRED: 'ai_tier',
  AI_STATEMENT_REQUIRED: 'ai_statement',
  BODY_REQUIRED: 'body',
  PRICE_INVALID: 'price_model',
};

export function itemValuesOf(body: FormBody): ItemValues {
  const removeCover = one(body, 'cover_image_id_remove') === '1';
  return {
    ...valuesOf(body, ITEM_FIELDS),
    tags: many(body, 'tags').flatMap(splitTags),
    cover_image_id: removeCover ? '' : one(body, 'cover_image_id'),
  };
}

const amountText = (minor: number | undefined, currency: string) =>
  minor === undefined ? '' : toMajorUnits(minor, currency);

export function itemValuesFrom(item: ItemJson): ItemValues {
  const { price } = item;
  return {
    type: item.type,
    title: item.title,
    description: item.description,
    // the creator's own item: the rule always gives them the whole text
    body: item.body ?? '',
    price_model: price.model,
    price_amount: amountText(price.amount, price.currency),
    price_minimum: amountText(price.minimum, price.currency),
    price_suggested: amountText(price.suggested, price.currency),
    ai_tier: item.ai_disclosure?.tier ?? '',
    ai_statement: item.ai_disclosure?.statement ?? '',
    tags: item.tags,
    cover_image_id: item.cover?.id ?? '',
  };
}

export const isItemType = (value: string): value is (typeof ITEM_TYPES)[number] =>
  ITEM_TYPES.some((type) => type === value);

function amountOf(values: ItemValues, name: ItemFieldName, currency: string, errors: FieldErrors) {
  const text = values[name].trim();
  if (text === '') return undefined;
  const parsed = parseMajorUnits(text, currency);
  if (!parsed.ok) {
    errors[name] = parsed.message;
    return undefined;
  }
  return parsed.minor;
}

/** The price as the service takes it, or errors on the amount fields. */
export function priceOf(
  values: ItemValues,
  currency: string,
  errors: FieldErrors,
): PriceInput | undefined {
  switch (values.price_model) {
    case 'free':
    case 'members':
      return { model: values.price_model };
    case 'fixed': {
      const amount = amountOf(values, 'price_amount', currency, errors);
      if (amount === undefined) {
        if (!errors.price_amount) {
          errors.price_amount = `Enter the price, like ${amountExample(currency)}.`;
        }
        return undefined;
      }
      return { model: 'fixed', amount };
    }
    case 'pwyw': {
      const minimum = amountOf(values, 'price_minimum', currency, errors);
      const suggested = amountOf(values, 'price_suggested', currency, errors);
      if (minimum === undefined) {
        if (!errors.price_minimum) errors.price_minimum = 'Enter the least a fan pays; 0 is fine.';
        return undefined;
      }
      if (errors.price_suggested) return undefined;
      return { model: 'pwyw', minimum, ...(suggested !== undefined && { suggested }) };
    }
    default:
      errors.price_model = 'Choose free, a fixed price, pay what you want or members only.';
      return undefined;
  }
}

export function aiDisclosureOf(values: ItemValues, errors: FieldErrors) {
  switch (values.ai_tier) {
    case '':
      return undefined;
    case 'handmade':
    case 'generated':
      return { tier: values.ai_tier };
    case 'assisted': {
      const statement = values.ai_statement.trim();
      if (statement === '') {
        errors.ai_statement = 'Describe briefly how AI assisted this work.';
        return undefined;
      }
      return { tier: 'assisted' as const, statement };
    }
    default:
      errors.ai_tier = 'Choose handmade, AI-assisted or AI-generated.';
      return undefined;
  }
}

/** Field errors under the form's names. */
export const itemErrors = (errors: FieldErrors): FieldErrors =>
  renameErrors(errors, ITEM_ERROR_NAMES);

export interface CheckedItem {
  errors: FieldErrors;
  input: CreateItemInput | undefined;
}

/** Every check the form can make before the service: the type, amounts, AI, tags, lengths. */
export function checkItemValues(values: ItemValues, currency: string): CheckedItem {
  const errors: FieldErrors = {};
  if (!isItemType(values.type)) errors.type = 'Choose what you are making.';
  const price = priceOf(values, currency, errors);
  const aiDisclosure = aiDisclosureOf(values, errors);
  let tags: string[] = [];
  try {
    tags = normaliseTags(values.tags);
  } catch (error) {
    const invalid = formErrorsOf(error, ITEM_ERROR_NAMES);
    if (!invalid) throw error;
    Object.assign(errors, invalid.errors);
  }
  const parsed = createItemSchema.safeParse({
    type: values.type,
    title: values.title,
    description: values.description,
    ...(values.type === 'text' && { body: values.body }),
    price: price ?? { model: 'free' },
    ...(aiDisclosure && { ai_disclosure: aiDisclosure }),
    tags,
  });
  if (!parsed.success) {
    for (const [name, message] of Object.entries(itemErrors(zodFieldErrors(parsed.error)))) {
      errors[name] ??= message;
    }
  }
  const ok = parsed.success && Object.keys(errors).length === 0;
  return { errors, input: ok ? parsed.data : undefined };
}
