// Storage limits of the creator tiers (PRODUCT.md), in bytes (1 MB = 2^20 bytes). Checked from
// Upload-Length before a byte is stored.
import type { CreatorTier } from '../../db/schema.js';
import { formatBytes } from '../../platform/bytes.js';
import { AppError } from '../../platform/errors.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;

export interface TierLimit {
  perFile: number;
  total: number;
}

export const TIER_LIMITS: Readonly<Record<CreatorTier, TierLimit>> = {
  basic: { perFile: 10 * MB, total: 50 * GB },
  small_files: { perFile: 500 * MB, total: 250 * GB },
  big_files: { perFile: 20 * GB, total: 500 * GB },
  everything: { perFile: 20 * GB, total: 500 * GB },
};

/** The largest file any tier accepts: the tus server's own ceiling. */
export const MAX_FILE_BYTES = Math.max(...Object.values(TIER_LIMITS).map((t) => t.perFile));

/**
 * 413 FILE_TOO_LARGE or STORAGE_FULL, saying the limit plainly. Nothing yet lets a creator change
 * plans (that comes with billing), so the message points nowhere.
 */
export function checkTierLimit(
  tier: CreatorTier | null,
  size: number,
  inUse: number,
): AppError | undefined {
  const limit = TIER_LIMITS[tier ?? 'basic'];
  if (size > limit.perFile) {
    return new AppError(
      'FILE_TOO_LARGE',
      413,
      `This file is ${formatBytes(size)}; files on your plan can be up to ${formatBytes(limit.perFile)}.`,
    );
  }
  if (inUse + size > limit.total) {
    return new AppError(
      'STORAGE_FULL',
      413,
      `This file is ${formatBytes(size)}; with the ${formatBytes(inUse)} you already store, it ` +
        `would take you past the ${formatBytes(limit.total)} of storage on your plan.`,
    );
  }
  return undefined;
}
