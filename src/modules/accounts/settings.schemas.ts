// The boundaries of the settings pages and the /me API: every form and body is parsed here.
import { z } from 'zod';
import {
  displayNameSchema,
  emailSchema,
  PASSWORD_MAX,
  passwordSchema,
  scopeSchema,
} from './accounts.schemas.js';

/** Ids in URLs; anything that is not a UUID cannot be one of the caller's, so it is a 404. */
export const idSchema = z.uuid();

const currentPassword = z.string().min(1, 'Enter your current password.').max(PASSWORD_MAX);

/** A checkbox is sent as "on" when ticked and not at all otherwise. */
const checkbox = z
  .string()
  .optional()
  .transform((value) => value !== undefined);

/** Repeated form fields arrive as an array, a single one as a string. */
const scopeList = z.preprocess(
  (value: unknown): unknown => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(scopeSchema).min(1, 'Choose at least one scope.').max(2),
);

export const reauthForm = z.object({ password: currentPassword, next: z.string().optional() });
export const displayNameForm = z.object({ display_name: displayNameSchema });
export const passwordForm = z.object({
  new_password: passwordSchema,
  end_other_sessions: checkbox,
});
export const emailForm = z.object({ email: emailSchema });
export const tokenForm = z.object({
  name: z.string().trim().min(1, 'Name the token.').max(80, 'Use at most 80 characters.'),
  scopes: scopeList,
});
export const deleteForm = z.object({
  confirm_handle: z.string().trim().min(1, 'Type your handle to confirm.').max(40),
});
export const confirmEmailForm = z.object({ token: z.string().min(1).max(200) });

// JSON bodies of the /me API.
export const patchMeBody = z.object({ display_name: displayNameSchema });
export const passwordBody = z.object({
  current_password: currentPassword.optional(),
  new_password: passwordSchema,
  end_other_sessions: z.boolean().optional(),
});
export const emailBody = z.object({
  current_password: currentPassword.optional(),
  email: emailSchema,
});
export const deactivateBody = z.object({ current_password: currentPassword.optional() });
export const deleteMeBody = z.object({
  current_password: currentPassword.optional(),
  confirm_handle: z.string().trim().min(1).max(40),
});
