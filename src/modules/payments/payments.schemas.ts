// Request and answer shapes of the payments API (the routes parse with these; OpenAPI shows them).
import { z } from 'zod';
import { itemSchema } from '../catalog/index.js';
import { TIP_MINIMUM } from '../catalog/index.js';

/** A stated currency (ISO 4217, any case): a check, never a conversion. */
const statedCurrencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'Use a three-letter currency code.')
  .optional();

export const checkoutInputSchema = z.object({
  item_id: z.uuid({ error: 'Choose an item.' }),
  /** pay-what-you-want only: minor units in the item's currency */
  amount: z.number().int('Use whole minor units.').nonnegative().optional(),
  /** the item's currency; any other is refused (422 CURRENCY_MISMATCH), never converted */
  currency: statedCurrencySchema,
  /** required without an account: the receipt and the purchase go to it */
  email: z.email({ error: 'Enter a valid email address.' }).max(320).optional(),
  /** a code of the item's creator (any case); see PROMO_* errors */
  promo_code: z.string().trim().max(100).optional(),
});
export type CheckoutInput = z.infer<typeof checkoutInputSchema>;

/** Tips: minor units, at least TIP_MINIMUM ($1.00, ¥100) and at most the largest price. */
export const MIN_TIP = TIP_MINIMUM;

export const tipInputSchema = z.object({
  /** the creator's handle (any case, with or without "@") */
  creator: z
    .string({ error: 'Say whom the tip is for.' })
    .trim()
    .min(1)
    .max(100)
    .transform((handle) => handle.replace(/^@/, '')),
  /** optional: one of the creator's projects */
  project_id: z.uuid({ error: 'Choose one of the creator’s projects.' }).optional(),
  /** minor units in the creator's currency */
  amount: z
    .number({ error: 'Give the amount in minor units, like 500 for 5.00.' })
    .int('Give the amount in minor units, like 500 for 5.00.'),
  /** the creator's currency; any other is refused */
  currency: statedCurrencySchema,
  message: z.string().trim().max(500, 'Keep the message to 500 characters.').optional(),
  /** required without an account: the receipt goes to it */
  email: z.email({ error: 'Enter a valid email address.' }).max(320).optional(),
});
export type TipInput = z.infer<typeof tipInputSchema>;

export const orderIdParamsSchema = z.object({ id: z.string().max(100) });

/**
 * What a library entry's order gives the buyer: owned (paid, or partly refunded), refunded in
 * full, or disputed with their bank; refunded and disputed ones no longer open.
 */
export const libraryStateSchema = z.enum(['owned', 'refunded', 'disputed']);
export type LibraryState = z.infer<typeof libraryStateSchema>;

export const libraryEntrySchema = z.object({
  item: itemSchema,
  order_id: z.uuid(),
  state: libraryStateSchema,
  /**
   * ISO time until which the item stays open for its buyer when its creator has left
   * Makenot.work (90 days after they left); null otherwise. After it the entry is gone.
   */
  available_until: z.string().nullable(),
});
export type LibraryEntry = z.infer<typeof libraryEntrySchema>;

export const libraryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});

export const orderSchema = z.object({
  id: z.uuid(),
  /** item: one item; tip: money for a creator; membership: a period of a project's tier */
  kind: z.enum(['item', 'tip', 'membership']),
  /** null for tips and memberships */
  item_id: z.uuid().nullable(),
  project_id: z.uuid().nullable(),
  status: z.enum(['pending', 'paid', 'failed', 'refunded', 'partially_refunded', 'disputed']),
  amount: z.number().int(),
  currency: z.string(),
  refunded_amount: z.number().int(),
  /** a fan's words with a tip (plain text, up to 500 characters); null for other orders */
  message: z.string().nullable(),
  created_at: z.string(),
  paid_at: z.string().nullable(),
});
export type OrderJson = z.infer<typeof orderSchema>;

export const localOutcomeSchema = z.object({
  outcome: z.enum(['succeeded', 'declined'], { error: 'Choose an outcome.' }),
});

export const refundInputSchema = z.object({
  /** minor units; without it, everything not refunded yet */
  amount: z
    .number({ error: 'Give the amount in minor units, like 500 for 5.00.' })
    .int('Give the amount in minor units, like 500 for 5.00.')
    .min(1, 'Refund at least 1.')
    .optional(),
});
