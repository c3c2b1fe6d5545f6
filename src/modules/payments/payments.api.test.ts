import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import { balances } from '../ledger/index.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
  type Err,
  type ItemBody,
} from '../catalog/catalog.test-helpers.js';
import { localProcessorFee, localWebhookSecret } from './local/local-processor.js';
import { claimGuestOrders } from './orders.service.js';
import {
  paymentJobsDrained,
  payOnLocalPage,
  publishedItem,
  settledStatus,
  type CheckoutBody,
} from './payments.test-helpers.js';
import { signPayload } from './stripe/stripe-signature.js';

const APP_SECRET = 'test-secret-that-is-long-enough-for-hmac-keys';
let t: TestApp;
let creator: Creator;
let fan: Creator;
let item: ItemBody;

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  fan = await signUpFan(t.app);
  item = await publishedItem(t.app, creator, { model: 'fixed', amount: 1500 });
});
after(() => t.close());

const db = () => t.runtime.db;

async function checkout(user: Creator, body: Record<string, unknown>) {
  const res = await call(t.app, user, 'POST', '/checkout', body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json<CheckoutBody>();
}

async function countEvents(): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from payment_events`.execute(
    db(),
  );
  return rows[0]?.n ?? 0;
}

async function salesOf(orderId: string): Promise<number> {
  const rows = await db()
    .selectFrom('ledger_transactions')
    .select('id')
    .where('order_id', '=', orderId)
    .where('kind', '=', 'sale')
    .execute();
  return rows.length;
}

function signedPost(body: string, secret: string) {
  return t.app.inject({
    method: 'POST',
    url: '/webhooks/payments/local',
    headers: {
      // as Stripe sends it
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': signPayload(body, secret, Math.floor(Date.now() / 1000)),
    },
    payload: body,
  });
}

test('paying on the local page makes the order paid, posts the sale once, and grants the item', async () => {
  const { order, checkout_url } = await checkout(fan, { item_id: item.id });
  assert.equal(order.status, 'pending');
  assert.equal(order.amount, 1500);
  assert.equal(order.currency, 'USD');
  assert.ok(checkout_url);
  assert.ok(checkout_url.startsWith('http://localhost:3000/pay/local/cs_local_'));

  const page = await send(t.app, fan.jar, { url: new URL(checkout_url).pathname });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Notes from the river/);
  assert.match(page.body, /name="outcome" value="succeeded"/);
  assert.match(page.body, /name="_csrf"/);

  const paid = await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', fan.csrf);
  assert.equal(paid.statusCode, 303);
  assert.equal(await settledStatus(db(), order.id), 'paid');

  const [balance] = await balances(db(), creator.id);
  assert.equal(balance?.pending, 1500 - localProcessorFee(1500));
  assert.equal(balance.available, 0);

  // The buyer reads the order and finds the item in the library; the creator may read it too.
  const read = await call(t.app, fan, 'GET', `/orders/${order.id}`);
  assert.equal(read.json<CheckoutBody>().order.status, 'paid');
  assert.equal((await call(t.app, creator, 'GET', `/orders/${order.id}`)).statusCode, 200);
  const library = await call(t.app, fan, 'GET', '/library');
  const entries = library.json<{ items: { item: { id: string }; order_id: string }[] }>().items;
  assert.deepEqual(
    entries.map((e) => [e.item.id, e.order_id]),
    [[item.id, order.id]],
  );

  // A second submission is refused and sends no event.
  const events = await countEvents();
  const again = await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', fan.csrf);
  assert.equal(again.statusCode, 409);
  await paymentJobsDrained(db());
  assert.equal(await countEvents(), events);

  // The same signed event re-delivered: 200, and nothing changes.
  const stored = await db()
    .selectFrom('payment_events')
    .select('payload')
    .where(sql<boolean>`payload->'data'->'object'->'metadata'->>'order_id' = ${order.id}`)
    .executeTakeFirstOrThrow();
  const redelivered = await signedPost(
    JSON.stringify(stored.payload),
    localWebhookSecret(APP_SECRET),
  );
  assert.equal(redelivered.statusCode, 200);
  assert.equal(redelivered.json<{ duplicate: boolean }>().duplicate, true);
  // Even another event id reporting the same payment posts no second sale.
  const another = { ...stored.payload, id: 'evt_local_another_delivery' };
  assert.equal(
    (await signedPost(JSON.stringify(another), localWebhookSecret(APP_SECRET))).statusCode,
    200,
  );
  await paymentJobsDrained(db());
  assert.equal(await salesOf(order.id), 1);
  const [after] = await balances(db(), creator.id);
  assert.equal(after?.pending, 1500 - localProcessorFee(1500));
});

test('a forged or unsigned webhook gets 400 and changes nothing', async () => {
  const { order } = await checkout(fan, { item_id: item.id });
  const event = JSON.stringify({
    id: 'evt_forged_1',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: 'cs_forged',
        payment_intent: 'pi_forged',
        amount_total: 1500,
        currency: 'usd',
        metadata: { order_id: order.id },
        fee: 0,
      },
    },
  });
  const events = await countEvents();
  const forged = await signedPost(event, 'whsec_guessed');
  assert.equal(forged.statusCode, 400);
  const unsigned = await t.app.inject({
    method: 'POST',
    url: '/webhooks/payments/local',
    headers: { 'content-type': 'application/json' },
    payload: event,
  });
  assert.equal(unsigned.statusCode, 400);
  assert.equal(
    (
      await t.app.inject({
        method: 'POST',
        url: '/webhooks/payments/paypal',
        payload: event,
        headers: { 'content-type': 'application/json' },
      })
    ).statusCode,
    404,
  );
  assert.equal(await countEvents(), events);
  await paymentJobsDrained(db());
  const row = await db()
    .selectFrom('orders')
    .select('status')
    .where('id', '=', order.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.status, 'pending');
});

test('a declined payment fails the order and posts nothing', async () => {
  const { order, checkout_url } = await checkout(fan, { item_id: item.id });
  assert.ok(checkout_url);
  const declined = await payOnLocalPage(t.app, fan.jar, checkout_url, 'declined', fan.csrf);
  assert.equal(declined.statusCode, 303);
  assert.equal(await settledStatus(db(), order.id), 'failed');
  assert.equal(await salesOf(order.id), 0);
});

test('prices: pay-what-you-want minimum, members only, free claims, and what is not for sale', async () => {
  const pwyw = await publishedItem(t.app, creator, { model: 'pwyw', minimum: 500, suggested: 800 });
  const low = await call(t.app, fan, 'POST', '/checkout', { item_id: pwyw.id, amount: 499 });
  assert.equal(low.statusCode, 422);
  assert.equal(low.json<Err>().error.code, 'AMOUNT_BELOW_MINIMUM');
  const huge = await call(t.app, fan, 'POST', '/checkout', { item_id: pwyw.id, amount: 1e12 });
  assert.equal(huge.json<Err>().error.code, 'AMOUNT_TOO_LARGE');
  assert.equal((await checkout(fan, { item_id: pwyw.id, amount: 900 })).order.amount, 900);
  assert.equal((await checkout(fan, { item_id: pwyw.id })).order.amount, 800);

  const members = await publishedItem(t.app, creator, { model: 'members' });
  const refused = await call(t.app, fan, 'POST', '/checkout', { item_id: members.id });
  assert.equal(refused.json<Err>().error.code, 'MEMBERS_ONLY');

  const free = await publishedItem(t.app, creator, { model: 'free' });
  const claimed = await checkout(fan, { item_id: free.id });
  assert.equal(claimed.order.status, 'paid');
  assert.equal(claimed.checkout_url, null);
  assert.equal(await salesOf(claimed.order.id), 0);
  const zero = await publishedItem(t.app, creator, { model: 'pwyw', minimum: 0 });
  assert.equal((await checkout(fan, { item_id: zero.id, amount: 0 })).order.status, 'paid');

  const project = await makeProject(t.app, creator, { title: 'Drafts' });
  const draft = await makeItem(t.app, creator, project.id, {
    price: { model: 'fixed', amount: 100 },
  });
  const unpublished = await call(t.app, fan, 'POST', '/checkout', { item_id: draft.id });
  assert.equal(unpublished.statusCode, 404);
  const missing = await call(t.app, fan, 'POST', '/checkout', {
    item_id: '00000000-0000-4000-8000-000000000000',
  });
  assert.equal(missing.statusCode, 404);
});

test('a guest pays by email; a verified account with that email gets the order', async () => {
  const buyer = await signUpFan(t.app);
  await db()
    .updateTable('users')
    .set({ email_verified_at: new Date() })
    .where('id', '=', buyer.id)
    .execute();
  const guest = newJar();
  const noEmail = await send(t.app, guest, { url: '/api/v1/checkout', json: { item_id: item.id } });
  assert.equal(noEmail.statusCode, 422);
  assert.equal(noEmail.json<Err>().error.code, 'EMAIL_REQUIRED');
  const badEmail = await send(t.app, guest, {
    url: '/api/v1/checkout',
    json: { item_id: item.id, email: 'not an email' },
  });
  assert.equal(badEmail.statusCode, 422);

  const res = await send(t.app, guest, {
    url: '/api/v1/checkout',
    json: { item_id: item.id, email: buyer.email.toUpperCase() },
  });
  assert.equal(res.statusCode, 201, res.body);
  const { order, checkout_url } = res.json<CheckoutBody>();
  assert.ok(checkout_url);
  assert.equal((await send(t.app, guest, { url: new URL(checkout_url).pathname })).statusCode, 200);
  assert.equal((await payOnLocalPage(t.app, guest, checkout_url, 'succeeded')).statusCode, 303);
  assert.equal(await settledStatus(db(), order.id), 'paid');
  const library = await call(t.app, buyer, 'GET', '/library');
  assert.deepEqual(
    library.json<{ items: { order_id: string }[] }>().items.map((e) => e.order_id),
    [order.id],
  );
  // Someone else cannot read it.
  assert.equal((await call(t.app, fan, 'GET', `/orders/${order.id}`)).statusCode, 404);
  assert.equal((await send(t.app, guest, { url: `/api/v1/orders/${order.id}` })).statusCode, 401);
});

test('a guest order waits for the email to be verified before it joins the account', async () => {
  const later = await signUpFan(t.app);
  const guest = newJar();
  const res = await send(t.app, guest, {
    url: '/api/v1/checkout',
    json: { item_id: item.id, email: later.email },
  });
  const { order, checkout_url } = res.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, guest, checkout_url, 'succeeded');
  assert.equal(await settledStatus(db(), order.id), 'paid');
  assert.equal(await claimGuestOrders(db(), later.id), 0, 'unverified: nothing moves');
  await db()
    .updateTable('users')
    .set({ email_verified_at: new Date() })
    .where('id', '=', later.id)
    .execute();
  assert.equal(await claimGuestOrders(db(), later.id), 1);
  assert.equal((await call(t.app, later, 'GET', `/orders/${order.id}`)).statusCode, 200);
});

function checkoutEvent(id: string, type: string, orderId: string, amount = 1500) {
  return JSON.stringify({
    id,
    type,
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: `cs_${id}`,
        payment_intent: `pi_${id}`,
        amount_total: amount,
        currency: 'usd',
        metadata: { order_id: orderId },
        customer_details: { email: null },
        fee: 74,
      },
    },
  });
}

test('events apply in any order: a late failure never undoes a payment, unknown types are ignored', async () => {
  const secret = localWebhookSecret(APP_SECRET);
  const { order } = await checkout(fan, { item_id: item.id });
  const paid = checkoutEvent('evt_order_a', 'checkout.session.completed', order.id);
  assert.equal((await signedPost(paid, secret)).statusCode, 200);
  const failed = checkoutEvent('evt_order_b', 'checkout.session.async_payment_failed', order.id);
  assert.equal((await signedPost(failed, secret)).statusCode, 200);
  const odd = checkoutEvent('evt_order_c', 'customer.created', order.id);
  assert.equal((await signedPost(odd, secret)).statusCode, 200);
  await paymentJobsDrained(db());
  assert.equal(await settledStatus(db(), order.id), 'paid');
  assert.equal(await salesOf(order.id), 1);
  const unapplied = await db()
    .selectFrom('payment_events')
    .select('id')
    .where('applied_at', 'is', null)
    .execute();
  assert.deepEqual(unapplied, []);

  // A completion reported after a failure still records the money the processor collected.
  const second = await checkout(fan, { item_id: item.id });
  const fail = checkoutEvent(
    'evt_order_d',
    'checkout.session.async_payment_failed',
    second.order.id,
  );
  await signedPost(fail, secret);
  assert.equal(await settledStatus(db(), second.order.id), 'failed');
  await signedPost(
    checkoutEvent('evt_order_e', 'checkout.session.completed', second.order.id),
    secret,
  );
  await paymentJobsDrained(db());
  assert.equal(await settledStatus(db(), second.order.id), 'paid');
  assert.equal(await salesOf(second.order.id), 1);
});

test('the checkout page form carries the session CSRF token, and a post without it is refused', async () => {
  const { checkout_url, order } = await checkout(fan, { item_id: item.id });
  assert.ok(checkout_url);
  const path = new URL(checkout_url).pathname;
  const page = await send(t.app, fan.jar, { url: path });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(token);
  assert.equal((await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded')).statusCode, 403);
  const missing = await send(t.app, fan.jar, { url: path, form: { _csrf: token } });
  assert.equal(missing.statusCode, 422);
  assert.equal(
    (await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', token)).statusCode,
    303,
  );
  assert.equal(await settledStatus(db(), order.id), 'paid');
  assert.equal(
    (await send(t.app, fan.jar, { url: '/pay/local/cs_local_nope_nope_nope' })).statusCode,
    404,
  );
});
