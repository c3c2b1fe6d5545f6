// Orders and processor events (Kysely only).
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Viewer } from '../access/index.js';
import { wakeEventsOfPayments } from './apply-batch.repository.js';
import type {
  OrderFailureReason,
  OrdersTable,
  OrderStatus,
  PriceModel,
  ItemStatus,
  UserStatus,
} from '../../db/schema.js';

export type OrderRow = Selectable<OrdersTable>;

/** The statuses in which an order still owns what it bought. */
const OWNING = ['paid', 'partially_refunded'] as const;

export interface PurchasableItem {
  id: string;
  creator_id: string;
  title: string;
  status: ItemStatus;
  price_model: PriceModel;
  price_amount: number | null;
  price_minimum: number | null;
  price_suggested: number | null;
  currency: string;
  creator_status: UserStatus;
}

export async function findPurchasableItem(
  db: Executor,
  id: string,
): Promise<PurchasableItem | undefined> {
  return db
    .selectFrom('items')
    .innerJoin('users', 'users.id', 'items.creator_id')
    .select([
      'items.id',
      'items.creator_id',
      'items.title',
      'items.status',
      'items.price_model',
      'items.price_amount',
      'items.price_minimum',
      'items.price_suggested',
      'items.currency',
      'users.status as creator_status',
    ])
    .where('items.id', '=', id)
    .executeTakeFirst();
}

export async function insertOrder(db: Executor, row: Insertable<OrdersTable>): Promise<OrderRow> {
  return db.insertInto('orders').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findOrder(db: Executor, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The order, locked until the transaction ends, so two events never apply to it at once. */
export async function lockOrder(db: Executor, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The order a processor payment paid for, locked until the transaction ends. */
export async function lockOrderByPayment(
  db: Executor,
  paymentId: string,
): Promise<OrderRow | undefined> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('processor_payment_id', '=', paymentId)
    .forUpdate()
    .executeTakeFirst();
}

export async function setOrderSession(db: Executor, id: string, sessionId: string): Promise<void> {
  await db
    .updateTable('orders')
    .set({ processor_session_id: sessionId, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Fails a pending order (and only a pending one); true when it did. */
export async function markOrderFailed(
  db: Executor,
  id: string,
  reason: OrderFailureReason,
): Promise<boolean> {
  const result = await db
    .updateTable('orders')
    .set({ status: 'failed', failure_reason: reason, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Pending orders created before `before`, oldest first, but those in `skip`. */
export async function listStalePendingOrders(
  db: Executor,
  before: Date,
  skip: readonly string[],
  limit: number,
) {
  let query = db
    .selectFrom('orders')
    .select(['id', 'processor', 'processor_session_id'])
    .where('status', '=', 'pending')
    .where('created_at', '<', before);
  if (skip.length > 0) query = query.where('id', 'not in', [...skip]);
  return query.orderBy('created_at').orderBy('id').limit(limit).execute();
}

export async function findUserEmail(db: Executor, id: string) {
  return db
    .selectFrom('users')
    .select(['email', 'email_verified_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Gives a signed-in user a guest's order through its claim link: only an unclaimed order that
 * still owns something, and only once (the row decides). True when this call moved it.
 */
export async function claimGuestOrder(
  db: Executor,
  orderId: string,
  userId: string,
): Promise<boolean> {
  const moved = await db
    .updateTable('orders')
    .set({ buyer_id: userId, updated_at: new Date() })
    .where('id', '=', orderId)
    .where('buyer_id', 'is', null)
    .where('status', 'in', OWNING)
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) > 0;
}

/** What an order was for and from whom: its creator, and its item or project if any. */
export async function findOrderSubject(
  db: Executor,
  order: Pick<OrderRow, 'creator_id' | 'item_id' | 'project_id'>,
) {
  const creator = await db
    .selectFrom('users')
    .select(['display_name', 'handle', 'status'])
    .where('id', '=', order.creator_id)
    .executeTakeFirst();
  const item = order.item_id
    ? await db
        .selectFrom('items')
        .select(['title', 'cover_image_id'])
        .where('id', '=', order.item_id)
        .executeTakeFirst()
    : undefined;
  const project = order.project_id
    ? await db
        .selectFrom('projects')
        .select(['title', 'cover_image_id'])
        .where('id', '=', order.project_id)
        .executeTakeFirst()
    : undefined;
  return { creator, item, project };
}

/** The creator's handle and the project's slug of an item: where its pages live. */
export async function findItemPlace(db: Executor, itemId: string) {
  return db
    .selectFrom('items')
    .innerJoin('projects', 'projects.id', 'items.project_id')
    .innerJoin('users', 'users.id', 'items.creator_id')
    .select(['projects.slug', 'users.handle'])
    .where('items.id', '=', itemId)
    .executeTakeFirstOrThrow();
}

/** Gives a user the guest orders bought with their (verified) email; returns how many. */
export async function attachGuestOrdersByEmail(
  db: Executor,
  userId: string,
  email: string,
): Promise<number> {
  const result = await db
    .updateTable('orders')
    .set({ buyer_id: userId, updated_at: new Date() })
    .where('buyer_id', 'is', null)
    .where(sql<boolean>`lower(buyer_email) = lower(${email})`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The items among `itemIds` the viewer bought, directly or inside a bundle they bought: a paid or
 * partly refunded order of theirs, or the one order a guest's claim link proves.
 */
export async function findBoughtItems(
  db: Executor,
  viewer: Viewer,
  itemIds: readonly string[],
): Promise<Set<string>> {
  const { userId, claimOrderId } = viewer;
  if (itemIds.length === 0 || (userId === undefined && claimOrderId === undefined)) {
    return new Set();
  }
  const owning = db
    .selectFrom('orders')
    .where('orders.status', 'in', OWNING)
    .where((eb) =>
      eb.or([
        ...(userId === undefined ? [] : [eb('orders.buyer_id', '=', userId)]),
        ...(claimOrderId === undefined ? [] : [eb('orders.id', '=', claimOrderId)]),
      ]),
    );
  const ids = [...itemIds];
  const rows = await owning
    .select(sql<string>`orders.item_id`.as('item_id'))
    .where('orders.item_id', 'in', ids)
    .union(
      owning
        .innerJoin('bundle_items', 'bundle_items.bundle_id', 'orders.item_id')
        .select('bundle_items.item_id')
        .where('bundle_items.item_id', 'in', ids),
    )
    .execute();
  return new Set(rows.map((row) => row.item_id));
}

export interface LibraryKeyset {
  paidAt: Date;
  id: string;
}

/** Orders a library lists: those that own their item, and those whose money went back. */
const IN_LIBRARY = [...OWNING, 'refunded', 'disputed'] as const;

/**
 * The buyer's item orders for the library, newest paid first: owned ones, and refunded or
 * disputed ones (listed as such rather than vanishing).
 */
export async function listLibraryOrders(
  db: Executor,
  userId: string,
  limit: number,
  after: LibraryKeyset | undefined,
): Promise<{ order_id: string; item_id: string; paid_at: Date; status: OrderStatus }[]> {
  let query = db
    .selectFrom('orders')
    .select([
      'id as order_id',
      sql<string>`item_id`.as('item_id'),
      sql<Date>`paid_at`.as('paid_at'),
      'status',
    ])
    .where('buyer_id', '=', userId)
    .where('kind', '=', 'item')
    // an order whose item was deleted (only one paid after it expired, and refunded) has none
    .where('item_id', 'is not', null)
    .where('status', 'in', IN_LIBRARY)
    .where('paid_at', 'is not', null);
  if (after) {
    query = query.where(sql<boolean>`(paid_at, id) < (${after.paidAt}, ${after.id}::uuid)`);
  }
  return query.orderBy('paid_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

// --- processor events ---

/** true when the event is new; false for a re-delivery (the id is the primary key). */
export async function insertEvent(
  db: Executor,
  event: { id: string; processor: 'local' | 'stripe'; type: string; payload: string },
): Promise<boolean> {
  const row = await db
    .insertInto('payment_events')
    .values(event)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Events about a payment that arrived before it (a refund or dispute before the checkout, a
 * dispute's close before its opening) failed and wait out the queue's growing backoff. Once the
 * payment (or the dispute) they need is recorded, they are due now: run again at once instead
 * of seconds to minutes later. Takes effect when the calling transaction commits.
 */
export async function wakeEventsOfPayment(db: Executor, paymentId: string): Promise<void> {
  await wakeEventsOfPayments(db, [paymentId]);
}
