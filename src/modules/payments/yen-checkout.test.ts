// A creator who sells in yen (no minor units): what a fan types is what is charged, end to end.
// The /buy form (CSRF token, 303s, 422s as a browser meets them), the API, the local checkout
// page, the receipt mail, the tip form, the creator's earnings and a payout's mail all speak
// whole yen: nobody pays ¥150,000 for ¥1,500 and no amount is divided by 100 on the way out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';
import { call, signUpCreator, type Creator } from '../catalog/catalog.test-helpers.js';
import { balances, releaseDue } from '../ledger/index.js';
import { schedulePayouts } from '../payouts/payouts.service.js';
import { setDestinationRefusing } from './local/local-dev.service.js';
import { LocalProcessor, localProcessorFee } from './local/local-processor.js';
import {
  payOnLocalPage,
  publishedItem,
  settledStatus,
  until,
  type CheckoutBody,
} from './payments.test-helpers.js';

let t: TestApp;
let creator: Creator;
const DAY = 86_400_000;

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  await t.runtime.db
    .updateTable('users')
    .set({ currency: 'JPY' })
    .where('id', '=', creator.id)
    .execute();
});
after(() => t.close());

async function orderOf(id: string) {
  return t.runtime.db
    .selectFrom('orders')
    .select(['amount', 'currency', 'status', 'buyer_email'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function mailTo(to: string): Promise<string[]> {
  const rows = await t.runtime.db
    .selectFrom('mail_messages')
    .select('text_body')
    .where('to_address', '=', to)
    .execute();
  return rows.map((row) => row.text_body);
}

/** The order a processor page belongs to: its session row names it. */
async function orderOfCheckout(checkoutUrl: string): Promise<string> {
  const session = new URL(checkoutUrl).pathname.split('/').pop() ?? '';
  const row = await t.runtime.db
    .selectFrom('local_checkout_sessions')
    .select('order_id')
    .where('id', '=', session)
    .executeTakeFirstOrThrow();
  return row.order_id;
}

async function checkoutPage(jar: Jar, checkoutUrl: string) {
  const page = await send(t.app, jar, { url: new URL(checkoutUrl).pathname });
  assert.equal(page.statusCode, 200);
  return page.body;
}

test('a fan types 1500 on the /buy form of a yen item and pays ¥1,500', async () => {
  const item = await publishedItem(t.app, creator, {
    model: 'pwyw',
    minimum: 500,
    suggested: 1000,
  });
  const guest = newJar();
  const email = `yen-${Date.now()}@example.com`;

  const form = await send(t.app, guest, { url: `/buy/${item.id}` });
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Name your price, from ¥500/);
  assert.match(form.body, /Your price in JPY/);
  assert.match(form.body, /id="field-amount"[^>]*value="1000"/, 'the suggested ¥1,000 as typed');
  assert.match(form.body, /At least ¥500\. Like 1500\./);
  const csrf = await csrfFor(t.app, guest);

  const fraction = await send(t.app, guest, {
    url: `/buy/${item.id}`,
    form: { _csrf: csrf, amount: '1500.50', email },
  });
  assert.equal(fraction.statusCode, 422, 'yen have no decimals: refused, not rounded');
  assert.match(fraction.body, /JPY has no decimal places: enter a whole amount, like 1500\./);
  assert.match(fraction.body, /id="field-amount"[^>]*aria-invalid="true"/);

  const bought = await send(t.app, guest, {
    url: `/buy/${item.id}`,
    form: { _csrf: csrf, amount: '1500', email },
  });
  assert.equal(bought.statusCode, 303, bought.body);
  const checkoutUrl = String(bought.headers.location);
  assert.match(checkoutUrl, /\/pay\/local\//);
  const orderId = await orderOfCheckout(checkoutUrl);
  assert.deepEqual(await orderOf(orderId), {
    amount: 1500,
    currency: 'JPY',
    status: 'pending',
    buyer_email: email,
  });

  const page = await checkoutPage(guest, checkoutUrl);
  assert.match(page, /Pay ¥1,500/);
  assert.doesNotMatch(page, /150,000/);

  await payOnLocalPage(t.app, guest, checkoutUrl, 'succeeded', csrf);
  assert.equal(await settledStatus(t.runtime.db, orderId), 'paid');
  const receipt = (await mailTo(email)).find((text) => text.includes('¥'));
  assert.ok(receipt, 'a receipt in yen was mailed');
  assert.match(receipt, /Amount: +¥1,500\b/);
  assert.doesNotMatch(receipt, /150,000|15\.00/);

  const jpy = (await balances(t.runtime.db, creator.id)).find((b) => b.currency === 'JPY');
  assert.equal(jpy?.pending, 1500 - localProcessorFee(1500), 'the ledger holds whole yen');
});

test('the checkout API takes the amount in minor units, which for yen are yen', async () => {
  const item = await publishedItem(t.app, creator, { model: 'pwyw', minimum: 0 });
  const jar = newJar();
  const res = await send(t.app, jar, {
    url: '/api/v1/checkout',
    json: { item_id: item.id, amount: 1500, email: 'api-yen@example.com' },
    headers: { 'x-csrf-token': await csrfFor(t.app, jar) },
  });
  assert.equal(res.statusCode, 201, res.body);
  const { order, checkout_url } = res.json<CheckoutBody>();
  assert.equal(order.amount, 1500);
  assert.equal(order.currency, 'JPY');
  assert.ok(checkout_url);
  assert.match(await checkoutPage(jar, checkout_url), /Pay ¥1,500/);
});

test('tips in yen: the presets say what they charge, and 1500 typed is ¥1,500', async () => {
  const on = await call(t.app, creator, 'PATCH', '/me/profile', { tips_enabled: true });
  assert.equal(on.statusCode, 200, on.body);
  const guest = newJar();
  const profile = await send(t.app, guest, { url: `/@${creator.handle}` });
  assert.match(profile.body, /value="500" checked[^>]*>\s*<span class="choice-card__label">¥500</);
  assert.match(profile.body, /at least ¥100, like 1500\./);
  const csrf = await csrfFor(t.app, guest);
  const tip = (fields: Record<string, string>) =>
    send(t.app, guest, {
      url: `/tip/${creator.handle}`,
      form: { _csrf: csrf, email: 'tipper-yen@example.com', ...fields },
    });

  const fraction = await tip({ preset: 'other', other: '12.50' });
  assert.equal(fraction.statusCode, 422);
  assert.match(fraction.body, /JPY has no decimal places/);

  const typed = await tip({ preset: 'other', other: '1500' });
  assert.equal(typed.statusCode, 303, typed.body);
  const typedOrder = await orderOf(await orderOfCheckout(String(typed.headers.location)));
  assert.equal(typedOrder.amount, 1500);

  const preset = await tip({ preset: '500' });
  assert.equal(preset.statusCode, 303, preset.body);
  const presetOrder = await orderOf(await orderOfCheckout(String(preset.headers.location)));
  assert.deepEqual([presetOrder.amount, presetOrder.currency], [500, 'JPY']);
});

test('earnings and a payout in yen: nothing is divided by 100', async () => {
  const net = 1500 - localProcessorFee(1500);
  const earnings = await send(t.app, creator.jar, { url: '/dashboard/earnings' });
  assert.equal(earnings.statusCode, 200);
  assert.ok(earnings.body.includes('¥1,500'), 'the gross of the sale above');
  assert.ok(earnings.body.includes(`¥${net.toLocaleString('en-US')}`), 'its net');
  const api = await call(t.app, creator, 'GET', '/me/earnings');
  const jpy = api
    .json<{ currencies: { currency: string; gross: number }[] }>()
    .currencies.find((c) => c.currency === 'JPY');
  assert.equal(jpy?.gross, 1500, 'the API counts minor units: yen');

  await releaseDue(t.runtime.db, new Date(Date.now() + 8 * DAY));
  assert.equal((await call(t.app, creator, 'PUT', '/me/payout-account', {})).statusCode, 200);
  // The destination refuses transfers, as a closed bank account does; the worker sends the
  // payout (no race with a send of our own) and the refusal is mailed.
  const destination = await t.runtime.db
    .selectFrom('payout_accounts')
    .select('destination')
    .where('creator_id', '=', creator.id)
    .executeTakeFirstOrThrow();
  await setDestinationRefusing(t.runtime.db, destination.destination, true);
  const processor = new LocalProcessor(t.runtime.db, t.runtime.config);
  await schedulePayouts({ db: t.runtime.db, processor });
  const payout = await t.runtime.db
    .selectFrom('payouts')
    .selectAll()
    .where('creator_id', '=', creator.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual([payout.amount, payout.currency.trim()], [net, 'JPY']);
  const mail = await until(
    async () => (await mailTo(creator.email)).find((text) => text.includes('payout')),
    'the refused payout mail',
  );
  assert.ok(
    mail.includes(`payout of ¥${net.toLocaleString('en-US')}: The bank account was closed.`),
    mail,
  );
  const history = await send(t.app, creator.jar, { url: '/dashboard/earnings' });
  assert.ok(history.body.includes(`¥${net.toLocaleString('en-US')}`));
  const account = await send(t.app, creator.jar, { url: '/dashboard/payouts/account' });
  assert.match(account.body, /once your available balance reaches ¥1,000\./);
});
