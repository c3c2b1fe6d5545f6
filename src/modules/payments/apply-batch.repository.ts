// The statements of applying processor events several at a time (apply-event.ts): which events
// a job may take along with its own, claiming them, and the order changes of a checkout batch,
// each one statement for the whole batch.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { OrderRow } from './payments.repository.js';

/** The key of the job that applies an event (webhooks.service.ts queues it). */
export const eventJobKey = (eventId: string): string => `event:${eventId}`;

export interface StoredEvent {
  id: string;
  payload: unknown;
  applied_at: Date | null;
}

/**
 * How long a job's claim on the events it took along keeps their own jobs from running: far
 * longer than preparing and applying a batch takes, short enough that the events of a worker
 * that died run soon. (A claim that runs out early costs only repeated processor calls.)
 */
export const CLAIM_SECONDS = 30;

/**
 * The event `eventId`, and up to `others` unapplied events, oldest first, whose own jobs wait
 * untouched (queued, due, never tried, not taken by a worker), claimed for the caller: their
 * jobs are put off by CLAIM_SECONDS, so no worker takes them and no other job takes the same
 * events along while the caller prepares and applies them. A claim only steers the work
 * (applying is decided under the event's row lock): if the caller dies, the jobs run when the
 * claim ends. An event whose job failed before waits out its retry alone, so a bad event is tried by
 * itself and never holds up others. One statement, committed at once.
 */
export async function claimEventsToApply(
  db: Executor,
  eventId: string,
  others: number,
): Promise<StoredEvent[]> {
  // The job of each candidate is found (and locked, skipping those another claim holds) by
  // its unique key in a LATERAL subquery, so the plan stays a look-up per event. As a join,
  // the planner, misled by a queue whose statistics say it is empty (it fills and empties
  // faster than autovacuum analyzes it), scanned every queued job for every waiting event:
  // 0.35 to 0.9 s a call in the webhook bench instead of under 1 ms.
  const { rows } = await sql<StoredEvent>`
    with picked as materialized (
      select events.id, events.payload, events.applied_at, job.id as job_id
        from payment_events as events
        cross join lateral (
          select jobs.id from graphile_worker._private_jobs as jobs
           where jobs.key = 'event:' || events.id and jobs.locked_at is null
             and jobs.attempts = 0 and jobs.run_at <= now()
           for update of jobs skip locked) as job
       where events.applied_at is null and events.id <> ${eventId}
       order by events.received_at
       limit ${others}
    ), claimed as materialized (
      select count(*) as n from graphile_worker.reschedule_jobs(
        array(select job_id from picked), run_at := now() + ${CLAIM_SECONDS} * interval '1 second')
    )
    select id, payload, applied_at from payment_events where id = ${eventId}
    union all
    select id, payload, applied_at from picked where (select n from claimed) >= 0`.execute(db);
  return rows;
}

/** Gives up claims (claimEventsToApply): these events' jobs, if still queued, are due now. */
export async function releaseClaims(db: Executor, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await sql`
    select count(*) from graphile_worker.reschedule_jobs(array(
      select id from graphile_worker._private_jobs
       where key = any(${eventIds.map(eventJobKey)}::text[]) and locked_at is null),
      run_at := now())`.execute(db);
}

/**
 * Locks the events to apply in this transaction and returns those still unapplied: `own` (the
 * event of the running job) is waited for if another transaction holds it; of `others`, only
 * those nobody holds and whose job no worker has taken (SKIP LOCKED). Own first,
 * then others without waiting: a transaction never waits while holding another event, so two
 * jobs claiming events cannot deadlock.
 */
export async function lockEventsToApply(
  db: Executor,
  own: string | undefined,
  others: readonly string[],
): Promise<Set<string>> {
  const claimed = new Set<string>();
  if (own !== undefined) {
    const mine = await db
      .selectFrom('payment_events')
      .select('id')
      .where('id', '=', own)
      .where('applied_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (mine) claimed.add(mine.id);
  }
  if (others.length > 0) {
    const { rows } = await sql<{ id: string }>`
      select events.id from payment_events as events
       where events.id = any(${[...others]}::text[]) and events.applied_at is null
         and exists (
           select 1 from graphile_worker._private_jobs as jobs
            where jobs.key = 'event:' || events.id and jobs.locked_at is null
           offset 0) -- offset 0: a look-up by key per event (see claimEventsToApply)
       for update of events skip locked`.execute(db);
    for (const row of rows) claimed.add(row.id);
  }
  return claimed;
}

export async function markEventsApplied(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('payment_events')
    .set({ applied_at: new Date() })
    .where('id', 'in', [...ids])
    .execute();
}

/** The orders, locked until the transaction ends, in id order (so batches never deadlock). */
export async function lockOrders(
  db: Executor,
  ids: readonly string[],
): Promise<Map<string, OrderRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('orders')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * The active accounts whose VERIFIED email these are (only they may receive a guest's order),
 * by the email in lower case.
 */
export async function findVerifiedUsersByEmails(
  db: Executor,
  emails: readonly string[],
): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const lower = [...new Set(emails.map((e) => e.toLowerCase()))];
  const { rows } = await sql<{ email: string; id: string }>`
    select distinct on (lower(email)) lower(email) as email, id from users
     where lower(email) = any(${lower}::text[])
       and email_verified_at is not null and status = 'active'
     order by lower(email), id`.execute(db);
  return new Map(rows.map((row) => [row.email, row.id]));
}

export interface OrderPayment {
  id: string;
  paymentId: string | null;
  buyerId: string | null;
  fee: number;
}

/** Marks the orders paid with one statement; the orders as they are now, by id. */
export async function markOrdersPaid(
  db: Executor,
  payments: readonly OrderPayment[],
): Promise<Map<string, OrderRow>> {
  if (payments.length === 0) return new Map();
  const { rows } = await sql<OrderRow>`
    update orders set status = 'paid', paid_at = now(), updated_at = now(),
           processor_payment_id = paid.payment_id, buyer_id = paid.buyer_id,
           processor_fee = paid.fee
      from unnest(${payments.map((p) => p.id)}::uuid[], ${payments.map((p) => p.paymentId)}::text[],
                  ${payments.map((p) => p.buyerId)}::uuid[], ${payments.map((p) => p.fee)}::bigint[])
           as paid (id, payment_id, buyer_id, fee)
     where orders.id = paid.id
    returning orders.*`.execute(db);
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Events about a payment that arrived before it (a refund or dispute before the checkout, a
 * dispute's close before its opening) failed and wait out the queue's growing backoff. Once the
 * payments (or the disputes) they need are recorded, they are due now: run again at once instead
 * of seconds to minutes later. Takes effect when the calling transaction commits.
 */
export async function wakeEventsOfPayments(
  db: Executor,
  paymentIds: readonly string[],
): Promise<void> {
  if (paymentIds.length === 0) return;
  // From the unapplied events of these payments (an index, migration 0021) to their jobs by
  // their unique key (`event:<id>` names only apply jobs; the table, not the jobs view, whose
  // joins would be computed for every queued job); the queue is only touched when one waits.
  await sql`
    with waiting as materialized (
      select jobs.id from graphile_worker._private_jobs as jobs
       where jobs.key = any(array(
               select 'event:' || events.id from payment_events as events
                where events.applied_at is null
                  and events.payload->'data'->'object'->>'payment_intent'
                      = any(${[...new Set(paymentIds)]}::text[])))
         and jobs.locked_at is null and jobs.attempts > 0 and jobs.run_at > now()
    )
    select graphile_worker.reschedule_jobs(array(select id from waiting), run_at := now())
     where exists (select 1 from waiting)`.execute(db);
}
