// After the payment: receipts with a claim link for guests, and money going back the way a
// processor reports it (refunds on its side, disputes opened and decided), driven from the local
// processor's developer panel exactly as a real processor's webhooks would arrive.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';
import { balances } from '../ledger/index.js';
import { call, signUpCreator, signUpFan, type Creator } from '../catalog/catalog.test-helpers.js';
import { localProcessorFee } from './local/local-processor.js';
import { LOCAL_DISPUTE_FEE } from './local/local-dev.service.js';
import {
  paymentJobsDrained,
  payOnLocalPage,
  publishedItem,
  settledStatus,
  type CheckoutBody,
} from './payments.test-helpers.js';

let t: TestApp;
let creator: Creator;
let admin: Creator;

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  admin = await signUpFan(t.app);
  await t.runtime.db
    .updateTable('users')
    .set({ is_admin: true })
    .where('id', '=', admin.id)
    .execute();
});
after(() => t.close());

async function mailTo(to: string): Promise<string[]> {
  const rows = await t.runtime.db
    .selectFrom('mail_messages')
    .select('text_body')
    .where('to_address', '=', to)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => row.text_body);
}

async function buy(jar: Jar, itemId: string, email?: string): Promise<string> {
  const started = await send(t.app, jar, {
    url: '/api/v1/checkout',
    json: { item_id: itemId, ...(email && { email }) },
    headers: { 'x-csrf-token': await csrfFor(t.app, jar) },
  });
  assert.equal(started.statusCode, 201, started.body);
  const { order, checkout_url } = started.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, jar, checkout_url, 'succeeded', await csrfFor(t.app, jar));
  assert.equal(await settledStatus(t.runtime.db, order.id), 'paid');
  return order.id;
}

async function usd(userId: string) {
  const rows = await balances(t.runtime.db, userId);
  return rows.find((row) => row.currency === 'USD');
}

async function order(id: string) {
  return t.runtime.db
    .selectFrom('orders')
    .select(['status', 'refunded_amount', 'disputed_amount', 'processor_payment_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function panelPost(path: string, form: Record<string, string> = {}) {
  const res = await send(t.app, admin.jar, {
    url: path,
    form: { ...form, _csrf: await csrfFor(t.app, admin.jar) },
  });
  await paymentJobsDrained(t.runtime.db);
  return res;
}

test('a guest gets a receipt with a claim link, and keeps the purchase in a new account', async () => {
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 1200 });
  const email = `guest${Date.now()}@example.com`;
  const orderId = await buy(newJar(), item.id, email);

  const [receipt] = await mailTo(email);
  assert.ok(receipt, 'a receipt was mailed to the guest');
  assert.match(receipt, /Thank you for buying "/);
  assert.match(receipt, /^ {2}Amount: +\$12\.00$/m);
  const claimUrl = /https?:\/\/\S+\/claim\/\S+/.exec(receipt)?.[0];
  assert.ok(claimUrl, 'the receipt carries a claim link');
  const claimPath = new URL(claimUrl).pathname;

  const visitor = newJar();
  const landing = await send(t.app, visitor, { url: claimPath });
  assert.equal(landing.statusCode, 200);
  assert.match(landing.body, /Create a free account/);
  assert.ok(landing.body.includes(`next=${encodeURIComponent(claimPath)}`));

  // someone else's token, or a forged one, opens nothing
  const forged = `${orderId}.${'A'.repeat(43)}`;
  assert.equal((await send(t.app, visitor, { url: `/claim/${forged}` })).statusCode, 404);
  assert.equal((await send(t.app, visitor, { url: '/claim/nonsense' })).statusCode, 404);

  const buyer = await signUp(t.app); // another address than the purchase: the link is the proof
  const claimed = await send(t.app, buyer.jar, {
    url: claimPath,
    form: { _csrf: await csrfFor(t.app, buyer.jar) },
  });
  assert.equal(claimed.statusCode, 303);
  assert.equal(claimed.headers.location, '/library');
  const library = await send(t.app, buyer.jar, { url: '/api/v1/library' });
  const owned = library.json<{ items: { order_id: string }[] }>().items;
  assert.deepEqual(
    owned.map((entry) => entry.order_id),
    [orderId],
  );

  // a second account cannot take it away
  const thief = await signUp(t.app);
  const again = await send(t.app, thief.jar, {
    url: claimPath,
    form: { _csrf: await csrfFor(t.app, thief.jar) },
  });
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /Kept in another account/);
  const after = await send(t.app, buyer.jar, { url: claimPath });
  assert.match(after.body, /In your library/);
});

test('a signed-in buyer is told the purchase is in their library, beside the link that opens it', async () => {
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 700 });
  const fan = await signUpFan(t.app);
  await buy(fan.jar, item.id);
  const receipt = (await mailTo(fan.email)).find((text) => text.includes('Thank you for buying'));
  assert.ok(receipt, 'a receipt was mailed to the account address');
  assert.match(receipt, /It is also in your library: http:\/\/localhost:3000\/library/);
  assert.match(receipt, /^http:\/\/localhost:3000\/claim\/\S+$/m);
  assert.doesNotMatch(receipt, /keep it in a free Makenot\.work account/, 'no account offer');
});

test('the developer panel is for admins only', async () => {
  const fan = await signUpFan(t.app);
  assert.equal((await send(t.app, fan.jar, { url: '/pay/local/dev' })).statusCode, 404);
  assert.equal((await send(t.app, newJar(), { url: '/pay/local/dev' })).statusCode, 303);
  const page = await send(t.app, admin.jar, { url: '/pay/local/dev' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Developer panel/);
});

test('a refund made on the processor side reaches the order and the ledger once', async () => {
  const seller = await signUpCreator(t.app);
  const item = await publishedItem(t.app, seller, { model: 'fixed', amount: 2000 });
  const fan = await signUpFan(t.app);
  const orderId = await buy(fan.jar, item.id);
  const { processor_payment_id: paymentId } = await order(orderId);
  assert.ok(paymentId);
  const before = await usd(seller.id);
  assert.equal(before?.pending, 2000 - localProcessorFee(2000));

  const res = await panelPost(`/pay/local/dev/payments/${paymentId}/refund`, { amount: '5.00' });
  assert.equal(res.statusCode, 303);
  assert.deepEqual(
    { ...(await order(orderId)), processor_payment_id: null },
    {
      status: 'partially_refunded',
      refunded_amount: 500,
      disputed_amount: 0,
      processor_payment_id: null,
    },
  );
  assert.equal((await usd(seller.id))?.pending, 2000 - localProcessorFee(2000) - 500);

  // a refund through our API is reported back by the processor too: recorded once, not twice
  const refund = await call(t.app, seller, 'POST', `/orders/${orderId}/refund`, { amount: 300 });
  assert.equal(refund.statusCode, 200, refund.body);
  await paymentJobsDrained(t.runtime.db);
  assert.equal((await order(orderId)).refunded_amount, 800);
  assert.equal((await usd(seller.id))?.pending, 2000 - localProcessorFee(2000) - 800);

  const tooMuch = await panelPost(`/pay/local/dev/payments/${paymentId}/refund`, {
    amount: '50.00',
  });
  assert.equal(tooMuch.statusCode, 409);
  assert.equal((await order(orderId)).refunded_amount, 800);
});

test('a dispute takes the money and the access; winning it gives the amount back, not the fee', async () => {
  const seller = await signUpCreator(t.app);
  const item = await publishedItem(t.app, seller, { model: 'fixed', amount: 3000 });
  const fan = await signUpFan(t.app);
  const orderId = await buy(fan.jar, item.id);
  const { processor_payment_id: paymentId } = await order(orderId);
  const net = 3000 - localProcessorFee(3000);

  await panelPost(`/pay/local/dev/payments/${paymentId}/dispute`);
  const disputed = await order(orderId);
  assert.equal(disputed.status, 'disputed');
  assert.equal(disputed.disputed_amount, 3000);
  const money = await usd(seller.id);
  assert.equal((money?.pending ?? 0) + (money?.available ?? 0), 0, 'the sale is gone');
  assert.equal(money?.debt, 3000 + LOCAL_DISPUTE_FEE - net, 'the fee beyond it is owed');
  const library = await send(t.app, fan.jar, { url: '/api/v1/library' });
  type Listed = { state: string; item: { id: string; body: string | null } };
  const listed = library.json<{ items: Listed[] }>().items;
  assert.deepEqual(
    listed.map((entry) => [entry.item.id, entry.state, entry.item.body]),
    [[item.id, 'disputed', null]],
    'listed as disputed, with no access while disputed',
  );

  // a second dispute on the same payment is refused while one is open
  const twice = await panelPost(`/pay/local/dev/payments/${paymentId}/dispute`);
  assert.equal(twice.statusCode, 409);

  const { id: disputeId } = await t.runtime.db
    .selectFrom('local_disputes')
    .select('id')
    .where('payment_id', '=', paymentId ?? '')
    .executeTakeFirstOrThrow();
  await panelPost(`/pay/local/dev/disputes/${disputeId}/close`, { outcome: 'won' });
  const won = await order(orderId);
  assert.equal(won.status, 'paid');
  assert.equal(won.disputed_amount, 0);
  // the amount is back (on hold with the sale; the debt is repaid when it is released)
  const after = await usd(seller.id);
  const standing = (after?.pending ?? 0) + (after?.available ?? 0) - (after?.debt ?? 0);
  assert.equal(standing, net - LOCAL_DISPUTE_FEE);
  const back = await send(t.app, fan.jar, { url: '/api/v1/library' });
  assert.deepEqual(
    back.json<{ items: Listed[] }>().items.map((entry) => [entry.state, entry.item.body]),
    [['owned', 'Words worth paying for.']],
    'access is back',
  );
});

test('a lost dispute keeps the order disputed and the buyer without access', async () => {
  const seller = await signUpCreator(t.app);
  const item = await publishedItem(t.app, seller, { model: 'fixed', amount: 1000 });
  const fan = await signUpFan(t.app);
  const orderId = await buy(fan.jar, item.id);
  const { processor_payment_id: paymentId } = await order(orderId);
  await panelPost(`/pay/local/dev/payments/${paymentId}/dispute`);
  const { id } = await t.runtime.db
    .selectFrom('local_disputes')
    .select('id')
    .where('payment_id', '=', paymentId ?? '')
    .executeTakeFirstOrThrow();
  await panelPost(`/pay/local/dev/disputes/${id}/close`, { outcome: 'lost' });
  assert.equal((await order(orderId)).status, 'disputed');
  const closedAgain = await panelPost(`/pay/local/dev/disputes/${id}/close`, { outcome: 'won' });
  assert.equal(closedAgain.statusCode, 409, 'a decided dispute stays decided');
  assert.equal((await order(orderId)).status, 'disputed');
});
