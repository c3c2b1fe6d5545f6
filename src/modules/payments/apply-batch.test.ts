// Applying webhook events several at a time (apply-event.ts): one job applies its own event and
// the others waiting, in one transaction. Here 40 real Stripe-shaped checkout events are stored
// through the webhook, one of them paying the wrong amount, with two refunds: one of a good
// order, one of the bad order's payment (which is never recorded). The apply job's handler (the
// worker's own) runs for eight checkouts at once, as eight workers would: every good order is
// paid once with one sale and one receipt, the bad events fail alone and keep their jobs, due
// at once for their retries, the good refund applies once its sale is in, and the ledger
// balances.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { startFakeStripe, type FakeStripe } from '../../../test/fakes/stripe-fake-server.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, newJar, send } from '../../../test/helpers/http.js';
import { appTasks } from '../../tasks.js';
import { signUpCreator } from '../catalog/catalog.test-helpers.js';
import { publishedItem, type CheckoutBody } from './payments.test-helpers.js';
import { signPayload } from './stripe/stripe-signature.js';

const SECRET = 'whsec_apply_batch';
const ORDERS = 40;
const AMOUNT = 700;

let fake: FakeStripe;
let t: TestApp;
before(async () => {
  fake = await startFakeStripe();
  t = await createTestApp({
    env: {
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: fake.secretKey,
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_API_BASE: fake.url,
    },
  });
});
after(async () => {
  await t.close();
  await fake.close();
});

type Json = Record<string, unknown>;

/** The worker's handler of payments:apply_event, run as the worker would for one job. */
function applyJob() {
  const task = appTasks(t.runtime).tasks.find((task) => task.name === 'payments:apply_event');
  assert.ok(task);
  let jobs = 0;
  return (eventId: string) =>
    task.run(
      { eventId },
      {
        log: pino({ level: 'silent' }),
        jobId: String(++jobs),
        attempt: 1,
        maxAttempts: 25,
        signal: new AbortController().signal,
      },
    );
}

test('eight jobs at once apply 42 events: each good one once, the bad ones alone and retried', async () => {
  const creator = await signUpCreator(t.app);
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: AMOUNT });
  const orders: { id: string; email: string; sessionId: string }[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const guest = newJar();
    const email = `batch${i}@example.com`;
    const res = await send(t.app, guest, {
      url: '/api/v1/checkout',
      json: { item_id: item.id, email },
      headers: { 'x-csrf-token': await csrfFor(t.app, guest) },
    });
    assert.equal(res.statusCode, 201, res.body);
    const { order } = res.json<CheckoutBody>();
    const session = fake.sessions.find(
      (s) => (s.object.metadata as Json | undefined)?.order_id === order.id,
    );
    assert.ok(session);
    orders.push({ id: order.id, email, sessionId: String(session.object.id) });
  }
  const events = orders.map((order) => fake.completeCheckout(order.sessionId));
  // one event says the buyer paid less than the order asks: it must never be recorded
  const bad = events[17];
  const badOrder = orders[17];
  assert.ok(bad && badOrder);
  (bad.data as { object: Json }).object.amount_total = AMOUNT - 100;
  const paymentOf = (event: Json) => (event.data as { object: Json }).object.payment_intent;
  const refund = (event: Json, amount: number): Json => ({
    id: `evt_refund_${randomBytes(6).toString('hex')}`,
    object: 'event',
    type: 'charge.refunded',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `ch_${randomBytes(6).toString('hex')}`,
        object: 'charge',
        payment_intent: paymentOf(event),
        currency: 'usd',
        amount: AMOUNT,
        amount_refunded: amount,
        refunds: { data: [{ id: `re_${randomBytes(6).toString('hex')}`, amount }] },
      },
    },
  });
  const refunded = orders[3];
  const refundedEvent = events[3];
  assert.ok(refunded && refundedEvent);
  const goodRefund = refund(refundedEvent, 200);
  const badRefund = refund(bad, 300);
  // the refunds arrive first, before the payments they are about
  for (const event of [goodRefund, badRefund, ...events]) {
    const payload = JSON.stringify(event);
    const res = await t.app.inject({
      method: 'POST',
      url: '/webhooks/payments/stripe',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signPayload(payload, SECRET, Math.floor(Date.now() / 1000)),
      },
      payload,
    });
    assert.equal(res.statusCode, 200, res.body);
  }

  // eight jobs of good events start together, as eight workers would take them
  const run = applyJob();
  const starters = events.filter((e) => e !== bad).slice(0, 8);
  const results = await Promise.allSettled(starters.map((e) => run(String(e.id))));
  assert.deepEqual(
    results.filter((r) => r.status === 'rejected'),
    [],
    'the jobs of good events succeed',
  );

  const db = t.runtime.db;
  // the eight jobs applied every good event, not only their own
  const paid = await db
    .selectFrom('orders')
    .select(['id', 'status'])
    .where(
      'id',
      'in',
      orders.map((o) => o.id),
    )
    .execute();
  const status = new Map(paid.map((o) => [o.id, o.status]));
  for (const order of orders) {
    const now = status.get(order.id);
    // the refunded order is paid, or refunded in part already if its refund was in its batch
    if (order === refunded && now === 'partially_refunded') continue;
    assert.equal(now, order === badOrder ? 'pending' : 'paid', order.id);
  }
  const unapplied = await db
    .selectFrom('payment_events')
    .select('id')
    .where('applied_at', 'is', null)
    .execute();
  const left = new Set(unapplied.map((e) => e.id));
  assert.ok(left.has(String(bad.id)) && left.has(String(badRefund.id)));
  left.delete(String(goodRefund.id)); // applied, or failed if its sale was in another batch
  assert.deepEqual([...left].sort(), [String(bad.id), String(badRefund.id)].sort());

  // the bad events keep their own jobs, due now (not held back by a claim): their retries
  // fail them again; every other event's job runs as the worker would and changes nothing
  const jobs = await sql<{ key: string; due: boolean }>`
    select key, run_at <= now() as due from graphile_worker.jobs
     where task_identifier = 'payments:apply_event'`.execute(db);
  const keys = new Map(jobs.rows.map((j) => [j.key, j.due]));
  assert.equal(keys.get(`event:${String(bad.id)}`), true);
  assert.equal(keys.get(`event:${String(badRefund.id)}`), true);
  const alongside = events.filter((e) => e !== bad && !starters.includes(e));
  assert.ok(alongside.every((e) => !keys.has(`event:${String(e.id)}`)));
  await assert.rejects(run(String(bad.id)), /does not match order/);
  await assert.rejects(run(String(badRefund.id)), /no paid order for payment/);
  for (const e of [goodRefund, ...events]) if (e !== bad) await run(String(e.id));
  const refundedRow = await db
    .selectFrom('orders')
    .select(['status', 'refunded_amount'])
    .where('id', '=', refunded.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(refundedRow, { status: 'partially_refunded', refunded_amount: 200 });

  // each good order once: one sale, one receipt
  const sales = await sql<{ order_id: string; n: number }>`
    select order_id, count(*)::int as n from ledger_transactions where kind = 'sale'
     group by order_id`.execute(db);
  assert.equal(sales.rows.length, ORDERS - 1);
  assert.ok(sales.rows.every((s) => s.n === 1 && s.order_id !== badOrder.id));
  const receipts = await db
    .selectFrom('mail_messages')
    .select('to_address')
    .where('subject', 'like', 'Your receipt:%')
    .execute();
  assert.deepEqual(
    receipts.map((r) => r.to_address).sort(),
    orders
      .filter((o) => o !== badOrder)
      .map((o) => o.email)
      .sort(),
  );
  const sums = await sql<{ total: number }>`
    select sum(amount)::int as total from ledger_postings group by currency`.execute(db);
  assert.ok(
    sums.rows.every((r) => r.total === 0),
    'the ledger balances',
  );

  const kinds = await sql<{ kind: string; n: number }>`
    select kind, count(*)::int as n from ledger_transactions group by kind`.execute(db);
  assert.deepEqual(Object.fromEntries(kinds.rows.map((r) => [r.kind, r.n])), {
    sale: ORDERS - 1,
    refund: 1,
  });
  const receiptsAfter = await db
    .selectFrom('mail_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject', 'like', 'Your receipt:%')
    .executeTakeFirstOrThrow();
  assert.equal(receiptsAfter.n, ORDERS - 1);
});
