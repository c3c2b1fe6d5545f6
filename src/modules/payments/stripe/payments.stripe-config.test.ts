import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { send } from '../../../../test/helpers/http.js';
import { call, signUpCreator, signUpFan, type Err } from '../../catalog/catalog.test-helpers.js';
import { publishedItem } from '../payments.test-helpers.js';
import { signPayload } from './stripe-signature.js';

// PAYMENTS=stripe with Stripe out of reach (STRIPE_API_BASE names a port nobody listens on):
// paid checkouts say so (503), free claims still work, and Stripe-signed events are verified
// with STRIPE_WEBHOOK_SECRET.
const WEBHOOK_SECRET = 'whsec_stripe_test_secret';
let t: TestApp;

before(async () => {
  t = await createTestApp({
    env: {
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: 'http://127.0.0.1:9',
    },
  });
});
after(() => t.close());

test('with PAYMENTS=stripe and Stripe unreachable, a paid checkout answers 503 and a free one works', async () => {
  const creator = await signUpCreator(t.app);
  const fan = await signUpFan(t.app);
  const paid = await publishedItem(t.app, creator, { model: 'fixed', amount: 900 });
  const res = await call(t.app, fan, 'POST', '/checkout', { item_id: paid.id });
  assert.equal(res.statusCode, 503);
  assert.equal(res.json<Err>().error.code, 'PAYMENTS_UNAVAILABLE');
  assert.ok(res.headers['retry-after']);
  const free = await publishedItem(t.app, creator, { model: 'free' });
  assert.equal((await call(t.app, fan, 'POST', '/checkout', { item_id: free.id })).statusCode, 201);
  // No local checkout pages, no local webhook.
  assert.equal(
    (await send(t.app, fan.jar, { url: '/pay/local/cs_local_abcdefghijkl' })).statusCode,
    404,
  );
});

test('stripe webhooks are verified with STRIPE_WEBHOOK_SECRET; local ones are not accepted', async () => {
  const body = JSON.stringify({ id: 'evt_s1', type: 'customer.created', data: { object: {} } });
  const post = (processor: string, secret: string) =>
    t.app.inject({
      method: 'POST',
      url: `/webhooks/payments/${processor}`,
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signPayload(body, secret, Math.floor(Date.now() / 1000)),
      },
      payload: body,
    });
  assert.equal((await post('stripe', 'whsec_wrong')).statusCode, 400);
  assert.equal((await post('stripe', WEBHOOK_SECRET)).statusCode, 200);
  assert.equal((await post('local', WEBHOOK_SECRET)).statusCode, 404);
});
