// The facts the access rule needs about one item (Kysely only).
import type { Executor } from '../../db/database.js';
import type { AccessItem } from './access.rule.js';

export async function findAccessItem(
  db: Executor,
  itemId: string,
): Promise<AccessItem | undefined> {
  return db
    .selectFrom('items')
    .innerJoin('users', 'users.id', 'items.creator_id')
    .select([
      'items.id',
      'items.creator_id',
      'items.status',
      'items.price_model',
      'users.status as creator_status',
      'users.left_at as creator_left_at',
    ])
    .where('items.id', '=', itemId)
    .executeTakeFirst();
}
