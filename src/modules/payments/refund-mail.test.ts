// The buyer hears about every refund exactly once, whichever path made it: the creator through
// our API (whose echo from the processor changes nothing), the processor's side (its developer
// panel) and a re-delivered or repeated event. A dispute sends the fan nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';
import { call, signUpCreator, signUpFan, type Creator } from '../catalog/catalog.test-helpers.js';
import { localWebhookSecret } from './local/local-processor.js';
import {
  paymentJobsDrained,
  payOnLocalPage,
  publishedItem,
  settledStatus,
  until,
  type CheckoutBody,
} from './payments.test-helpers.js';
import { orderNumber } from './purchase-facts.js';
import { signPayload } from './stripe/stripe-signature.js';

const APP_SECRET = 'test-secret-that-is-long-enough-for-hmac-keys';
let t: TestApp;
let creator: Creator;
let admin: Creator;
const db = () => t.runtime.db;

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  admin = await signUpFan(t.app);
  await db().updateTable('users').set({ is_admin: true }).where('id', '=', admin.id).execute();
});
after(() => t.close());

async function refundMails(to: string): Promise<string[]> {
  const rows = await db()
    .selectFrom('mail_messages')
    .select('text_body')
    .where('to_address', '=', to)
    .where('subject', 'like', 'Your refund:%')
    .orderBy('created_at')
    .execute();
  return rows.map((row) => row.text_body);
}

async function buy(jar: Jar, itemId: string, email?: string) {
  const started = await send(t.app, jar, {
    url: '/api/v1/checkout',
    json: { item_id: itemId, ...(email && { email }) },
    headers: { 'x-csrf-token': await csrfFor(t.app, jar) },
  });
  assert.equal(started.statusCode, 201, started.body);
  const { order, checkout_url } = started.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, jar, checkout_url, 'succeeded', await csrfFor(t.app, jar));
  assert.equal(await settledStatus(db(), order.id), 'paid');
  const { processor_payment_id: paymentId } = await db()
    .selectFrom('orders')
    .select('processor_payment_id')
    .where('id', '=', order.id)
    .executeTakeFirstOrThrow();
  assert.ok(paymentId);
  return { orderId: order.id, paymentId };
}

/** The processor's charge.refunded events about a payment, once all of them are applied. */
async function refundEvents(paymentId: string) {
  await paymentJobsDrained(db());
  return db()
    .selectFrom('payment_events')
    .select(['id', 'payload', 'applied_at'])
    .where('type', '=', 'charge.refunded')
    .where(sql<boolean>`payload->'data'->'object'->>'payment_intent' = ${paymentId}`)
    .orderBy('received_at')
    .execute();
}

async function panelPost(path: string, form: Record<string, string> = {}) {
  const res = await send(t.app, admin.jar, {
    url: path,
    form: { ...form, _csrf: await csrfFor(t.app, admin.jar) },
  });
  await paymentJobsDrained(db());
  return res;
}

function deliver(body: string) {
  return t.app.inject({
    method: 'POST',
    url: '/webhooks/payments/local',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': signPayload(
        Buffer.from(body),
        localWebhookSecret(APP_SECRET),
        Math.floor(Date.now() / 1000),
      ),
    },
    payload: body,
  });
}

test('a partial, then a full refund by the creator: two mails with their amounts and what access remains', async () => {
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 1500 });
  const fan = await signUpFan(t.app);
  const { orderId, paymentId } = await buy(fan.jar, item.id);

  const part = await call(t.app, creator, 'POST', `/orders/${orderId}/refund`, { amount: 500 });
  assert.equal(part.statusCode, 200, part.body);
  const rest = await call(t.app, creator, 'POST', `/orders/${orderId}/refund`, {});
  assert.equal(rest.statusCode, 200, rest.body);

  // the processor reports both refunds back; the echoes are applied and mail nothing
  const echoes = await refundEvents(paymentId);
  assert.equal(echoes.length, 2);
  assert.ok(echoes.every((event) => event.applied_at !== null));

  const mails = await refundMails(fan.email);
  assert.equal(mails.length, 2, mails.join('\n-----\n'));
  const [first, second] = mails;
  assert.ok(first && second);
  assert.match(first, /^ {2}Refunded: +\$5\.00$/m);
  assert.match(first, /^ {2}You paid: +\$15\.00$/m);
  assert.doesNotMatch(first, /Refunded in all/);
  assert.ok(first.includes(`Order:`) && first.includes(orderNumber(orderId)));
  assert.match(first, /partial refund: ".+" stays yours to read, play and download/);
  assert.match(first, /It is in your library: http:\/\/localhost:3000\/library/);
  assert.match(first, /Your bank usually shows it within 5 to 10 days/);

  assert.match(second, /^ {2}Refunded: +\$10\.00$/m);
  assert.match(second, /^ {2}Refunded in all: +\$15\.00$/m);
  assert.match(second, /whole payment is refunded, so your access to ".+" has ended/);
  assert.doesNotMatch(second, /stays yours/);
});

test('a refund on the processor side mails the guest once; a re-delivered or repeated event mails nothing', async () => {
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 2000 });
  const email = `guest${Date.now()}@example.com`;
  const { orderId, paymentId } = await buy(newJar(), item.id, email);

  const res = await panelPost(`/pay/local/dev/payments/${paymentId}/refund`, { amount: '7.50' });
  assert.equal(res.statusCode, 303);
  const [mail, ...more] = await refundMails(email);
  assert.ok(mail, 'the guest was mailed at the address they bought with');
  assert.equal(more.length, 0);
  assert.match(mail, /^ {2}Refunded: +\$7\.50$/m);
  assert.ok(mail.includes(orderNumber(orderId)));
  // a guest keeps the partly refunded purchase through its signed link
  assert.match(mail, /Open it: http:\/\/localhost:3000\/claim\/\S+/);

  const [event] = await refundEvents(paymentId);
  assert.ok(event);
  const again = JSON.stringify(event.payload);
  assert.equal((await deliver(again)).statusCode, 200, 'the same event id: a duplicate');
  const repeated = JSON.stringify({ ...event.payload, id: `${event.id}_again` });
  assert.equal((await deliver(repeated)).statusCode, 200);
  const applied = await until(async () => {
    const events = await refundEvents(paymentId);
    return events.length === 2 && events.every((e) => e.applied_at !== null) ? events : undefined;
  }, 'the repeated event to be applied');
  assert.equal(applied.length, 2);
  assert.equal((await refundMails(email)).length, 1);
  const order = await db()
    .selectFrom('orders')
    .select(['status', 'refunded_amount'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(order, { status: 'partially_refunded', refunded_amount: 750 });
});

test('a dispute is not a refund: the fan gets no refund mail', async () => {
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 1000 });
  const fan = await signUpFan(t.app);
  const { paymentId } = await buy(fan.jar, item.id);
  const before = await db()
    .selectFrom('mail_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('to_address', '=', fan.email)
    .executeTakeFirstOrThrow();
  const disputed = await panelPost(`/pay/local/dev/payments/${paymentId}/dispute`);
  assert.equal(disputed.statusCode, 303);
  const order = await db()
    .selectFrom('orders')
    .select('status')
    .where('processor_payment_id', '=', paymentId)
    .executeTakeFirstOrThrow();
  assert.equal(order.status, 'disputed');
  const afterwards = await db()
    .selectFrom('mail_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('to_address', '=', fan.email)
    .executeTakeFirstOrThrow();
  assert.equal(afterwards.n, before.n, 'nothing was mailed to the fan');
});
