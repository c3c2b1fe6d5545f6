// Promo codes and their redemptions (Kysely only).
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PromoCodesTable } from './promos.tables.js';
import './promos.tables.js';

export type PromoRow = Selectable<PromoCodesTable>;
export type PromoWithUses = PromoRow & { uses: number };

/** Orders that used the code and did not fail: a failed order gives its use back. */
const usesOf = (db: Executor, promoId: string) =>
  db
    .selectFrom('promo_redemptions')
    .innerJoin('orders', 'orders.id', 'promo_redemptions.order_id')
    .where('promo_redemptions.promo_code_id', '=', promoId)
    .where('orders.status', '<>', 'failed');

export async function countUses(db: Executor, promoId: string): Promise<number> {
  const row = await usesOf(db, promoId)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function hasRedemptions(db: Executor, promoId: string): Promise<boolean> {
  const row = await db
    .selectFrom('promo_redemptions')
    .select('id')
    .where('promo_code_id', '=', promoId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listPromos(db: Executor, creatorId: string): Promise<PromoWithUses[]> {
  return db
    .selectFrom('promo_codes as p')
    .selectAll('p')
    .select(
      sql<number>`(select count(*)::int from promo_redemptions r join orders o on o.id = r.order_id
        where r.promo_code_id = p.id and o.status <> 'failed')`.as('uses'),
    )
    .where('p.creator_id', '=', creatorId)
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(500)
    .execute();
}

export async function findPromo(db: Executor, id: string): Promise<PromoRow | undefined> {
  return db.selectFrom('promo_codes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The creator's code, locked until the transaction ends: redemptions of it queue up here. */
export async function lockPromoByCode(
  db: Executor,
  creatorId: string,
  code: string,
): Promise<PromoRow | undefined> {
  return db
    .selectFrom('promo_codes')
    .selectAll()
    .where('creator_id', '=', creatorId)
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
}

/** The new code, or undefined when the creator already has one spelled so. */
export async function insertPromo(
  db: Executor,
  row: Insertable<PromoCodesTable>,
): Promise<PromoRow | undefined> {
  return db
    .insertInto('promo_codes')
    .values(row)
    .onConflict((oc) => oc.columns(['creator_id', 'code']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updatePromo(
  db: Executor,
  id: string,
  changes: Updateable<PromoCodesTable>,
): Promise<PromoRow> {
  return db
    .updateTable('promo_codes')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deletePromo(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('promo_codes').where('id', '=', id).execute();
}

export async function insertRedemption(
  db: Executor,
  row: { promo_code_id: string; order_id: string; amount_before: number; discount: number },
): Promise<void> {
  await db.insertInto('promo_redemptions').values(row).execute();
}

export async function findOwnedTarget(
  db: Executor,
  creatorId: string,
  target: { projectId?: string | undefined; itemId?: string | undefined },
): Promise<boolean> {
  if (target.projectId) {
    const row = await db
      .selectFrom('projects')
      .select('id')
      .where('id', '=', target.projectId)
      .where('creator_id', '=', creatorId)
      .executeTakeFirst();
    return row !== undefined;
  }
  if (target.itemId) {
    const row = await db
      .selectFrom('items')
      .select('id')
      .where('id', '=', target.itemId)
      .where('creator_id', '=', creatorId)
      .executeTakeFirst();
    return row !== undefined;
  }
  return true;
}

export async function findCreatorCurrency(db: Executor, creatorId: string): Promise<string> {
  const row = await db
    .selectFrom('users')
    .select('currency')
    .where('id', '=', creatorId)
    .executeTakeFirstOrThrow();
  return row.currency.trim();
}

/** The creator's projects and items, for choosing what a code applies to. */
export async function listTargets(db: Executor, creatorId: string) {
  const [projects, items] = await Promise.all([
    db
      .selectFrom('projects')
      .select(['id', 'title'])
      .where('creator_id', '=', creatorId)
      .orderBy('position')
      .limit(200)
      .execute(),
    db
      .selectFrom('items')
      .select(['id', 'title'])
      .where('creator_id', '=', creatorId)
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute(),
  ]);
  return { projects, items };
}
