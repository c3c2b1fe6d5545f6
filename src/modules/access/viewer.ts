// Who is asking: a signed-in user, a guest holding a receipt's claim link, or nobody we know.
import type { Principal } from '../../platform/http/auth.js';

export interface Viewer {
  userId?: string;
  /** a guest's proof of one purchase: the order id of a verified /claim/<order>.<signature> link */
  claimOrderId?: string;
}

export const STRANGER: Viewer = {};

export function viewerOf(principal: Principal | undefined): Viewer {
  return principal ? { userId: principal.user.id } : STRANGER;
}

export function claimViewer(orderId: string): Viewer {
  return { claimOrderId: orderId };
}
