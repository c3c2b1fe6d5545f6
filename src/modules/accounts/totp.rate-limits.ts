// Limits on second-factor codes, beyond the 5 attempts each pending sign-in allows
// (docs/security.md quotes them). Per IP is LIMITS.secondFactorPerIp.
import type { RateLimitRule } from '../../platform/http/rate-limit.js';

export const TOTP_LIMITS = {
  /**
   * Every code tried for one account, whichever pending sign-in it belongs to: someone who knows
   * the password cannot start sign-in after sign-in to guess more codes.
   */
  codesPerAccount: { name: 'second-factor-account', limit: 10, windowSeconds: 15 * 60 },
} satisfies Record<string, RateLimitRule>;
