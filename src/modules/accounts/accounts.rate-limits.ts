// The limits, in one place so docs/security.md can quote them.
import type { RateLimitRule } from '../../platform/http/rate-limit.js';

const MIN = 60;
const HOUR = 3600;

export const LIMITS = {
  loginPerIp: { name: 'login-ip', limit: 30, windowSeconds: 15 * MIN },
  loginPerAccount: { name: 'login-account', limit: 10, windowSeconds: 15 * MIN },
  signupPerIp: { name: 'signup-ip', limit: 10, windowSeconds: HOUR },
  resetPerAddress: { name: 'reset-address', limit: 3, windowSeconds: HOUR },
  resetPerIp: { name: 'reset-ip', limit: 20, windowSeconds: HOUR },
  verificationPerAddress: { name: 'verify-address', limit: 3, windowSeconds: HOUR },
  tokenPerAccount: { name: 'token-account', limit: 10, windowSeconds: HOUR },
  tokenPerIp: { name: 'token-ip', limit: 30, windowSeconds: HOUR },
  secondFactorPerIp: { name: 'second-factor-ip', limit: 30, windowSeconds: 15 * MIN },
} satisfies Record<string, RateLimitRule>;
