// The limits of the catalogue API (docs/security.md quotes them).
import type { RateLimitRule } from '../../platform/http/rate-limit.js';

export const CATALOG_LIMITS = {
  /** images processed per account: each one costs a decode and several encodes */
  imageUploadsPerAccount: { name: 'image-upload-account', limit: 120, windowSeconds: 3600 },
} satisfies Record<string, RateLimitRule>;
