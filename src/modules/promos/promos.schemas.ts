// Request and answer shapes of the promo-codes API (the routes parse with these; OpenAPI shows
// them). Codes are 3–40 letters, digits, "-" or "_", matched case-insensitively.
import { z } from 'zod';
import { MAX_AMOUNT } from '../../platform/money/index.js';

export const CODE_PATTERN = /^[A-Za-z0-9_-]{3,40}$/;

export const promoCodeText = z
  .string()
  .trim()
  .regex(CODE_PATTERN, 'Use 3 to 40 letters, digits, "-" or "_".')
  .transform((code) => code.toUpperCase());

const when = z.iso.datetime({
  offset: true,
  error: 'Use a date and time like 2030-01-31T00:00:00Z.',
});

export const promoInputSchema = z
  .object({
    code: promoCodeText,
    kind: z.enum(['percent', 'fixed', 'free', 'trial'], { error: 'Choose what the code gives.' }),
    /** percent: 1–100 */
    percent_off: z.number().int().min(1, 'From 1 to 100.').max(100, 'From 1 to 100.').optional(),
    /** fixed: minor units, in currency (the creator's by default) */
    amount_off: z
      .number()
      .int('Use whole minor units.')
      .min(1, 'Take off at least 1.')
      .max(MAX_AMOUNT, 'That is larger than any price.')
      .optional(),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Use a three-letter currency code.')
      .optional(),
    /** trial: days of a membership tier's trial, 1–365 */
    trial_days: z.number().int().min(1, 'From 1 to 365.').max(365, 'From 1 to 365.').optional(),
    scope: z.enum(['all', 'project', 'item', 'tier']).default('all'),
    project_id: z.uuid().optional(),
    item_id: z.uuid().optional(),
    tier_id: z.uuid().optional(),
    starts_at: when.optional(),
    ends_at: when.optional(),
    /** how many orders may use it; without it, any number */
    max_redemptions: z.number().int().min(1).max(1_000_000).optional(),
  })
  .superRefine((input, ctx) => {
    const need = (field: keyof typeof input, message: string, ok: boolean) => {
      if (!ok) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    need('percent_off', 'Give the percent off.', input.kind !== 'percent' || !!input.percent_off);
    need('amount_off', 'Give the amount off.', input.kind !== 'fixed' || !!input.amount_off);
    need('trial_days', 'Give the trial days.', input.kind !== 'trial' || !!input.trial_days);
    need(
      'scope',
      'Trials are for membership tiers.',
      input.kind !== 'trial' || input.scope === 'tier',
    );
    need('project_id', 'Choose the project.', input.scope !== 'project' || !!input.project_id);
    need('item_id', 'Choose the item.', input.scope !== 'item' || !!input.item_id);
    need('tier_id', 'Choose the tier.', input.scope !== 'tier' || !!input.tier_id);
    need(
      'ends_at',
      'End after the start.',
      !input.starts_at || !input.ends_at || Date.parse(input.starts_at) < Date.parse(input.ends_at),
    );
  });
export type PromoInput = z.infer<typeof promoInputSchema>;

export const promoPatchSchema = z.object({
  active: z.boolean().optional(),
  starts_at: when.nullable().optional(),
  ends_at: when.nullable().optional(),
  max_redemptions: z.number().int().min(1).max(1_000_000).nullable().optional(),
});
export type PromoPatch = z.infer<typeof promoPatchSchema>;

export const promoIdParamsSchema = z.object({ id: z.string().max(100) });

export const promoCodeSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  kind: z.enum(['percent', 'fixed', 'free', 'trial']),
  percent_off: z.number().int().nullable(),
  amount_off: z.number().int().nullable(),
  currency: z.string().nullable(),
  trial_days: z.number().int().nullable(),
  scope: z.enum(['all', 'project', 'item', 'tier']),
  project_id: z.uuid().nullable(),
  item_id: z.uuid().nullable(),
  tier_id: z.uuid().nullable(),
  starts_at: z.string().nullable(),
  ends_at: z.string().nullable(),
  max_redemptions: z.number().int().nullable(),
  /** orders that used it and did not fail */
  uses: z.number().int(),
  active: z.boolean(),
  /** active, scheduled (not started), expired, used_up or inactive (turned off) */
  state: z.enum(['active', 'scheduled', 'expired', 'used_up', 'inactive']),
  created_at: z.string(),
});
export type PromoCodeJson = z.infer<typeof promoCodeSchema>;
