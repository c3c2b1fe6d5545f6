// Prices: integer minor units in the creator's currency. The shape is parsed with zod; the
// money rules (negative, too large, minimum above suggested, wrong currency) get their own
// codes, and the database checks the same bounds again.
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { MAX_AMOUNT } from '../../platform/money/index.js';
import type { PriceModel } from '../../db/schema.js';

/** The largest price, in minor units ($1,000,000.00, ¥100,000,000): anything above is a typo. */
export const MAX_PRICE = MAX_AMOUNT;

const amount = z.number({ error: 'Enter an amount in minor units.' }).int('Use whole minor units.');
const currency = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'Use a three-letter currency code.')
  .optional();

export const priceInputSchema = z.discriminatedUnion(
  'model',
  [
    z.object({ model: z.literal('free'), currency }),
    z.object({ model: z.literal('fixed'), amount, currency }),
    z.object({
      model: z.literal('pwyw'),
      minimum: amount,
      suggested: amount.optional(),
      currency,
    }),
    z.object({ model: z.literal('members'), currency }),
  ],
  { error: 'Choose free, fixed, pwyw or members.' },
);
export type PriceInput = z.infer<typeof priceInputSchema>;

export interface PriceColumns {
  price_model: PriceModel;
  price_amount: number | null;
  price_minimum: number | null;
  price_suggested: number | null;
}

export interface PriceProblem {
  code: string;
  field: string;
  message: string;
}

function amountProblem(field: string, value: number, min: number): PriceProblem | undefined {
  if (value < 0) return { code: 'PRICE_NEGATIVE', field, message: 'Prices cannot be negative.' };
  if (value > MAX_PRICE) {
    return { code: 'PRICE_TOO_LARGE', field, message: 'That price is larger than we accept.' };
  }
  if (value < min) {
    return { code: 'VALIDATION_FAILED', field, message: 'A fixed price is above 0: use free.' };
  }
  return undefined;
}

/** The first thing wrong with a price, or undefined when it may be stored. */
export function findPriceProblem(
  price: PriceColumns & { currency?: string | undefined },
  creatorCurrency: string,
): PriceProblem | undefined {
  if (price.currency !== undefined && price.currency !== creatorCurrency) {
    return {
      code: 'WRONG_CURRENCY',
      field: 'price.currency',
      message: `Prices are in your currency, ${creatorCurrency}.`,
    };
  }
  switch (price.price_model) {
    case 'free':
    case 'members':
      return undefined;
    case 'fixed':
      return amountProblem('price.amount', price.price_amount ?? -1, 1);
    case 'pwyw': {
      const minimum = price.price_minimum ?? -1;
      const problem =
        amountProblem('price.minimum', minimum, 0) ??
        (price.price_suggested === null
          ? undefined
          : amountProblem('price.suggested', price.price_suggested, 0));
      if (problem) return problem;
      if (price.price_suggested !== null && price.price_suggested < minimum) {
        return {
          code: 'PRICE_MINIMUM_ABOVE_SUGGESTED',
          field: 'price.suggested',
          message: 'The suggested amount must be at least the minimum.',
        };
      }
      return undefined;
    }
  }
}

export function toPriceColumns(input: PriceInput): PriceColumns {
  return {
    price_model: input.model,
    price_amount: input.model === 'fixed' ? input.amount : null,
    price_minimum: input.model === 'pwyw' ? input.minimum : null,
    price_suggested: input.model === 'pwyw' ? (input.suggested ?? null) : null,
  };
}

/** Parsed price → columns, or a 422 with the specific code and the field. */
export function checkPrice(input: PriceInput, creatorCurrency: string): PriceColumns {
  const columns = toPriceColumns(input);
  const problem = findPriceProblem({ ...columns, currency: input.currency }, creatorCurrency);
  if (problem) {
    throw new AppError(problem.code, 422, problem.message, {
      fields: { [problem.field]: problem.message },
    });
  }
  return columns;
}

export const priceSchema = z.object({
  model: z.enum(['free', 'fixed', 'pwyw', 'members']),
  amount: z.number().int().optional(),
  minimum: z.number().int().optional(),
  suggested: z.number().int().optional(),
  currency: z.string(),
});
export type Price = z.infer<typeof priceSchema>;

export function toPrice(columns: PriceColumns, currencyCode: string): Price {
  return {
    model: columns.price_model,
    ...(columns.price_amount !== null && { amount: columns.price_amount }),
    ...(columns.price_minimum !== null && { minimum: columns.price_minimum }),
    ...(columns.price_suggested !== null && { suggested: columns.price_suggested }),
    currency: currencyCode,
  };
}
