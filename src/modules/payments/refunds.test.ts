// Refunds by the creator: partial, then the rest; the ledger reverses the money, a full refund
// ends the buyer's access, and nobody else can refund.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor } from '../../../test/helpers/http.js';
import { call, signUpCreator, signUpFan, type Err } from '../catalog/catalog.test-helpers.js';
import { balances } from '../ledger/index.js';
import { findBoughtItems } from './payments.repository.js';
import {
  payOnLocalPage,
  publishedItem,
  settledStatus,
  type CheckoutBody,
  type OrderBody,
} from './payments.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ runJobs: true });
});
after(() => t.close());

test('a creator refunds part, then the rest; the ledger follows and access ends', async () => {
  const creator = await signUpCreator(t.app);
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 1500 });
  const fan = await signUpFan(t.app);
  const started = await call(t.app, fan, 'POST', '/checkout', { item_id: item.id });
  assert.equal(started.statusCode, 201, started.body);
  const { order, checkout_url } = started.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', await csrfFor(t.app, fan.jar));
  assert.equal(await settledStatus(t.runtime.db, order.id), 'paid');
  const owns = async (userId: string, itemId: string) =>
    (await findBoughtItems(t.runtime.db, { userId }, [itemId])).has(itemId);
  assert.equal(await owns(fan.id, item.id), true);
  const pendingBefore = (await balances(t.runtime.db, creator.id))[0]?.pending ?? 0;
  assert.equal(pendingBefore, 1500 - 74);

  // only the item's creator may refund
  const byFan = await call(t.app, fan, 'POST', `/orders/${order.id}/refund`, {});
  assert.equal(byFan.statusCode, 404);
  const tooMuch = await call(t.app, creator, 'POST', `/orders/${order.id}/refund`, {
    amount: 1501,
  });
  assert.equal(tooMuch.json<Err>().error.code, 'REFUND_TOO_LARGE');

  const part = await call(t.app, creator, 'POST', `/orders/${order.id}/refund`, { amount: 500 });
  assert.equal(part.statusCode, 200, part.body);
  assert.equal(part.json<{ order: OrderBody }>().order.status, 'partially_refunded');
  assert.equal((await balances(t.runtime.db, creator.id))[0]?.pending, pendingBefore - 500);
  assert.equal(await owns(fan.id, item.id), true, 'a partial refund keeps access');

  const rest = await call(t.app, creator, 'POST', `/orders/${order.id}/refund`, {});
  assert.equal(rest.json<{ order: OrderBody }>().order.status, 'refunded');
  const balance = (await balances(t.runtime.db, creator.id))[0];
  assert.equal(balance?.pending, 0, 'the whole sale is reversed (the fee was the creator’s)');
  assert.equal(balance.debt, 74, 'the processor kept its fee');
  assert.equal(await owns(fan.id, item.id), false, 'a full refund ends access');
  const again = await call(t.app, creator, 'POST', `/orders/${order.id}/refund`, {});
  assert.equal(again.json<Err>().error.code, 'ORDER_NOT_REFUNDABLE');
});
