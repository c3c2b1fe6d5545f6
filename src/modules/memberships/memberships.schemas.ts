// Request and answer shapes of the memberships API (the routes parse with these; OpenAPI shows
// them).
import { z } from 'zod';
import { MAX_PRICE } from '../catalog/index.js';

const price = z
  .number({ error: 'Give the price in minor units, like 500 for 5.00.' })
  .int('Give the price in minor units, like 500 for 5.00.')
  .min(1, 'A price is at least 1.')
  .max(MAX_PRICE, 'That price is larger than we accept.');

const tierFields = {
  name: z.string().trim().min(1, 'Give the tier a name.').max(80, 'Keep the name under 80.'),
  /** markdown or plain text, shown escaped */
  description: z.string().max(5000, 'Keep the description under 5000 characters.'),
  /** short lines, one benefit each */
  benefits: z
    .array(z.string().trim().min(1, 'A benefit needs words.').max(200, 'Keep it under 200.'))
    .max(20, 'List at most 20 benefits.'),
  /** minor units in the creator's currency; null for no monthly option */
  monthly_price: price.nullable(),
  yearly_price: price.nullable(),
  position: z.number().int().min(0).max(10_000),
};

const needsPrice = (tier: { monthly_price?: number | null; yearly_price?: number | null }) =>
  tier.monthly_price != null || tier.yearly_price != null;
const priceError = {
  message: 'Give a monthly or a yearly price.',
  path: ['monthly_price'],
};

export const tierInputSchema = z
  .object({
    ...tierFields,
    description: tierFields.description.default(''),
    benefits: tierFields.benefits.default([]),
    monthly_price: tierFields.monthly_price.optional(),
    yearly_price: tierFields.yearly_price.optional(),
    position: tierFields.position.optional(),
  })
  .refine(needsPrice, priceError);
export type TierInput = z.infer<typeof tierInputSchema>;

export const tierPatchSchema = z.object({
  ...z.object(tierFields).partial().shape,
  status: z.enum(['active', 'archived']).optional(),
});
export type TierPatch = z.infer<typeof tierPatchSchema>;

export const subscribeInputSchema = z.object({
  tier_id: z.uuid({ error: 'Choose a tier.' }),
  interval: z.enum(['month', 'year'], { error: 'Choose monthly or yearly.' }),
  /** required without an account */
  email: z.email({ error: 'Enter a valid email address.' }).max(320).optional(),
  promo_code: z.string().trim().min(1).max(64).optional(),
});
export type SubscribeInput = z.infer<typeof subscribeInputSchema>;

export const idParamsSchema = z.object({ id: z.string().max(100) });

export const tierSchema = z.object({
  id: z.uuid(),
  project_id: z.uuid(),
  name: z.string(),
  description: z.string(),
  benefits: z.array(z.string()),
  monthly_price: z.number().int().nullable(),
  yearly_price: z.number().int().nullable(),
  currency: z.string(),
  position: z.number().int(),
  status: z.enum(['active', 'archived']),
});
export type TierJson = z.infer<typeof tierSchema>;

export const membershipSchema = z.object({
  id: z.uuid(),
  tier_id: z.uuid(),
  tier_name: z.string(),
  project_id: z.uuid(),
  interval: z.enum(['month', 'year']),
  /** trialing, active and past_due (for a grace period) give access; canceled until the period end */
  status: z.enum(['trialing', 'active', 'past_due', 'canceled', 'ended']),
  has_access: z.boolean(),
  current_period_end: z.string(),
  cancel_at_period_end: z.boolean(),
  started_at: z.string(),
});
export type MembershipJson = z.infer<typeof membershipSchema>;
