// Limits on passkey ceremonies (docs/security.md quotes them). Answers to sign-in challenges
// count against LIMITS.secondFactorPerIp, like second-factor codes.
import type { RateLimitRule } from '../../platform/http/rate-limit.js';

export const PASSKEY_LIMITS = {
  /** sign-in challenges handed out to one address: each is a row until it expires */
  signInOptionsPerIp: { name: 'passkey-options-ip', limit: 60, windowSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>;
