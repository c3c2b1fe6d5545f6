// The limits of checkout (docs/security.md quotes them).
import type { RateLimitRule } from '../../platform/http/rate-limit.js';

const HOUR = 3600;

export const CHECKOUT_LIMITS = {
  /**
   * Free claims whose receipt goes at once to an address nobody has confirmed (a guest's, or an
   * account's not verified yet), per recipient (case and +tags folded): without it anyone could
   * make us mail anyone, as often as they liked.
   */
  unconfirmedFreeClaimsPerAddress: {
    name: 'free-claim-address',
    limit: 10,
    windowSeconds: 24 * HOUR,
  },
  /** the same claims per client address, whatever address they mail */
  unconfirmedFreeClaimsPerIp: { name: 'free-claim-ip', limit: 20, windowSeconds: HOUR },
} satisfies Record<string, RateLimitRule>;
