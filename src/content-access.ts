// The one access rule (src/modules/access) with the holdings each module knows: purchases and
// guests' claim links (payments), memberships (memberships). The app and the worker both build
// it here, so a page, a job and a mail decide the same way.
import { anyHolding, createAccessRule, type AccessRule } from './modules/access/index.js';
import { findMemberItems } from './modules/memberships/index.js';
import { findBoughtItems } from './modules/payments/index.js';

export function createContentAccess(clock?: () => Date): AccessRule {
  return createAccessRule(anyHolding(findBoughtItems, findMemberItems), clock);
}
