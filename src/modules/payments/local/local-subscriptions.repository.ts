// The local processor's subscriptions (Kysely only), kept as a real processor keeps them on its
// side: what is charged, how often, and until when the current period is paid.
import type { ColumnType, Insertable, Selectable } from 'kysely';
import type { Executor } from '../../../db/database.js';

export type LocalSubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled';

export interface LocalSubscriptionsTable {
  id: string;
  session_id: string;
  order_id: string;
  amount: number;
  currency: string;
  interval: 'month' | 'year';
  status: LocalSubscriptionStatus;
  current_period_end: Date;
  cancel_at_period_end: ColumnType<boolean, boolean | undefined, boolean>;
  past_due_since: Date | null;
  metadata: ColumnType<Record<string, string>, string | undefined, string>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  canceled_at: Date | null;
}

declare module '../../../db/schema.js' {
  interface Tables {
    local_subscriptions: LocalSubscriptionsTable;
  }
}

export type LocalSubscriptionRow = Selectable<LocalSubscriptionsTable>;

export async function insertLocalSubscription(
  db: Executor,
  row: Insertable<LocalSubscriptionsTable>,
): Promise<void> {
  await db.insertInto('local_subscriptions').values(row).execute();
}

export async function lockLocalSubscription(
  db: Executor,
  id: string,
): Promise<LocalSubscriptionRow | undefined> {
  return db
    .selectFrom('local_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateLocalSubscription(
  db: Executor,
  id: string,
  changes: Partial<
    Pick<
      LocalSubscriptionRow,
      'status' | 'current_period_end' | 'cancel_at_period_end' | 'past_due_since' | 'canceled_at'
    >
  >,
): Promise<void> {
  await db
    .updateTable('local_subscriptions')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Subscriptions whose paid period is over, and past-due ones whose grace is over. */
export async function listDueLocalSubscriptions(
  db: Executor,
  now: Date,
  graceStart: Date,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('local_subscriptions')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', ['trialing', 'active']), eb('current_period_end', '<=', now)]),
        eb.and([eb('status', '=', 'past_due'), eb('past_due_since', '<=', graceStart)]),
      ]),
    )
    .orderBy('current_period_end')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

export async function listLocalSubscriptionsForDev(db: Executor, limit: number) {
  return db
    .selectFrom('local_subscriptions')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
