// Who may play or download an item's files, decided in one place: the creator always; anyone
// when the item is free and visible; a buyer or member through the ownership check the
// payments module supplies; otherwise a preview clip for audio and video, or nothing.
import type { Executor } from '../../db/database.js';
import type { ItemStatus, PriceModel, UserStatus } from '../../db/schema.js';
import type { Principal } from '../../platform/http/auth.js';

export type Access = 'full' | 'preview' | 'none';

/** Whether this user bought the item or is a member who may have it (payments fills it in). */
export type OwnershipCheck = (userId: string, itemId: string) => Promise<boolean>;
export const nobodyOwnsYet: OwnershipCheck = () => Promise.resolve(false);

export interface AccessItem {
  id: string;
  creator_id: string;
  status: ItemStatus;
  price_model: PriceModel;
  creator_status: UserStatus;
}

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
    ])
    .where('items.id', '=', itemId)
    .executeTakeFirst();
}

/** undefined: the caller may not even know the item exists (404). */
export async function decideAccess(
  principal: Principal | undefined,
  item: AccessItem,
  owns: OwnershipCheck,
): Promise<Access | undefined> {
  if (principal?.user.id === item.creator_id) return 'full';
  if (item.status === 'draft' || item.creator_status !== 'active') return undefined;
  if (item.price_model === 'free') return 'full';
  if (principal && (await owns(principal.user.id, item.id))) return 'full';
  return 'preview';
}
