// Boundaries of the passkey and second-factor routes: JSON bodies and forms.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { PASSWORD_MAX } from './accounts.schemas.js';

const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'Expected base64url.');

export const passkeyNameSchema = z
  .string({ error: 'Name the passkey.' })
  .trim()
  .min(1, 'Name the passkey.')
  .max(60, 'Use at most 60 characters.')
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Remove the control characters.');

const currentPassword = z.string().min(1, 'Enter your current password.').max(PASSWORD_MAX);
const attachment = z.enum(['platform', 'cross-platform']).optional();

// What @simplewebauthn/browser's startRegistration() resolves to. Extension results are
// accepted but not passed on: no extension is requested.
const registrationResponse = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: attachment,
  clientExtensionResults: z.record(z.string(), z.unknown()).optional(),
  response: z.object({
    clientDataJSON: base64url(8192),
    attestationObject: base64url(65536),
    authenticatorData: base64url(65536).optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(8192).optional(),
  }),
});

const authenticationResponse = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal('public-key'),
  authenticatorAttachment: attachment,
  clientExtensionResults: z.record(z.string(), z.unknown()).optional(),
  response: z.object({
    clientDataJSON: base64url(8192),
    authenticatorData: base64url(65536),
    signature: base64url(4096),
    userHandle: base64url(512).optional(),
  }),
});

export const registrationResponseSchema = registrationResponse.transform(
  ({ clientExtensionResults: _ignored, ...rest }): RegistrationResponseJSON => ({
    ...rest,
    clientExtensionResults: {},
  }),
);

export const authenticationResponseSchema = authenticationResponse.transform(
  ({ clientExtensionResults: _ignored, ...rest }): AuthenticationResponseJSON => ({
    ...rest,
    clientExtensionResults: {},
  }),
);

export const registrationOptionsBody = z.object({ current_password: currentPassword.optional() });
export const registerPasskeyBody = z.object({
  challenge_id: z.uuid(),
  response: registrationResponseSchema,
  name: passkeyNameSchema.optional(),
});
export const renamePasskeyBody = z.object({ name: passkeyNameSchema });
export const deletePasskeyBody = z.object({ current_password: currentPassword });
export const passkeySignInBody = z.object({
  challenge_id: z.uuid(),
  response: authenticationResponseSchema,
});
export const secondFactorBody = z.object({
  pending_token: z.string().min(1).max(200),
  code: z.string().trim().min(1, 'Enter the code.').max(40),
});

// Forms of the settings and sign-in pages.
export const renamePasskeyForm = z.object({ name: passkeyNameSchema });
export const passwordConfirmForm = z.object({ password: currentPassword });
export const totpCodeForm = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code.' })
    .trim()
    .min(1, 'Enter the 6-digit code.')
    .max(40, 'Enter the 6-digit code.'),
});
