// Fault injection: a webhook storm. 1,000 Stripe-shaped signed events for hundreds of real
// orders (made through the checkout API against the fake Stripe), sent concurrently over real
// HTTP in shuffled order: 30% are re-deliveries of the same event, 5% are forged (a wrong
// secret, a body changed after signing, no signature, a garbage one, a stale timestamp) and
// aim at real orders. Afterwards every genuine event took effect exactly once (orders paid,
// refunds and disputes recorded once, ledger transactions counted), forged ones none, and the
// ledger sums to zero in every currency.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import Stripe from 'stripe';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-fake-server.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { csrfFor, newJar, send } from '../helpers/http.js';
import { signUpCreator } from '../../src/modules/catalog/catalog.test-helpers.js';
import {
  paymentJobsDrained,
  publishedItem,
  until,
  type CheckoutBody,
} from '../../src/modules/payments/payments.test-helpers.js';

const SECRET = 'whsec_webhook_storm';
const TOTAL = 1000;
const DUPLICATES = 300; // 30%
const FORGED = 50; // 5%
const GENUINE = TOTAL - DUPLICATES - FORGED; // 650 distinct events
// how the 650 genuine events split: every order paid, then money going back for some
const PAID_ONLY = 50;
const REFUNDED = 160;
const DISPUTED = 110;
const DISPUTES_WON = 60;
const ORDERS = PAID_ONLY + REFUNDED + DISPUTED; // 320 checkout.session.completed
const UNPAID = 20; // pending orders only forged events claim to pay
assert.equal(ORDERS + REFUNDED + DISPUTED + DISPUTES_WON, GENUINE);

const log = (line: string) => console.log(`webhook-storm: ${line}`);

let fake: FakeStripe;
let t: TestApp;
let url: string;
before(async () => {
  fake = await startFakeStripe();
  t = await createTestApp({
    runJobs: true,
    env: {
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: fake.secretKey,
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_API_BASE: fake.url,
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/webhooks/payments/stripe`;
});
after(async () => {
  await t.close();
  await fake.close();
});

interface Order {
  id: string;
  amount: number;
  sessionId: string;
}

type Json = Record<string, unknown>;
interface Delivery {
  eventId: string;
  body: string;
  header: string | undefined;
  forged: boolean;
}

const token = () => randomBytes(8).toString('hex');
const sign = (payload: string, secret = SECRET, timestamp?: number) =>
  Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp !== undefined && { timestamp }),
  });

/** Pending orders for items of one creator, as guests buy them through the checkout API. */
async function pendingOrders(count: number): Promise<Order[]> {
  const creator = await signUpCreator(t.app);
  const items = [];
  for (const amount of [500, 1250, 2000, 3300, 9900]) {
    items.push({
      amount,
      id: (await publishedItem(t.app, creator, { model: 'fixed', amount })).id,
    });
  }
  const orders: Order[] = [];
  for (let i = 0; i < count; i++) {
    const item = items[i % items.length];
    assert.ok(item);
    const guest = newJar();
    const res = await send(t.app, guest, {
      url: '/api/v1/checkout',
      json: { item_id: item.id, email: `storm${i}@example.com` },
      headers: { 'x-csrf-token': await csrfFor(t.app, guest) },
    });
    assert.equal(res.statusCode, 201, res.body);
    const { order } = res.json<CheckoutBody>();
    const session = fake.sessions.find(
      (s) => (s.object.metadata as Json | undefined)?.order_id === order.id,
    );
    assert.ok(session, 'a Checkout Session at Stripe');
    orders.push({ id: order.id, amount: item.amount, sessionId: String(session.object.id) });
  }
  return orders;
}

function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [list[i], list[j]] = [list[j] as T, list[i] as T];
  }
  return list;
}

function genuine(event: Json): Delivery {
  const body = JSON.stringify(event);
  return { eventId: String(event.id), body, header: sign(body), forged: false };
}

/** The five ways a forged event arrives, in turn. */
function forged(event: Json, n: number): Delivery {
  const body = JSON.stringify(event);
  const eventId = String(event.id);
  switch (n % 5) {
    case 0:
      return { eventId, body, header: sign(body, 'whsec_someone_else'), forged: true };
    case 1: {
      // signed as sent by Stripe, then changed on the way
      const header = sign(body.replace('"livemode":false', '"livemode":true'));
      return { eventId, body, header, forged: true };
    }
    case 2:
      return { eventId, body, header: undefined, forged: true };
    case 3:
      return { eventId, body, header: `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`, forged: true }; // prettier-ignore
    default:
      // a real signature, an hour old: a replay
      return {
        eventId,
        body,
        header: sign(body, SECRET, Math.floor(Date.now() / 1000) - 3600),
        forged: true,
      };
  }
}

const envelope = (type: string, object: Json): Json => ({
  id: `evt_storm_${token()}`,
  object: 'event',
  type,
  created: Math.floor(Date.now() / 1000),
  livemode: false,
  data: { object },
});

test('1,000 webhook events, 30% duplicates, shuffled, 5% forged: each genuine one takes effect once', async () => {
  const orders = await pendingOrders(ORDERS + UNPAID);
  const paidOrders = orders.slice(0, ORDERS);
  const unpaid = orders.slice(ORDERS);
  const refunded = paidOrders.slice(PAID_ONLY, PAID_ONLY + REFUNDED);
  const disputed = paidOrders.slice(PAID_ONLY + REFUNDED);
  const won = disputed.slice(0, DISPUTES_WON);
  const paidOnly = paidOrders.slice(0, PAID_ONLY);

  const events: Json[] = [];
  const paymentOf = new Map<string, string>();
  for (const order of paidOrders) {
    const event = fake.completeCheckout(order.sessionId);
    const session = (event.data as { object: Json }).object;
    paymentOf.set(order.id, String(session.payment_intent));
    events.push(event);
  }
  const refundOf = (order: Order) => Math.max(100, Math.floor(order.amount / 4));
  for (const order of refunded) {
    events.push(
      envelope('charge.refunded', {
        id: `ch_${token()}`,
        object: 'charge',
        payment_intent: paymentOf.get(order.id),
        currency: 'usd',
        amount: order.amount,
        amount_refunded: refundOf(order),
        refunds: { data: [{ id: `re_${token()}`, amount: refundOf(order), status: 'succeeded' }] },
      }),
    );
  }
  const disputeIds = new Map<string, string>();
  for (const order of disputed) {
    const dispute = `dp_${token()}`;
    disputeIds.set(order.id, dispute);
    const object = {
      id: dispute,
      object: 'dispute',
      payment_intent: paymentOf.get(order.id),
      amount: order.amount,
      currency: 'usd',
      fee: 1500,
    };
    events.push(envelope('charge.dispute.created', { ...object, status: 'needs_response' }));
    if (won.includes(order)) {
      events.push(envelope('charge.dispute.closed', { ...object, status: 'won' }));
    }
  }
  assert.equal(events.length, GENUINE);

  const deliveries: Delivery[] = events.map(genuine);
  for (let i = 0; i < DUPLICATES; i++) {
    // Stripe re-sends the same event, signed anew
    const again = events[randomInt(events.length)];
    assert.ok(again);
    deliveries.push(genuine(again));
  }
  // forged events claim real money moves: unpaid orders paid, paid orders refunded in full
  for (let i = 0; i < FORGED; i++) {
    const target = i % 2 === 0 ? unpaid[i % UNPAID] : paidOnly[i % PAID_ONLY];
    assert.ok(target);
    const event =
      i % 2 === 0
        ? envelope('checkout.session.completed', {
            id: target.sessionId,
            object: 'checkout.session',
            payment_intent: `pi_forged_${token()}`,
            amount_total: target.amount,
            currency: 'usd',
            metadata: { order_id: target.id },
            customer_details: { email: 'thief@example.com' },
          })
        : envelope('charge.refunded', {
            id: `ch_${token()}`,
            object: 'charge',
            payment_intent: paymentOf.get(target.id),
            currency: 'usd',
            refunds: { data: [{ id: `re_${token()}`, amount: target.amount }] },
          });
    deliveries.push(forged(event, i));
  }
  shuffle(deliveries);
  assert.equal(deliveries.length, TOTAL);
  log(
    `injected: ${TOTAL} events for ${ORDERS + UNPAID} orders (${GENUINE} genuine: ${ORDERS} ` +
      `checkouts, ${REFUNDED} refunds, ${DISPUTED} disputes opened, ${DISPUTES_WON} won; ` +
      `${DUPLICATES} duplicates; ${FORGED} forged), shuffled, 64 at a time over HTTP`,
  );

  const answers: { delivery: Delivery; status: number; duplicate: boolean | undefined }[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++];
        assert.ok(delivery);
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            ...(delivery.header !== undefined && { 'stripe-signature': delivery.header }),
          },
          body: delivery.body,
        });
        const text = await res.text();
        const duplicate = res.ok
          ? (JSON.parse(text) as { duplicate: boolean }).duplicate
          : undefined;
        if (res.status >= 500) log(`unexpected ${res.status}: ${text.slice(0, 300)}`);
        answers.push({ delivery, status: res.status, duplicate });
      }
    }),
  );
  const receivedMs = performance.now() - started;
  await until(
    async () => {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from payment_events where applied_at is null`.execute(
        t.runtime.db,
      );
      return rows[0]?.n === 0 ? true : undefined;
    },
    'every stored event to be applied',
    120_000,
  );
  await paymentJobsDrained(t.runtime.db);
  const appliedMs = performance.now() - started;

  const histogram: Record<number, number> = {};
  for (const a of answers) histogram[a.status] = (histogram[a.status] ?? 0) + 1;
  const rejected = answers.filter(
    (a) => a.delivery.forged && (a.status === 400 || a.status === 401),
  );
  const firsts = answers.filter((a) => !a.delivery.forged && a.duplicate === false);
  const dupes = answers.filter((a) => !a.delivery.forged && a.duplicate === true);
  log(
    `observed: statuses ${JSON.stringify(histogram)}; accepted ${firsts.length}, ` +
      `duplicates answered as such ${dupes.length}, forged rejected ${rejected.length}/${FORGED}`,
  );
  log(
    `observed: all ${TOTAL} received in ${Math.round(receivedMs)} ms ` +
      `(${Math.round((TOTAL / receivedMs) * 1000)} events/s); all applied after ` +
      `${Math.round(appliedMs)} ms (${Math.round((TOTAL / appliedMs) * 1000)} events/s end to end)`,
  );

  // the answers: each genuine event accepted once, its copies as duplicates, forgeries refused
  assert.equal(rejected.length, FORGED, 'every forged event refused');
  assert.ok(answers.filter((a) => !a.delivery.forged).every((a) => a.status === 200));
  assert.equal(firsts.length, GENUINE);
  assert.equal(new Set(firsts.map((a) => a.delivery.eventId)).size, GENUINE);
  assert.equal(dupes.length, DUPLICATES);

  const db = t.runtime.db;
  const stored = await db.selectFrom('payment_events').select(['id', 'applied_at']).execute();
  assert.equal(stored.length, GENUINE, 'only genuine events are stored');
  const genuineIds = new Set(events.map((e) => String(e.id)));
  assert.ok(stored.every((e) => genuineIds.has(e.id) && e.applied_at !== null));

  // orders: each moved exactly as its genuine events say
  const rows = await db
    .selectFrom('orders')
    .select(['id', 'status', 'refunded_amount', 'disputed_amount'])
    .where(
      'id',
      'in',
      orders.map((o) => o.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const expect = (list: Order[], status: string, refundedOf = (_o: Order) => 0) => {
    for (const order of list) {
      const row = byId.get(order.id);
      assert.equal(row?.status, status, `order ${order.id}`);
      assert.equal(row.refunded_amount, refundedOf(order), `order ${order.id} refunded`);
    }
  };
  expect(paidOnly, 'paid');
  expect(unpaid, 'pending');
  expect(refunded, 'partially_refunded', refundOf);
  expect(won, 'paid');
  expect(
    disputed.filter((o) => !won.includes(o)),
    'disputed',
  );
  const statusCount: Record<string, number> = {};
  for (const r of rows) statusCount[r.status] = (statusCount[r.status] ?? 0) + 1;

  // the ledger: one transaction per business event, and it balances
  const kinds = await sql<{ kind: string; n: number }>`
    select kind, count(*)::int as n from ledger_transactions group by kind order by kind`.execute(
    db,
  );
  const kindCount = Object.fromEntries(kinds.rows.map((r) => [r.kind, r.n]));
  assert.deepEqual(kindCount, {
    sale: ORDERS,
    refund: REFUNDED,
    dispute: DISPUTED,
    dispute_won: DISPUTES_WON,
  });
  const sums = await sql<{ currency: string; total: number }>`
    select currency, sum(amount)::int as total from ledger_postings group by currency`.execute(db);
  assert.ok(sums.rows.length > 0);
  for (const row of sums.rows) assert.equal(row.total, 0, `the ledger balances in ${row.currency}`);
  log(
    `observed: orders ${JSON.stringify(statusCount)}; ledger transactions ` +
      `${JSON.stringify(kindCount)}; ledger sums ${JSON.stringify(sums.rows)}`,
  );
});
