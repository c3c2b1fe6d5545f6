// The one rule of who may read an item's full text, hear or watch it in full and download it.
// Every path that shows content asks it: JSON answers, pages, feeds, search, the claim page,
// playback and downloads. The answer is one of three: the caller may not know the item exists
// (a 404), may see it with its preview, or may have all of it.
import type { ItemStatus, PriceModel, UserStatus } from '../../db/schema.js';
import type { Viewer } from './viewer.js';

/** How long buyers and members keep what they have after its creator leaves. */
export const GRACE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the rule needs to know about an item (every catalogue row carries it). */
export interface AccessItem {
  id: string;
  creator_id: string;
  status: ItemStatus;
  price_model: PriceModel;
  creator_status: UserStatus;
  /** when the creator deactivated, was suspended or deleted their account; null while active */
  creator_left_at: Date | null;
}

export type Access =
  /** not found, for this caller */
  | { level: 'none' }
  /** the page, the preview text, the preview clip; no full text, stream or download */
  | { level: 'preview' }
  | {
      level: 'full';
      because: 'creator' | 'free' | 'holder';
      /** a departed creator's buyers and members keep it until then */
      until?: Date;
    };

export const NO_ACCESS: Access = { level: 'none' };

/**
 * Whether knowing the viewer's holdings (purchases, memberships, a claim link) could change the
 * decision; when not, nobody needs to ask the database.
 */
export function needsHoldings(viewer: Viewer, item: AccessItem): boolean {
  if (viewer.userId === undefined && viewer.claimOrderId === undefined) return false;
  if (viewer.userId === item.creator_id) return false;
  const openToAll =
    item.price_model === 'free' && item.status !== 'draft' && item.creator_status === 'active';
  return !openToAll;
}

/** The decision, given whether the viewer holds the item (bought it, is a member, has its claim link). */
export function decideAccess(
  viewer: Viewer,
  item: AccessItem,
  holds: boolean,
  now: Date = new Date(),
): Access {
  if (viewer.userId !== undefined && viewer.userId === item.creator_id) {
    return { level: 'full', because: 'creator' };
  }
  if (item.creator_status !== 'active') {
    // New sales stopped when the creator left; what was bought stays for the grace period.
    const until = graceEnd(item.creator_left_at);
    if (holds && until !== undefined && now < until)
      return { level: 'full', because: 'holder', until };
    return NO_ACCESS;
  }
  // Buyers keep what they bought when the creator unpublishes it or moves it back to draft.
  if (holds) return { level: 'full', because: 'holder' };
  if (item.status === 'draft') return NO_ACCESS;
  if (item.price_model === 'free') return { level: 'full', because: 'free' };
  return { level: 'preview' };
}

export function graceEnd(leftAt: Date | null): Date | undefined {
  return leftAt === null ? undefined : new Date(leftAt.getTime() + GRACE_DAYS * DAY_MS);
}

export const isVisible = (access: Access): boolean => access.level !== 'none';
export const isFull = (access: Access): boolean => access.level === 'full';
