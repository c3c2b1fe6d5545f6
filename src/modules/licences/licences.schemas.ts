// Request and answer shapes of the licence-key API (the routes parse with these; OpenAPI shows
// them, with examples).
import { z } from 'zod';

const EXAMPLE_KEY = 'MNW-7K3QD-R2M9X-HV4TP-0C8NZ-WF6JB';
const EXAMPLE_ITEM = { id: '4f0c8a5e-2d7b-4c1e-9a3f-6b2d8e1c7a90', title: 'Tape Delay Plugin' };

// PostgreSQL text refuses NUL, and control characters have no place in a device name.
// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;

// A key is any string here: whether it is well formed is answered like an unknown key.
const keyField = z
  .string()
  .max(200)
  .meta({ examples: [EXAMPLE_KEY] });
const instanceField = z
  .string()
  .trim()
  .min(1, 'Give the instance an id.')
  .max(200)
  .regex(PRINTABLE, 'Use printable characters only.')
  .meta({ examples: ['host-5b1e9c'] });

export const validateInputSchema = z
  .object({ key: keyField, instance_id: instanceField.optional() })
  .meta({ examples: [{ key: EXAMPLE_KEY, instance_id: 'host-5b1e9c' }] });
export type ValidateInput = z.infer<typeof validateInputSchema>;

export const activateInputSchema = z
  .object({
    key: keyField,
    instance_id: instanceField,
    label: z
      .string()
      .trim()
      .max(100)
      .regex(PRINTABLE, 'Use printable characters only.')
      .optional()
      .meta({ examples: ['Studio laptop'] }),
  })
  .meta({ examples: [{ key: EXAMPLE_KEY, instance_id: 'host-5b1e9c', label: 'Studio laptop' }] });
export type ActivateInput = z.infer<typeof activateInputSchema>;

export const deactivateInputSchema = z
  .object({ key: keyField, instance_id: instanceField })
  .meta({ examples: [{ key: EXAMPLE_KEY, instance_id: 'host-5b1e9c' }] });
export type DeactivateInput = z.infer<typeof deactivateInputSchema>;

// Any id that is not one of ours is a 404 (the router already bounds its length).
export const idParamsSchema = z.object({ id: z.string() });

export const licenceSettingsInputSchema = z
  .object({
    activation_limit: z.number().int('Use a whole number.').min(1).max(1000),
  })
  .meta({ examples: [{ activation_limit: 5 }] });

export const keyStatusSchema = z.enum(['active', 'revoked', 'unknown']);

export const activationSchema = z.object({
  id: z.uuid(),
  instance_id: z.string(),
  label: z.string().nullable(),
  created_at: z.string(),
  last_seen_at: z.string(),
});
export type ActivationJson = z.infer<typeof activationSchema>;

const countsSchema = z.object({ used: z.number().int(), limit: z.number().int() });

export const keyCheckSchema = z
  .object({
    /** active, and (when instance_id was given) activated on that instance */
    valid: z.boolean(),
    status: keyStatusSchema,
    item: z.object({ id: z.uuid(), title: z.string() }).nullable(),
    activations: countsSchema.nullable(),
    /** the activation of the instance_id asked about, if it has one */
    instance: activationSchema.nullable(),
  })
  .meta({
    examples: [
      {
        valid: true,
        status: 'active',
        item: EXAMPLE_ITEM,
        activations: { used: 1, limit: 3 },
        instance: null,
      },
      { valid: false, status: 'unknown', item: null, activations: null, instance: null },
    ],
  });
export type KeyCheck = z.infer<typeof keyCheckSchema>;

export const activationResultSchema = z.object({
  activation: activationSchema,
  item: z.object({ id: z.uuid(), title: z.string() }),
  activations: countsSchema,
});

export const deactivationResultSchema = z.object({
  deactivated: z.boolean(),
  activations: countsSchema,
});

export const buyerKeySchema = z.object({
  id: z.uuid(),
  order_id: z.uuid(),
  item: z.object({ id: z.uuid(), title: z.string() }),
  /** the whole key, for its buyer only */
  key: z.string(),
  suffix: z.string(),
  status: z.enum(['active', 'revoked']),
  created_at: z.string(),
  activations: countsSchema,
  instances: z.array(activationSchema),
});
export type BuyerKeyJson = z.infer<typeof buyerKeySchema>;

export const issuedKeySchema = buyerKeySchema.omit({ key: true, item: true });
export type IssuedKeyJson = z.infer<typeof issuedKeySchema>;

export const licenceSettingsSchema = z.object({
  licence: z.object({ item_id: z.uuid(), activation_limit: z.number().int() }),
});
