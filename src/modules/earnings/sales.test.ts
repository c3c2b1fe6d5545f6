// The sales page and GET /me/sales: the creator's paid orders with who bought what, and the
// refund form: amounts in major units checked with clear errors, a confirmation before a full
// refund, the ledger reversed after it. Nobody else sees or refunds the sale.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { send } from '../../../test/helpers/http.js';
import { call, signUpCreator, signUpFan, type Creator } from '../catalog/catalog.test-helpers.js';
import { csrfIn, post } from '../catalog/dashboard/dashboard.test-helpers.js';
import { balances } from '../ledger/index.js';
import type { EarningsJson, SalesList } from './earnings.schemas.js';
import { buyAndPay } from './earnings.test-helpers.js';

let t: TestApp;
let creator: Creator;
let fan: Creator;
let sale: { orderId: string; itemId: string; title: string };

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  fan = await signUpFan(t.app);
  sale = await buyAndPay(t.app, t.runtime.db, creator, fan, 1500);
});
after(() => t.close());

const refundUrl = () => `/dashboard/sales/${sale.orderId}/refund`;

async function orderRow() {
  return t.runtime.db
    .selectFrom('orders')
    .select(['status', 'refunded_amount'])
    .where('id', '=', sale.orderId)
    .executeTakeFirstOrThrow();
}

async function refundForm(user: Creator) {
  const page = await send(t.app, user.jar, { url: refundUrl() });
  return { page, csrf: page.statusCode === 200 ? csrfIn(page.body) : user.csrf };
}

test('the sale is listed with its buyer, amount and status, in HTML and JSON', async () => {
  const page = await send(t.app, creator.jar, { url: '/dashboard/sales' });
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(sale.title));
  assert.ok(page.body.includes(`@${fan.handle}`));
  assert.ok(page.body.includes('$15.00'));
  assert.ok(page.body.includes(`href="${refundUrl()}"`));
  const json = await call(t.app, creator, 'GET', '/me/sales');
  assert.equal(json.statusCode, 200);
  const list = json.json<SalesList>();
  assert.equal(list.next_cursor, null);
  assert.deepEqual(
    list.items.map((s) => [s.id, s.kind, s.title, s.buyer, s.amount, s.status, s.refundable]),
    [[sale.orderId, 'item', sale.title, `@${fan.handle}`, 1500, 'paid', true]],
  );
});

test('another creator and a fan cannot see or refund the sale', async () => {
  const other = await signUpCreator(t.app);
  const theirs = await send(t.app, other.jar, { url: '/dashboard/sales' });
  assert.equal(theirs.statusCode, 200);
  assert.ok(!theirs.body.includes(sale.title));
  assert.equal((await send(t.app, other.jar, { url: refundUrl() })).statusCode, 404);
  const refused = await post(t.app, other.jar, refundUrl(), other.csrf, {
    amount: '15',
    confirm: 'full',
  });
  assert.equal(refused.statusCode, 404);
  assert.deepEqual((await call(t.app, other, 'GET', '/me/sales')).json<SalesList>().items, []);
  assert.equal((await send(t.app, fan.jar, { url: '/dashboard/sales' })).statusCode, 404);
  assert.equal((await send(t.app, fan.jar, { url: refundUrl() })).statusCode, 404);
  assert.deepEqual(await orderRow(), { status: 'paid', refunded_amount: 0 });
});

test('a refund amount that is not valid is refused with a message tied to the field', async () => {
  const { page, csrf } = await refundForm(creator);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /id="field-amount"[^>]*value="15.00"/);
  const cases: [string, string][] = [
    ['', 'Enter how much to refund, at most $15.00.'],
    ['ten', 'Enter an amount in numbers, like 12.50.'],
    ['1.234', 'Use at most 2 decimal places, like 12.50.'],
    ['0', 'Refund more than nothing.'],
    ['15.01', 'You can refund at most $15.00, what is left of this sale.'],
  ];
  for (const [amount, message] of cases) {
    const res = await post(t.app, creator.jar, refundUrl(), csrf, { amount });
    assert.equal(res.statusCode, 422, amount);
    assert.ok(
      res.body.includes(`<p class="field__error" id="field-amount-error">${message}</p>`),
      amount,
    );
    assert.match(
      res.body,
      /aria-invalid="true" aria-describedby="field-amount-prefix field-amount-hint field-amount-error"/,
    );
  }
  assert.deepEqual(await orderRow(), { status: 'paid', refunded_amount: 0 });
});

test('a partial refund, then the rest after a confirmation; the ledger follows', async () => {
  const pendingBefore = (await balances(t.runtime.db, creator.id))[0]?.pending;
  assert.equal(pendingBefore, 1426);
  const { csrf } = await refundForm(creator);
  const part = await post(t.app, creator.jar, refundUrl(), csrf, { amount: '5' });
  assert.equal(part.statusCode, 303, part.body);
  assert.equal(part.headers.location, `/dashboard/sales?done=refunded#sale-${sale.orderId}`);
  assert.deepEqual(await orderRow(), { status: 'partially_refunded', refunded_amount: 500 });
  assert.equal((await balances(t.runtime.db, creator.id))[0]?.pending, 926);
  const listed = await send(t.app, creator.jar, { url: '/dashboard/sales?done=refunded' });
  assert.ok(listed.body.includes('Refund sent.'));
  assert.ok(listed.body.includes('Partly refunded'));
  assert.ok(listed.body.includes('$5.00 refunded'));

  // the rest is everything left: a confirmation first, nothing refunded yet
  const asked = await post(t.app, creator.jar, refundUrl(), csrf, { amount: '10.00' });
  assert.equal(asked.statusCode, 200);
  assert.ok(asked.body.includes('Refund all $10.00?'));
  assert.match(asked.body, /name="confirm" value="full"/);
  assert.deepEqual(await orderRow(), { status: 'partially_refunded', refunded_amount: 500 });

  const done = await post(t.app, creator.jar, refundUrl(), csrfIn(asked.body), {
    amount: '10.00',
    confirm: 'full',
  });
  assert.equal(done.statusCode, 303, done.body);
  assert.deepEqual(await orderRow(), { status: 'refunded', refunded_amount: 1500 });
  const balance = (await balances(t.runtime.db, creator.id))[0];
  assert.deepEqual([balance?.pending, balance?.debt], [0, 74], 'the processor kept its fee');

  const after = await send(t.app, creator.jar, { url: '/dashboard/sales' });
  assert.ok(after.body.includes('Refunded'));
  assert.ok(after.body.includes('$15.00 refunded'));
  assert.ok(!after.body.includes(`href="${refundUrl()}"`), 'nothing left to refund');
  const again = await post(t.app, creator.jar, refundUrl(), csrf, { amount: '1' });
  assert.equal(again.statusCode, 409);

  const earnings = (await call(t.app, creator, 'GET', '/me/earnings')).json<EarningsJson>();
  const usd = earnings.currencies[0];
  assert.deepEqual([usd?.gross, usd?.fees, usd?.refunds, usd?.net], [1500, 74, 1500, -74]);
  const json = (await call(t.app, creator, 'GET', '/me/sales')).json<SalesList>();
  assert.deepEqual(
    json.items.map((s) => [s.status, s.refunded_amount, s.refundable]),
    [['refunded', 1500, false]],
  );
});

test('sales come a page at a time, newest first', async () => {
  const seller = await signUpCreator(t.app);
  const buyer = await signUpFan(t.app);
  const first = await buyAndPay(t.app, t.runtime.db, seller, buyer, 500);
  const second = await buyAndPay(t.app, t.runtime.db, seller, buyer, 700);
  const page1 = (await call(t.app, seller, 'GET', '/me/sales?limit=1')).json<SalesList>();
  assert.deepEqual(
    page1.items.map((s) => s.id),
    [second.orderId],
  );
  assert.ok(page1.next_cursor);
  const page2 = (
    await call(t.app, seller, 'GET', `/me/sales?limit=1&cursor=${page1.next_cursor}`)
  ).json<SalesList>();
  assert.deepEqual(
    page2.items.map((s) => s.id),
    [first.orderId],
  );
  assert.equal(page2.next_cursor, null);
  const bad = await call(t.app, seller, 'GET', '/me/sales?cursor=nonsense');
  assert.equal(bad.statusCode, 422);
});
