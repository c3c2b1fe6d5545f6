// Boundaries of the accounts module: every form and API body is parsed with these.
import { z } from 'zod';
import { isReservedHandle } from './handles.js';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export const emailSchema = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .max(320, 'That email address is too long.')
  .pipe(z.email({ error: 'Enter a valid email address.' }));

/** Length only: no composition rules (NIST 800-63B, ASVS 6.2); the common list is checked apart. */
export const passwordSchema = z
  .string({ error: 'Enter a password.' })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

export const handleSchema = z
  .string({ error: 'Choose a handle.' })
  .trim()
  .min(2, 'Use at least 2 characters.')
  .max(30, 'Use at most 30 characters.')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9]$/,
    'Use letters, digits, - and _, starting and ending with a letter or digit.',
  )
  .refine((h) => !isReservedHandle(h), 'That handle is reserved.');

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(80, 'Use at most 80 characters.')
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Remove the control characters.');

export const signupSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  handle: handleSchema,
  display_name: displayNameSchema.optional(),
});

export const loginSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address.').max(320),
  password: z.string().min(1, 'Enter your password.').max(PASSWORD_MAX),
});

export const scopeSchema = z.enum(['read', 'write']);

export const createTokenSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(PASSWORD_MAX),
  name: z.string().trim().min(1, 'Name the token.').max(80),
  scopes: z.array(scopeSchema).min(1).max(2).optional(),
});

export const creatorTierSchema = z.enum(['basic', 'small_files', 'big_files', 'everything'], {
  error: 'Choose basic, small_files, big_files or everything.',
});
