// Twenty refunds of one order at once (issue 15): some with an Idempotency-Key (run pinned on one
// connection), some without; partial ones and one for everything left. None waits for a second
// pooled connection while holding one (the test app's pool has 5), so none is a 503; together
// they never refund more than was paid, the processor's refunds, ours and the ledger agree, and
// another user's reads meanwhile all complete.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, send } from '../../../test/helpers/http.js';
import { call, signUpCreator, signUpFan, type Err } from '../catalog/catalog.test-helpers.js';
import { balances } from '../ledger/index.js';
import { localProcessorFee } from './local/local-processor.js';
import {
  paymentJobsDrained,
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

const PRICE = 2000;
const REFUSALS = new Set(['REFUND_IN_PROGRESS', 'NOTHING_TO_REFUND', 'REFUND_TOO_LARGE']);

test('20 concurrent refunds of one order: no 503, never more than paid, reads stay served', async (ctx) => {
  const creator = await signUpCreator(t.app);
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: PRICE });
  const fan = await signUpFan(t.app);
  const reader = await signUpFan(t.app);
  const started = await call(t.app, fan, 'POST', '/checkout', { item_id: item.id });
  const { order, checkout_url } = started.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', await csrfFor(t.app, fan.jar));
  assert.equal(await settledStatus(t.runtime.db, order.id), 'paid');
  const db = t.runtime.db;

  // partial refunds of 100 to 300, one for everything left; every other one keyed
  const amounts = Array.from({ length: 20 }, (_, i) =>
    i === 10 ? undefined : [150, 250, 100, 300, 200][i % 5],
  );
  let storming = true;
  const storm = Promise.all(
    amounts.map((amount, i) =>
      send(t.app, creator.jar, {
        url: `/api/v1/orders/${order.id}/refund`,
        json: amount === undefined ? {} : { amount },
        headers: {
          'x-csrf-token': creator.csrf,
          ...(i % 2 === 0 && { 'idempotency-key': `storm-${order.id}-${String(i)}` }),
        },
      }),
    ),
  ).finally(() => (storming = false));
  // another user reads their library (a session lookup and a query) the whole time
  const latencies: number[] = [];
  const failures: string[] = [];
  const readers = Array.from({ length: 3 }, async () => {
    while (storming || latencies.length < 10) {
      const began = performance.now();
      const res = await call(t.app, reader, 'GET', '/library');
      latencies.push(performance.now() - began);
      if (res.statusCode !== 200) failures.push(`${String(res.statusCode)} ${res.body}`);
    }
  });
  const answers = await storm;
  await Promise.all(readers);

  for (const res of answers) {
    assert.ok([200, 409, 422].includes(res.statusCode), `${String(res.statusCode)} ${res.body}`);
    if (res.statusCode !== 200) assert.ok(REFUSALS.has(res.json<Err>().error.code), res.body);
  }
  assert.deepEqual(failures, [], 'every read of the other user was answered');
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.floor((sorted.length - 1) * q)] ?? 0).toFixed(1);
  ctx.diagnostic(
    `reads during the storm: ${String(sorted.length)}, ms min ${at(0)} median ${at(0.5)} ` +
      `p95 ${at(0.95)} max ${at(1)}; refunds 200: ` +
      String(answers.filter((r) => r.statusCode === 200).length),
  );

  // what is left is refunded afterwards (unless the full one already took it)
  await paymentJobsDrained(db);
  const rest = await call(t.app, creator, 'POST', `/orders/${order.id}/refund`, {});
  assert.ok(rest.statusCode === 200 || rest.statusCode === 409, rest.body);
  await paymentJobsDrained(db);

  const final = await call(t.app, creator, 'GET', `/orders/${order.id}`);
  const settled = final.json<{ order: OrderBody & { refunded_amount: number } }>().order;
  assert.equal(settled.status, 'refunded');
  assert.equal(settled.refunded_amount, PRICE);
  const intents = await db
    .selectFrom('order_refunds')
    .select(['status', 'amount'])
    .where('order_id', '=', order.id)
    .execute();
  assert.ok(intents.every((intent) => intent.status === 'succeeded'));
  const sum = (rows: { amount: number }[]) => rows.reduce((total, row) => total + row.amount, 0);
  assert.equal(sum(intents), PRICE, 'our refunds add up to the payment, no more');
  const atProcessor = await db
    .selectFrom('local_refunds')
    .select('amount')
    .where('order_id', '=', order.id)
    .execute();
  assert.equal(atProcessor.length, intents.length, 'one refund at the processor for each of ours');
  assert.equal(sum(atProcessor), PRICE);
  const ledger = await db
    .selectFrom('ledger_transactions')
    .select('metadata')
    .where('order_id', '=', order.id)
    .where('kind', '=', 'refund')
    .execute();
  assert.equal(ledger.length, intents.length, 'each refund in the ledger once');
  const balance = (await balances(db, creator.id))[0];
  assert.equal(balance?.pending, 0);
  assert.equal(balance.debt, localProcessorFee(PRICE), 'the sale reversed; the fee stays a debt');
  const mails = await db
    .selectFrom('mail_messages')
    .select('subject')
    .where('to_address', '=', fan.email)
    .where('subject', 'like', 'Your refund%')
    .execute();
  assert.equal(mails.length, intents.length, 'one mail per refund, none for the echoes');
});
