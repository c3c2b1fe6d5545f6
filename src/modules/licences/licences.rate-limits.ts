// Limits on the public key endpoints (validate, activate, deactivate together). Per address
// against someone trying keys; per key against one leaked key hammered from many addresses.
import type { RateLimitRule } from '../../platform/http/rate-limit.js';

export const LICENCE_LIMITS = {
  perIp: { name: 'licence-ip', limit: 120, windowSeconds: 10 * 60 },
  perKey: { name: 'licence-key', limit: 60, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>;
