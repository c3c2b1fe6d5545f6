import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Workers alive within the window (inline or standalone). */
export async function countLiveWorkers(db: Db, withinSeconds: number): Promise<number> {
  const row = await db
    .selectFrom('worker_heartbeats')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('seen_at', '>', sql<Date>`now() - make_interval(secs => ${withinSeconds})`)
    .executeTakeFirstOrThrow();
  return row.count;
}

export interface PayoutState {
  status: string;
  currency: string;
  count: number;
  amount: number;
}

/** Payouts grouped by status and currency (every status appears, 0 when none). */
export async function readPayoutStates(db: Db): Promise<PayoutState[]> {
  const result = await sql<PayoutState>`
    select s.status, c.currency,
           count(p.id)::int as count, coalesce(sum(p.amount), 0)::bigint::float8 as amount
      from unnest(array['queued', 'paid', 'failed']) s(status)
      cross join (select distinct currency from payouts
                  union select 'USD') c
      left join payouts p on p.status = s.status and p.currency = c.currency
     group by s.status, c.currency`.execute(db);
  return result.rows;
}

export interface QueueDepth {
  ready: number;
  scheduled: number;
  locked: number;
  failed: number;
}

export async function readQueueDepth(db: Db): Promise<QueueDepth> {
  const result = await sql<QueueDepth>`
    select
      count(*) filter (where locked_at is null and run_at <= now() and attempts < max_attempts)::int as ready,
      count(*) filter (where locked_at is null and run_at > now() and attempts < max_attempts)::int as scheduled,
      count(*) filter (where locked_at is not null)::int as locked,
      count(*) filter (where attempts >= max_attempts)::int as failed
    from graphile_worker._private_jobs`.execute(db);
  const row = result.rows[0];
  return row ?? { ready: 0, scheduled: 0, locked: 0, failed: 0 };
}
