// Licence keys, their activations and the per-item setting (Kysely only).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import './licences.tables.js';

export const DEFAULT_ACTIVATION_LIMIT = 3;

/** The limit column with the default applied, for queries that left-join the settings. */
const activationLimit = sql<number>`coalesce(licence_settings.activation_limit, ${DEFAULT_ACTIVATION_LIMIT})`;

export async function findItemOwner(db: Executor, itemId: string) {
  return db
    .selectFrom('items')
    .select(['id', 'creator_id', 'type', 'title'])
    .where('id', '=', itemId)
    .executeTakeFirst();
}

/** Issues the order's key unless it has one; true when this call issued it. */
export async function insertKey(
  db: Executor,
  row: {
    order_id: string;
    item_id: string;
    key_hash: Buffer;
    key_suffix: string;
    key_sealed: Buffer;
  },
): Promise<boolean> {
  const inserted = await db
    .insertInto('licence_keys')
    .values(row)
    .onConflict((oc) => oc.column('order_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

function keysWithContext(db: Executor) {
  return db
    .selectFrom('licence_keys')
    .innerJoin('orders', 'orders.id', 'licence_keys.order_id')
    .innerJoin('items', 'items.id', 'licence_keys.item_id')
    .leftJoin('licence_settings', 'licence_settings.item_id', 'licence_keys.item_id')
    .select([
      'licence_keys.id',
      'licence_keys.order_id',
      'licence_keys.item_id',
      'licence_keys.key_suffix',
      'licence_keys.key_sealed',
      'licence_keys.created_at',
      'orders.status as order_status',
      'orders.buyer_id',
      'items.title as item_title',
      'items.creator_id',
      activationLimit.as('activation_limit'),
    ]);
}

export type KeyRow = NonNullable<Awaited<ReturnType<typeof findKeyByHash>>>;

/** The key with its order, item and limit; `lock` holds the key row until the transaction ends. */
export async function findKeyByHash(db: Executor, hash: Buffer, lock = false) {
  let query = keysWithContext(db).where('licence_keys.key_hash', '=', hash);
  if (lock) query = query.forUpdate(['licence_keys']);
  return query.executeTakeFirst();
}

export async function countActivations(db: Executor, keyId: string): Promise<number> {
  const row = await db
    .selectFrom('licence_activations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('key_id', '=', keyId)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function findActivation(db: Executor, keyId: string, instanceId: string) {
  return db
    .selectFrom('licence_activations')
    .selectAll()
    .where('key_id', '=', keyId)
    .where('instance_id', '=', instanceId)
    .executeTakeFirst();
}

export async function insertActivation(
  db: Executor,
  row: { key_id: string; instance_id: string; label: string | null },
) {
  return db.insertInto('licence_activations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function touchActivation(db: Executor, id: string, label: string | null) {
  return db
    .updateTable('licence_activations')
    .set((eb) => ({ last_seen_at: new Date(), label: eb.fn.coalesce(eb.val(label), 'label') }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteActivation(db: Executor, keyId: string, instanceId: string) {
  await db
    .deleteFrom('licence_activations')
    .where('key_id', '=', keyId)
    .where('instance_id', '=', instanceId)
    .execute();
}

export async function listActivations(db: Executor, keyIds: readonly string[]) {
  if (keyIds.length === 0) return [];
  return db
    .selectFrom('licence_activations')
    .selectAll()
    .where('key_id', 'in', keyIds)
    .orderBy('created_at')
    .execute();
}

/** The keys of a buyer's orders, newest first. */
export async function listBuyerKeys(db: Executor, buyerId: string, limit: number) {
  return keysWithContext(db)
    .where('orders.buyer_id', '=', buyerId)
    .orderBy('licence_keys.created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function listItemKeys(db: Executor, itemId: string, limit: number) {
  return keysWithContext(db)
    .where('licence_keys.item_id', '=', itemId)
    .orderBy('licence_keys.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** An activation with the creator of the item its key is for. */
export async function findActivationCreator(db: Executor, activationId: string) {
  return db
    .selectFrom('licence_activations')
    .innerJoin('licence_keys', 'licence_keys.id', 'licence_activations.key_id')
    .innerJoin('items', 'items.id', 'licence_keys.item_id')
    .select(['licence_activations.id', 'items.creator_id'])
    .where('licence_activations.id', '=', activationId)
    .executeTakeFirst();
}

export async function deleteActivationById(db: Executor, id: string) {
  await db.deleteFrom('licence_activations').where('id', '=', id).execute();
}

export async function findActivationLimit(db: Executor, itemId: string): Promise<number> {
  const row = await db
    .selectFrom('licence_settings')
    .select('activation_limit')
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return row?.activation_limit ?? DEFAULT_ACTIVATION_LIMIT;
}

export async function upsertActivationLimit(db: Executor, itemId: string, limit: number) {
  await db
    .insertInto('licence_settings')
    .values({ item_id: itemId, activation_limit: limit })
    .onConflict((oc) =>
      oc.column('item_id').doUpdateSet({ activation_limit: limit, updated_at: new Date() }),
    )
    .execute();
}

/** The keys issued for one order (one at most today), with the item's activation limit. */
export async function listOrderKeys(db: Executor, orderId: string) {
  return keysWithContext(db)
    .where('licence_keys.order_id', '=', orderId)
    .orderBy('licence_keys.created_at')
    .execute();
}
