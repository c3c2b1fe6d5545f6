// The limits of the settings pages and the /me API (docs/security.md quotes them).
import type { RateLimitRule } from '../../platform/http/rate-limit.js';

export const SETTINGS_LIMITS = {
  /** wrong or right, password confirmations per account */
  reauthPerAccount: { name: 'reauth-account', limit: 10, windowSeconds: 15 * 60 },
  /** confirmation links to new addresses per account (each one mails someone) */
  emailChangePerAccount: { name: 'email-change-account', limit: 5, windowSeconds: 3600 },
} satisfies Record<string, RateLimitRule>;
