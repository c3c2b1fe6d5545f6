// Pending orders expire after 24 hours (issue 15) with the local processor: the order fails as
// `expired` and gives back what it held (a limited promo code's use, its item, which may then be
// deleted), its checkout page stops taking payments, and a payment that still arrives for it is
// honoured, or refunded by itself when its item was deleted meanwhile: money is never lost.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, send } from '../../../test/helpers/http.js';
import {
  call,
  signUpCreator,
  signUpFan,
  type Creator,
  type Err,
} from '../catalog/catalog.test-helpers.js';
import { balances } from '../ledger/index.js';
import { findBoughtItems, localWebhookSecret, LocalProcessor } from './index.js';
import { localProcessorFee } from './local/local-processor.js';
import { expirePendingOrders } from './order-expiry.js';
import {
  orderStatus,
  paymentJobsDrained,
  payOnLocalPage,
  publishedItem,
  settledStatus,
  until,
  type CheckoutBody,
} from './payments.test-helpers.js';
import { signPayload } from './stripe/stripe-signature.js';

const APP_SECRET = 'test-secret-that-is-long-enough-for-hmac-keys';
let t: TestApp;
let creator: Creator;
const db = () => t.runtime.db;
const silent = { warn: () => undefined };

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
});
after(() => t.close());

const expire = () =>
  expirePendingOrders({ db: db(), processor: new LocalProcessor(db(), t.runtime.config) }, silent);

/** The order was placed 25 hours ago. */
const age = (orderId: string) =>
  sql`update orders set created_at = now() - interval '25 hours' where id = ${orderId}`.execute(
    db(),
  );

async function startCheckout(fan: Creator, body: Record<string, unknown>) {
  const res = await call(t.app, fan, 'POST', '/checkout', body);
  assert.equal(res.statusCode, 201, res.body);
  const started = res.json<CheckoutBody>();
  assert.equal(started.order.status, 'pending');
  assert.ok(started.checkout_url);
  return { order: started.order, checkoutUrl: started.checkout_url };
}

/**
 * The processor took the payment, but its event reaches us only now, after the order expired
 * (a webhook delayed for hours, as Stripe's can be for days): the session is completed on the
 * local processor's side and its signed event delivered.
 */
async function latePayment(orderId: string, amount: number) {
  const paymentId = `pi_local_late_${randomBytes(9).toString('hex')}`;
  const session = await db()
    .updateTable('local_checkout_sessions')
    .set({ outcome: 'succeeded', payment_id: paymentId, completed_at: new Date() })
    .where('order_id', '=', orderId)
    .returning('id')
    .executeTakeFirstOrThrow();
  const body = JSON.stringify({
    id: `evt_local_late_${randomBytes(9).toString('hex')}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: session.id,
        object: 'checkout.session',
        mode: 'payment',
        payment_intent: paymentId,
        payment_status: 'paid',
        amount_total: amount,
        currency: 'usd',
        metadata: { order_id: orderId },
        customer_details: { email: null },
        fee: localProcessorFee(amount),
      },
    },
  });
  const res = await t.app.inject({
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
  assert.equal(res.statusCode, 200, res.body);
}

test('an order unpaid for 24 hours expires: its promo code use comes back, its page stops taking payment', async () => {
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 1000 });
  const code = await call(t.app, creator, 'POST', '/promo-codes', {
    code: `ONCE-${randomBytes(3).toString('hex')}`,
    kind: 'percent',
    percent_off: 50,
    max_redemptions: 1,
  });
  assert.equal(code.statusCode, 201, code.body);
  const promo = code.json<{ promo_code: { code: string } }>().promo_code.code;
  const first = await signUpFan(t.app);
  const second = await signUpFan(t.app);
  const held = await startCheckout(first, { item_id: item.id, promo_code: promo });
  const usedUp = await call(t.app, second, 'POST', '/checkout', {
    item_id: item.id,
    promo_code: promo,
  });
  assert.equal(usedUp.json<Err>().error.code, 'PROMO_USED_UP', 'the pending order holds the use');

  assert.equal(await expire(), 0, 'not 24 hours old yet');
  await age(held.order.id);
  assert.equal(await expire(), 1);
  const expired = await call(t.app, first, 'GET', `/orders/${held.order.id}`);
  assert.equal(expired.json<{ order: { status: string } }>().order.status, 'failed');
  const row = await db()
    .selectFrom('orders')
    .select('failure_reason')
    .where('id', '=', held.order.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.failure_reason, 'expired');

  // the old checkout page says so and takes no payment
  const path = new URL(held.checkoutUrl).pathname;
  const page = await send(t.app, first.jar, { url: path });
  assert.match(page.body, /This checkout has expired/);
  assert.doesNotMatch(page.body, /The payment succeeds/);
  const paid = await payOnLocalPage(
    t.app,
    first.jar,
    held.checkoutUrl,
    'succeeded',
    await csrfFor(t.app, first.jar),
  );
  assert.equal(paid.statusCode, 410);
  await paymentJobsDrained(db());
  assert.equal(await orderStatus(db(), held.order.id), 'failed', 'nothing was charged');

  // the code's one use is free again
  const again = await call(t.app, second, 'POST', '/checkout', {
    item_id: item.id,
    promo_code: promo,
  });
  assert.equal(again.statusCode, 201, again.body);
});

test('an expired order no longer keeps its item from being deleted; a late payment for it is refunded', async () => {
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 1200 });
  const fan = await signUpFan(t.app);
  const { order } = await startCheckout(fan, { item_id: item.id });
  const refused = await call(t.app, creator, 'DELETE', `/items/${item.id}`);
  assert.equal(refused.statusCode, 409, 'a pending order may still be paid');
  assert.equal(refused.json<Err>().error.code, 'ITEM_SOLD');

  await age(order.id);
  assert.equal(await expire(), 1);
  const deleted = await call(t.app, creator, 'DELETE', `/items/${item.id}`);
  assert.equal(deleted.statusCode, 204, deleted.body);

  const pendingBefore = (await balances(db(), creator.id))[0]?.pending ?? 0;
  await latePayment(order.id, 1200);
  await until(async () => {
    const status = await orderStatus(db(), order.id);
    return status === 'refunded' ? status : undefined;
  }, 'the late payment to be refunded');
  await paymentJobsDrained(db());
  const refunds = await db()
    .selectFrom('local_refunds')
    .select('amount')
    .where('order_id', '=', order.id)
    .execute();
  assert.deepEqual(refunds, [{ amount: 1200 }], 'the whole payment went back at the processor');
  const ledger = await db()
    .selectFrom('ledger_transactions')
    .select('kind')
    .where('order_id', '=', order.id)
    .orderBy('kind')
    .execute();
  assert.deepEqual(
    ledger.map((row) => row.kind),
    ['refund', 'sale'],
  );
  const balance = (await balances(db(), creator.id))[0];
  assert.equal(balance?.pending, pendingBefore, 'the creator keeps nothing of it');
  const mails = await db()
    .selectFrom('mail_messages')
    .select(['subject', 'text_body'])
    .where('to_address', '=', fan.email)
    .where((eb) =>
      eb.or([eb('subject', 'like', 'Your receipt%'), eb('subject', 'like', 'Your refund%')]),
    )
    .execute();
  assert.equal(mails.length, 1, 'a refund mail, and no receipt for what cannot be had');
  assert.match(mails[0]?.subject ?? '', /^Your refund: payment to /);
  assert.match(mails[0]?.text_body ?? '', /removed the\s+item from sale/);
});

test('a late payment for an expired order whose item is still for sale is honoured', async () => {
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 900 });
  const fan = await signUpFan(t.app);
  const { order } = await startCheckout(fan, { item_id: item.id });
  await age(order.id);
  assert.equal(await expire(), 1);
  await latePayment(order.id, 900);
  await until(async () => {
    const status = await orderStatus(db(), order.id);
    return status === 'paid' ? status : undefined;
  }, 'the late payment to be recorded');
  await paymentJobsDrained(db());
  assert.equal(await orderStatus(db(), order.id), 'paid');
  const owned = await findBoughtItems(db(), { userId: fan.id }, [item.id]);
  assert.equal(owned.has(item.id), true, 'the buyer has what they paid for');
});

test('a checkout paid at the last moment keeps its order for its event', async () => {
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 800 });
  const fan = await signUpFan(t.app);
  const { order, checkoutUrl } = await startCheckout(fan, { item_id: item.id });
  await payOnLocalPage(t.app, fan.jar, checkoutUrl, 'succeeded', await csrfFor(t.app, fan.jar));
  await age(order.id);
  await expire();
  assert.equal(await settledStatus(db(), order.id), 'paid');
});
