// Reading orders and the buyer's library, and the ownership rule playback and downloads use.
import type { Db } from '../../db/database.js';
import type { OrderStatus } from '../../db/schema.js';
import { viewerOf } from '../access/index.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { selectItems } from '../catalog/index.js';
import { presentDecided } from '../catalog/index.js';
import type { CatalogDeps } from '../catalog/index.js';
import { toOrderJson } from './checkout.service.js';
import type { LibraryEntry, LibraryState, OrderJson } from './payments.schemas.js';
import {
  attachGuestOrdersByEmail,
  findOrder,
  findUserEmail,
  listLibraryOrders,
  type LibraryKeyset,
} from './payments.repository.js';
import { isUuid } from '../../platform/ids.js';

/** The buyer and the item's creator may read an order; to anyone else it does not exist. */
export async function getOrder(db: Db, principal: Principal, id: string): Promise<OrderJson> {
  const order = isUuid(id) ? await findOrder(db, id) : undefined;
  const userId = principal.user.id;
  if (!order || (order.buyer_id !== userId && order.creator_id !== userId)) {
    throw notFound('order');
  }
  return toOrderJson(order);
}

function encodeLibraryCursor(keyset: LibraryKeyset): string {
  return Buffer.from(`${keyset.paidAt.toISOString()}|${keyset.id}`).toString('base64url');
}

function decodeLibraryCursor(cursor: string): LibraryKeyset {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const paidAt = new Date(at ?? '');
  if (!id || !isUuid(id) || Number.isNaN(paidAt.getTime())) {
    throw new AppError('INVALID_CURSOR', 422, 'That cursor is not one we made.', {
      fields: { cursor: 'Use the next_cursor of a previous answer.' },
    });
  }
  return { paidAt, id };
}

const STATE_OF: Partial<Record<OrderStatus, LibraryState>> = {
  paid: 'owned',
  partially_refunded: 'owned',
  refunded: 'refunded',
  disputed: 'disputed',
};

/**
 * The buyer's library: one entry per item order, owned or not any more (refunded, disputed), as
 * the access rule shows the item to them; an item the rule hides (its creator left more than the
 * grace period ago) has no entry. `available_until` is the rule's own end of a departed
 * creator's grace period.
 */
export async function listLibrary(
  catalog: CatalogDeps,
  principal: Principal,
  query: { limit: number; cursor?: string | undefined },
): Promise<{ items: LibraryEntry[]; next_cursor: string | null }> {
  const db = catalog.db;
  const after = query.cursor === undefined ? undefined : decodeLibraryCursor(query.cursor);
  const orders = await listLibraryOrders(db, principal.user.id, query.limit + 1, after);
  const page = orders.slice(0, query.limit);
  const ids = [...new Set(page.map((order) => order.item_id))];
  const rows = ids.length === 0 ? [] : await selectItems(db).where('items.id', 'in', ids).execute();
  const viewer = viewerOf(principal);
  const decisions = await catalog.access.decideMany(db, viewer, rows);
  const shown = await presentDecided(catalog, db, rows, decisions);
  const items = new Map(shown.map((item) => [item.id, item]));
  const last = page.at(-1);
  return {
    items: page.flatMap((order) => {
      const item = items.get(order.item_id);
      const state = STATE_OF[order.status];
      if (!item || !state) return [];
      const access = decisions.get(order.item_id);
      const until = access?.level === 'full' ? access.until : undefined;
      return [
        {
          item,
          order_id: order.order_id,
          state,
          available_until: until?.toISOString() ?? null,
        },
      ];
    }),
    next_cursor:
      orders.length > query.limit && last
        ? encodeLibraryCursor({ paidAt: last.paid_at, id: last.order_id })
        : null,
  };
}

/**
 * Gives a user the guest orders bought with their email. Call it once the email is verified
 * (never before: an unverified address proves nothing). Returns how many orders moved.
 */
export async function claimGuestOrders(db: Db, userId: string): Promise<number> {
  const user = await findUserEmail(db, userId);
  if (!user?.email_verified_at) return 0;
  return attachGuestOrdersByEmail(db, userId, user.email);
}
