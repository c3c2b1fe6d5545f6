// A keyed checkout with the Stripe processor (the app against test/fakes' Stripe): the Stripe
// Checkout Session is opened inside the request's transaction, the retry with the same key is
// answered from the stored answer (one order, one session), and Stripe's signed event pays
// the order once the request has committed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { send } from '../../../test/helpers/http.js';
import { startFakeStripe, type FakeStripe } from '../../../test/fakes/stripe-fake-server.js';
import { signUpCreator, signUpFan } from '../../modules/catalog/catalog.test-helpers.js';
import {
  publishedItem,
  settledStatus,
  type CheckoutBody,
} from '../../modules/payments/payments.test-helpers.js';

const WEBHOOK_SECRET = 'whsec_makenot_stripe_fake';
let fake: FakeStripe;
let t: TestApp;

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
});
after(async () => {
  await t.close();
  await fake.close();
});

test('a keyed Stripe checkout retried: one order, one Checkout Session, paid by its event', async () => {
  const creator = await signUpCreator(t.app);
  const fan = await signUpFan(t.app);
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 1200 });
  const key = `stripe-${randomUUID()}`;
  const checkout = () =>
    send(t.app, fan.jar, {
      url: '/api/v1/checkout',
      json: { item_id: item.id },
      headers: { 'x-csrf-token': fan.csrf, 'idempotency-key': key },
    });
  const first = await checkout();
  assert.equal(first.statusCode, 201, first.body);
  const again = await checkout();
  assert.equal(again.headers['idempotent-replayed'], 'true');
  assert.equal(again.body, first.body);

  const { order, checkout_url } = first.json<CheckoutBody>();
  const sessions = fake.sessions.filter((s) => {
    const metadata = s.params.metadata;
    return (
      typeof metadata === 'object' && !Array.isArray(metadata) && metadata.order_id === order.id
    );
  });
  assert.equal(sessions.length, 1, 'one Checkout Session at Stripe');
  const [session] = sessions;
  assert.ok(session);
  assert.equal(checkout_url, session.object.url);
  const orders = await t.runtime.db
    .selectFrom('orders')
    .select('id')
    .where('item_id', '=', item.id)
    .execute();
  assert.equal(orders.length, 1);

  const event = fake.completeCheckout(String(session.object.id), { fee: 65 });
  const payload = JSON.stringify(event);
  const delivered = await t.app.inject({
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
  assert.equal(delivered.statusCode, 200);
  assert.equal(await settledStatus(t.runtime.db, order.id), 'paid');
});
