// Refund intents (Kysely only): reserved before the processor is asked, settled after it answered.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import './refunds.tables.js';
import type { OrderRefundsTable } from './refunds.tables.js';

export type RefundIntentRow = Selectable<OrderRefundsTable>;

export async function insertRefundIntent(
  db: Executor,
  row: Insertable<OrderRefundsTable>,
): Promise<RefundIntentRow> {
  return db.insertInto('order_refunds').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findRefundIntent(db: Executor, id: string) {
  return db.selectFrom('order_refunds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findRefundIntentByKey(db: Executor, processorKey: string) {
  return db
    .selectFrom('order_refunds')
    .selectAll()
    .where('processor_key', '=', processorKey)
    .executeTakeFirst();
}

/** The intent, locked until the transaction ends: one settlement records it. */
export async function lockRefundIntent(db: Executor, id: string) {
  return db
    .selectFrom('order_refunds')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Minor units of the order's refunds asked of the processor and not settled yet. */
export async function pendingRefundTotal(db: Executor, orderId: string): Promise<number> {
  const row = await db
    .selectFrom('order_refunds')
    .select(sql<number>`coalesce(sum(amount), 0)::bigint`.as('total'))
    .where('order_id', '=', orderId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return row.total;
}

export async function settleRefundIntent(
  db: Executor,
  id: string,
  outcome: { status: 'succeeded'; refundId: string } | { status: 'refused' },
): Promise<void> {
  await db
    .updateTable('order_refunds')
    .set({
      status: outcome.status,
      processor_refund_id: outcome.status === 'succeeded' ? outcome.refundId : null,
      settled_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}
