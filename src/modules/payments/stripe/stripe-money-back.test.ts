// Issue 15 with the Stripe processor (the real app against test/fakes' Stripe): a refund Stripe
// did not answer stays reserved and its settle job finishes it under the same key; a keyed refund
// whose request died after Stripe refunded gets the same refund on retry, never a second; pending
// orders expire with their Checkout Session (one paid at the last moment waits for its event); a
// lost dispute of a membership payment ends the membership and cancels the subscription at Stripe.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import Stripe from 'stripe';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { send } from '../../../../test/helpers/http.js';
import {
  startFakeStripe,
  type FakeStripe,
  type Form,
} from '../../../../test/fakes/stripe-fake-server.js';
import {
  call,
  signUpCreator,
  signUpFan,
  type Creator,
} from '../../catalog/catalog.test-helpers.js';
import { makeProject, makeTier } from '../../memberships/memberships.test-helpers.js';
import type { MembershipJson } from '../../memberships/memberships.schemas.js';
import { expirePendingOrders } from '../order-expiry.js';
import { StripeProcessor } from './stripe-processor.js';
import {
  orderStatus,
  paymentJobsDrained,
  publishedItem,
  settledStatus,
  until,
  type CheckoutBody,
  type OrderBody,
} from '../payments.test-helpers.js';

const WEBHOOK_SECRET = 'whsec_makenot_stripe_fake';
let fake: FakeStripe;
let t: TestApp;
let stripe: StripeProcessor;

before(async () => {
  fake = await startFakeStripe();
  t = await createTestApp({
    runJobs: true,
    env: {
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: fake.secretKey,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: fake.url,
    },
  });
  const settings = t.runtime.config.stripe;
  assert.ok(settings);
  stripe = new StripeProcessor(settings);
});
after(async () => {
  await t.close();
  await fake.close();
});

const db = () => t.runtime.db;
const silent = { warn: () => undefined };

function deliver(event: unknown) {
  const payload = JSON.stringify(event);
  return t.app.inject({
    method: 'POST',
    url: '/webhooks/payments/stripe',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: WEBHOOK_SECRET,
      }),
    },
    payload,
  });
}

const sessionOf = (orderId: string) => {
  const session = fake.sessions.find((s) => (s.params.metadata as Form).order_id === orderId);
  assert.ok(session, 'a Checkout Session at Stripe');
  return session.object;
};

async function pendingOrder(creator: Creator, amount: number) {
  const fan = await signUpFan(t.app);
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount });
  const res = await call(t.app, fan, 'POST', '/checkout', { item_id: item.id });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<CheckoutBody>().order;
}

async function paidOrder(creator: Creator, amount: number) {
  const order = await pendingOrder(creator, amount);
  const event = fake.completeCheckout(String(sessionOf(order.id).id), { fee: 100 });
  assert.equal((await deliver(event)).statusCode, 200);
  assert.equal(await settledStatus(db(), order.id), 'paid');
  return order;
}

const stripeRefundsOf = (orderId: string) =>
  fake.refunds.filter((r) => (r.params.metadata as Form).order_id === orderId);

test('a refund Stripe does not answer stays reserved; its job finishes it under the same key', async () => {
  const creator = await signUpCreator(t.app);
  const order = await paidOrder(creator, 3000);
  fake.failNext(1_000_000, '/v1/refunds');
  const failed = await call(t.app, creator, 'POST', `/orders/${order.id}/refund`, { amount: 1000 });
  assert.equal(failed.statusCode, 503, failed.body);
  assert.equal(await orderStatus(db(), order.id), 'paid');
  // the 1000 are reserved: asking for everything now leaves them out
  const tooMuch = await call(t.app, creator, 'POST', `/orders/${order.id}/refund`, {
    amount: 2500,
  });
  assert.equal(tooMuch.statusCode, 422, tooMuch.body);
  assert.match(tooMuch.body, /at most 2000 minor units/);

  fake.failNext(0); // Stripe is back; the settle job (due in minutes) runs now
  const [intent] = await db()
    .selectFrom('order_refunds')
    .selectAll()
    .where('order_id', '=', order.id)
    .execute();
  assert.equal(intent?.status, 'pending');
  await sql`select graphile_worker.reschedule_jobs(
      array(select id from graphile_worker._private_jobs where key = ${`refund:${intent.id}`}),
      run_at := now())`.execute(db());
  await until(async () => {
    const status = await orderStatus(db(), order.id);
    return status === 'partially_refunded' ? status : undefined;
  }, 'the settle job to record the refund');
  await paymentJobsDrained(db());
  const refunds = stripeRefundsOf(order.id);
  assert.equal(refunds.length, 1);
  assert.equal(refunds[0]?.idempotencyKey, intent.processor_key);
});

test('a keyed refund whose request died after Stripe refunded gets that refund on retry', async () => {
  const creator = await signUpCreator(t.app);
  const order = await paidOrder(creator, 3000);
  // the first time a refund is recorded as settled, its database session dies (a crash)
  await sql`create sequence refund_killed_once`.execute(db());
  await sql`
    create function kill_refund_once() returns trigger language plpgsql as $$
    begin
      if new.status = 'succeeded' and nextval('refund_killed_once') = 1 then
        perform pg_terminate_backend(pg_backend_pid());
      end if;
      return new;
    end $$`.execute(db());
  await sql`create trigger kill_refund_once before update on order_refunds
    for each row execute function kill_refund_once()`.execute(db());
  try {
    const key = `refund-${randomUUID()}`;
    const refund = () =>
      send(t.app, creator.jar, {
        url: `/api/v1/orders/${order.id}/refund`,
        json: { amount: 1200 },
        headers: { 'x-csrf-token': creator.csrf, 'idempotency-key': key },
      });
    const first = await refund();
    assert.equal(first.statusCode, 503, first.body);
    assert.equal(stripeRefundsOf(order.id).length, 1, 'Stripe refunded before the crash');
    const intents = await db()
      .selectFrom('order_refunds')
      .select('id')
      .where('order_id', '=', order.id)
      .execute();
    assert.equal(intents.length, 0, 'nothing of the keyed request was committed');

    const retried = await refund();
    assert.equal(retried.statusCode, 200, retried.body);
    const body = retried.json<{ order: OrderBody & { refunded_amount: number } }>();
    assert.equal(body.order.refunded_amount, 1200);
    assert.equal(stripeRefundsOf(order.id).length, 1, 'the same refund, not a second');
  } finally {
    await sql`drop trigger kill_refund_once on order_refunds`.execute(db());
  }
  await paymentJobsDrained(db());
  const ledger = await db()
    .selectFrom('ledger_transactions')
    .select('id')
    .where('order_id', '=', order.id)
    .where('kind', '=', 'refund')
    .execute();
  assert.equal(ledger.length, 1);
});

test('an order unpaid for 24 hours expires with its Checkout Session; one paid at the last moment waits for its event', async () => {
  const creator = await signUpCreator(t.app);
  const unpaid = await pendingOrder(creator, 1500);
  const lastMoment = await pendingOrder(creator, 1600);
  const event = fake.completeCheckout(String(sessionOf(lastMoment.id).id), { fee: 80 });
  assert.equal(await expirePendingOrders({ db: db(), processor: stripe }, silent), 0);
  await sql`update orders set created_at = now() - interval '25 hours'
              where id in (${unpaid.id}, ${lastMoment.id})`.execute(db());

  assert.equal(await expirePendingOrders({ db: db(), processor: stripe }, silent), 1);
  assert.equal(sessionOf(unpaid.id).status, 'expired', 'nobody can pay the old price any more');
  const expired = await db()
    .selectFrom('orders')
    .select(['status', 'failure_reason'])
    .where('id', '=', unpaid.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(expired, { status: 'failed', failure_reason: 'expired' });
  assert.equal(await orderStatus(db(), lastMoment.id), 'pending');
  // a second run changes nothing (Stripe refuses to expire twice; we ask what became of it)
  assert.equal(await expirePendingOrders({ db: db(), processor: stripe }, silent), 0);
  assert.equal((await deliver(event)).statusCode, 200);
  assert.equal(await settledStatus(db(), lastMoment.id), 'paid');
});

test('a lost dispute of a membership renewal ends the membership and cancels it at Stripe', async () => {
  const creator = await signUpCreator(t.app);
  const fan = await signUpFan(t.app);
  const project = await makeProject(t.app, creator, { title: `Stripe members ${randomUUID()}` });
  const tier = await makeTier(t.app, creator, project.id);
  const joined = await call(t.app, fan, 'POST', '/memberships', {
    tier_id: tier.id,
    interval: 'month',
  });
  assert.equal(joined.statusCode, 201, joined.body);
  const { order } = joined.json<{ order: OrderBody }>();
  const completed = fake.completeCheckout(String(sessionOf(order.id).id));
  assert.equal((await deliver(completed)).statusCode, 200);
  assert.equal(await settledStatus(db(), order.id), 'paid');
  const subscriptionId = (completed.data as { object: Form }).object.subscription;
  assert.ok(typeof subscriptionId === 'string');
  const renewalPayment = `pi_renewal_${randomUUID()}`;
  const renewal = fake.event('invoice.paid', {
    id: `in_${randomUUID()}`,
    object: 'invoice',
    billing_reason: 'subscription_cycle',
    subscription: subscriptionId,
    amount_paid: 500,
    currency: 'usd',
    payment_intent: renewalPayment,
    period_end: Math.floor(Date.now() / 1000) + 60 * 86_400,
    fee: 45,
  });
  assert.equal((await deliver(renewal)).statusCode, 200);
  await until(
    () =>
      db()
        .selectFrom('orders')
        .select('id')
        .where('processor_payment_id', '=', renewalPayment)
        .executeTakeFirst(),
    'the renewal order',
  );
  const dispute = {
    id: `dp_${randomUUID()}`,
    object: 'dispute',
    payment_intent: renewalPayment,
    amount: 500,
    currency: 'usd',
    fee: 1500,
  };
  assert.equal(
    (await deliver(fake.event('charge.dispute.created', { ...dispute, status: 'needs_response' })))
      .statusCode,
    200,
  );
  await paymentJobsDrained(db());
  const membership = async () =>
    (await call(t.app, fan, 'GET', '/me/memberships'))
      .json<{ items: MembershipJson[] }>()
      .items.find((m) => m.tier_id === tier.id);
  assert.equal((await membership())?.status, 'active', 'an open dispute is not decided yet');

  const lost = fake.event('charge.dispute.closed', { ...dispute, status: 'lost' });
  assert.equal((await deliver(lost)).statusCode, 200);
  await paymentJobsDrained(db());
  const ended = await membership();
  assert.equal(ended?.status, 'ended');
  assert.equal(ended.has_access, false);
  const subscription = fake.subscriptions.find((s) => s.object.id === subscriptionId)?.object;
  await until(
    async () => (subscription?.status === 'canceled' ? true : undefined),
    'the subscription to be canceled at Stripe',
  );
  // reported again: nothing changes, and canceling a canceled subscription is no error
  assert.equal((await deliver({ ...lost, id: `evt_${randomUUID()}` })).statusCode, 200);
  await paymentJobsDrained(db());
  await stripe.cancelSubscription(subscriptionId, { atPeriodEnd: false });
  const failedJobs = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker.jobs
     where task_identifier = 'memberships:cancel_subscription'`.execute(db());
  assert.equal(failedJobs.rows[0]?.n, 0, 'no cancellation left failing');
  const mails = await db()
    .selectFrom('mail_messages')
    .select('text_body')
    .where('to_address', '=', fan.email)
    .where('subject', 'like', 'Your membership has ended%')
    .execute();
  assert.equal(mails.length, 1);
  assert.match(mails[0]?.text_body ?? '', /disputed with your bank/);
});
