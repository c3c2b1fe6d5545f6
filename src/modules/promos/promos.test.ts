// Promo codes: made and managed by their creator, redeemed at checkout (API and /buy), with
// scope, dates, usage limits that hold under concurrent checkouts, and uses freed by failures.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  signUpCreator,
  signUpFan,
  type Creator,
  type Err,
  type ItemBody,
} from '../catalog/catalog.test-helpers.js';
import {
  payOnLocalPage,
  publishedItem,
  settledStatus,
  type CheckoutBody,
} from '../payments/payments.test-helpers.js';
import type { PromoCodeJson } from './promos.schemas.js';

let t: TestApp;
let creator: Creator;
let other: Creator;
let fan: Creator;
let fixed: ItemBody;
let pwyw: ItemBody;

before(async () => {
  t = await createTestApp({ runJobs: true });
  [creator, other, fan] = await Promise.all([
    signUpCreator(t.app),
    signUpCreator(t.app),
    signUpFan(t.app),
  ]);
  fixed = await publishedItem(t.app, creator, { model: 'fixed', amount: 1000 });
  pwyw = await publishedItem(t.app, creator, { model: 'pwyw', minimum: 500, suggested: 800 });
});
after(() => t.close());

async function makeCode(user: Creator, body: Record<string, unknown>): Promise<PromoCodeJson> {
  const res = await call(t.app, user, 'POST', '/promo-codes', body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{ promo_code: PromoCodeJson }>().promo_code;
}

let codes = 0;
const uniqueCode = (prefix: string) => `${prefix}-${String(++codes)}`;

function checkout(body: Record<string, unknown>) {
  return call(t.app, fan, 'POST', '/checkout', body);
}

async function refusedWith(body: Record<string, unknown>, code: string) {
  const res = await checkout(body);
  assert.equal(res.statusCode, 422, res.body);
  const error = res.json<Err>().error;
  assert.equal(error.code, code);
  return error;
}

test('percent and fixed codes lower the price, typed in any case', async () => {
  const percent = await makeCode(creator, {
    code: uniqueCode('save'),
    kind: 'percent',
    percent_off: 25,
  });
  assert.equal(percent.code, percent.code.toUpperCase());
  const res = await checkout({ item_id: fixed.id, promo_code: ` ${percent.code.toLowerCase()} ` });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json<CheckoutBody>();
  assert.equal(body.order.amount, 750);
  assert.equal(body.order.status, 'pending');
  assert.ok(body.checkout_url);

  const off = await makeCode(creator, { code: uniqueCode('off'), kind: 'fixed', amount_off: 300 });
  assert.equal(off.currency, 'USD');
  const cheaper = await checkout({ item_id: fixed.id, promo_code: off.code });
  assert.equal(cheaper.json<CheckoutBody>().order.amount, 700);

  const list = await call(t.app, creator, 'GET', '/promo-codes');
  const listed = list.json<{ items: PromoCodeJson[] }>().items.find((p) => p.id === percent.id);
  assert.equal(listed?.uses, 1);
  assert.equal(listed.state, 'active');
});

test('a free code, or one that takes off everything, makes a paid order at once', async () => {
  const free = await makeCode(creator, {
    code: uniqueCode('gift'),
    kind: 'free',
    scope: 'item',
    item_id: fixed.id,
  });
  const res = await checkout({ item_id: fixed.id, promo_code: free.code });
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json<CheckoutBody>();
  assert.equal(body.checkout_url, null);
  assert.equal(body.order.status, 'paid');
  assert.equal(body.order.amount, 0);
  const library = await call(t.app, fan, 'GET', '/library');
  const owned = library.json<{ items: { item: { id: string } }[] }>().items.map((e) => e.item.id);
  assert.ok(owned.includes(fixed.id), 'the free order grants the item');

  const big = await makeCode(creator, { code: uniqueCode('big'), kind: 'fixed', amount_off: 5000 });
  const zero = (await checkout({ item_id: fixed.id, promo_code: big.code })).json<CheckoutBody>();
  assert.deepEqual([zero.order.amount, zero.order.status, zero.checkout_url], [0, 'paid', null]);

  const all = await makeCode(creator, {
    code: uniqueCode('all'),
    kind: 'percent',
    percent_off: 100,
  });
  const hundred = (
    await checkout({ item_id: fixed.id, promo_code: all.code })
  ).json<CheckoutBody>();
  assert.equal(hundred.order.status, 'paid');
});

test('pay what you want: a code lowers the minimum, the named price is paid', async () => {
  const half = await makeCode(creator, {
    code: uniqueCode('half'),
    kind: 'percent',
    percent_off: 50,
  });
  const paid = await checkout({ item_id: pwyw.id, amount: 300, promo_code: half.code });
  assert.equal(paid.statusCode, 201, paid.body);
  assert.equal(paid.json<CheckoutBody>().order.amount, 300);
  await refusedWith(
    { item_id: pwyw.id, amount: 200, promo_code: half.code },
    'AMOUNT_BELOW_MINIMUM',
  );
  const none = (await checkout({ item_id: pwyw.id, promo_code: half.code })).json<CheckoutBody>();
  assert.equal(none.order.amount, 250, 'without an amount, the lowered minimum');
});

test('codes apply only within their scope, dates and creator', async () => {
  const onItem = await makeCode(creator, {
    code: uniqueCode('item'),
    kind: 'percent',
    percent_off: 10,
    scope: 'item',
    item_id: pwyw.id,
  });
  const error = await refusedWith(
    { item_id: fixed.id, promo_code: onItem.code },
    'PROMO_NOT_APPLICABLE',
  );
  assert.ok(error.fields?.promo_code);
  const onProject = await makeCode(creator, {
    code: uniqueCode('proj'),
    kind: 'percent',
    percent_off: 10,
    scope: 'project',
    project_id: fixed.project_id,
  });
  assert.equal(
    (await checkout({ item_id: fixed.id, promo_code: onProject.code })).json<CheckoutBody>().order
      .amount,
    900,
  );
  await refusedWith(
    { item_id: pwyw.id, amount: 600, promo_code: onProject.code },
    'PROMO_NOT_APPLICABLE',
  );

  const day = 86_400_000;
  const later = await makeCode(creator, {
    code: uniqueCode('soon'),
    kind: 'percent',
    percent_off: 10,
    starts_at: new Date(Date.now() + day).toISOString(),
  });
  await refusedWith({ item_id: fixed.id, promo_code: later.code }, 'PROMO_NOT_STARTED');
  const past = await makeCode(creator, {
    code: uniqueCode('old'),
    kind: 'percent',
    percent_off: 10,
    ends_at: new Date(Date.now() - day).toISOString(),
  });
  assert.equal(past.state, 'expired');
  await refusedWith({ item_id: fixed.id, promo_code: past.code }, 'PROMO_EXPIRED');

  const theirs = await makeCode(other, { code: uniqueCode('theirs'), kind: 'free' });
  await refusedWith({ item_id: fixed.id, promo_code: theirs.code }, 'PROMO_INVALID');
  await refusedWith({ item_id: fixed.id, promo_code: 'NO-SUCH-CODE' }, 'PROMO_INVALID');
  await refusedWith({ item_id: fixed.id, promo_code: 'bad code!' }, 'PROMO_INVALID');
  const off = await makeCode(creator, { code: uniqueCode('off'), kind: 'free' });
  await call(t.app, creator, 'PATCH', `/promo-codes/${off.id}`, { active: false });
  await refusedWith({ item_id: fixed.id, promo_code: off.code }, 'PROMO_INVALID');
});

test('a usage limit holds when ten checkouts race for three uses', async () => {
  const limited = await makeCode(creator, {
    code: uniqueCode('race'),
    kind: 'percent',
    percent_off: 10,
    max_redemptions: 3,
  });
  const results = await Promise.all(
    Array.from({ length: 10 }, () => checkout({ item_id: fixed.id, promo_code: limited.code })),
  );
  const statuses = results.map((res) => res.statusCode).sort();
  assert.deepEqual(statuses, [201, 201, 201, 422, 422, 422, 422, 422, 422, 422]);
  for (const res of results.filter((r) => r.statusCode === 422)) {
    assert.equal(res.json<Err>().error.code, 'PROMO_USED_UP');
  }
  const rows = await t.runtime.db
    .selectFrom('promo_redemptions')
    .select('id')
    .where('promo_code_id', '=', limited.id)
    .execute();
  assert.equal(rows.length, 3);
});

test('a failed order gives its use back', async () => {
  const once = await makeCode(creator, {
    code: uniqueCode('once'),
    kind: 'fixed',
    amount_off: 100,
    max_redemptions: 1,
  });
  const first = (await checkout({ item_id: fixed.id, promo_code: once.code })).json<CheckoutBody>();
  await refusedWith({ item_id: fixed.id, promo_code: once.code }, 'PROMO_USED_UP');
  assert.ok(first.checkout_url);
  const declined = await payOnLocalPage(t.app, fan.jar, first.checkout_url, 'declined', fan.csrf);
  assert.equal(declined.statusCode, 303);
  assert.equal(await settledStatus(t.runtime.db, first.order.id), 'failed');
  const again = await checkout({ item_id: fixed.id, promo_code: once.code });
  assert.equal(again.statusCode, 201, again.body);
});

test('only the owner manages a code; a used code is deactivated, not deleted', async () => {
  const code = await makeCode(creator, {
    code: uniqueCode('mine'),
    kind: 'percent',
    percent_off: 5,
  });
  const taken = await call(t.app, creator, 'POST', '/promo-codes', {
    code: code.code.toLowerCase(),
    kind: 'free',
  });
  assert.equal(taken.statusCode, 422);
  assert.equal(taken.json<Err>().error.code, 'PROMO_CODE_TAKEN');
  const sameSpelling = await call(t.app, other, 'POST', '/promo-codes', {
    code: code.code,
    kind: 'free',
  });
  assert.equal(sameSpelling.statusCode, 201, 'codes are unique per creator only');

  for (const body of [
    { code: 'ab', kind: 'free' },
    { code: 'no spaces', kind: 'free' },
    { code: uniqueCode('p'), kind: 'percent', percent_off: 101 },
    { code: uniqueCode('p'), kind: 'percent' },
    { code: uniqueCode('t'), kind: 'trial', trial_days: 7 },
    {
      code: uniqueCode('i'),
      kind: 'free',
      scope: 'item',
      item_id: (await publishedItem(t.app, other, { model: 'fixed', amount: 100 })).id,
    },
  ]) {
    const res = await call(t.app, creator, 'POST', '/promo-codes', body);
    assert.equal(res.statusCode, 422, JSON.stringify(body));
  }

  assert.equal(
    (await call(t.app, fan, 'POST', '/promo-codes', { code: 'FANCODE', kind: 'free' })).statusCode,
    403,
  );
  assert.equal(
    (await call(t.app, other, 'PATCH', `/promo-codes/${code.id}`, { active: false })).statusCode,
    404,
  );
  assert.equal((await call(t.app, other, 'DELETE', `/promo-codes/${code.id}`)).statusCode, 404);
  const theirList = (await call(t.app, other, 'GET', '/promo-codes')).json<{
    items: PromoCodeJson[];
  }>();
  assert.ok(!theirList.items.some((p) => p.id === code.id));

  const limit = await call(t.app, creator, 'PATCH', `/promo-codes/${code.id}`, {
    max_redemptions: 1,
  });
  assert.equal(limit.json<{ promo_code: PromoCodeJson }>().promo_code.max_redemptions, 1);
  assert.equal((await checkout({ item_id: fixed.id, promo_code: code.code })).statusCode, 201);
  const used = await call(t.app, creator, 'DELETE', `/promo-codes/${code.id}`);
  assert.equal(used.statusCode, 200);
  assert.equal(used.json<{ promo_code: PromoCodeJson }>().promo_code.state, 'inactive');

  const unused = await makeCode(creator, { code: uniqueCode('unused'), kind: 'free' });
  assert.equal((await call(t.app, creator, 'DELETE', `/promo-codes/${unused.id}`)).statusCode, 204);
  assert.equal(
    (await call(t.app, creator, 'PATCH', `/promo-codes/${unused.id}`, {})).statusCode,
    404,
  );
});

test('the dashboard lists codes with their uses, makes them and turns them off', async () => {
  const limited = await makeCode(creator, {
    code: uniqueCode('dash'),
    kind: 'percent',
    percent_off: 15,
    max_redemptions: 4,
  });
  assert.equal((await checkout({ item_id: fixed.id, promo_code: limited.code })).statusCode, 201);
  const page = await send(t.app, creator.jar, { url: '/dashboard/promo-codes' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`${limited.code}</p>`));
  assert.match(page.body, /<span>15% off<\/span> · <span>All items<\/span> · <span>1 \/ 4 used/);
  const home = await send(t.app, creator.jar, { url: '/dashboard' });
  assert.match(home.body, /href="\/dashboard\/promo-codes"/, 'the dashboard links to the codes');

  const bad = await send(t.app, creator.jar, {
    url: '/dashboard/promo-codes',
    form: { _csrf: creator.csrf, code: 'x', kind: 'percent', value: '500', target: 'all' },
  });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /id="field-code"[^>]*aria-invalid="true"/);
  assert.match(bad.body, /id="field-value"[^>]*aria-invalid="true"/);

  const made = await send(t.app, creator.jar, {
    url: '/dashboard/promo-codes',
    form: {
      _csrf: creator.csrf,
      code: 'spring-sale',
      kind: 'fixed',
      value: '2.50',
      target: `item:${fixed.id}`,
      ends_on: '2099-12-31',
      limit: '10',
    },
  });
  assert.equal(made.statusCode, 303, made.body);
  const list = (await call(t.app, creator, 'GET', '/promo-codes')).json<{
    items: PromoCodeJson[];
  }>();
  const spring = list.items.find((p) => p.code === 'SPRING-SALE');
  assert.equal(spring?.amount_off, 250);
  assert.equal(spring.item_id, fixed.id);
  assert.equal(spring.ends_at, '2100-01-01T00:00:00.000Z');
  assert.equal(spring.max_redemptions, 10);

  const off = await send(t.app, creator.jar, {
    url: `/dashboard/promo-codes/${spring.id}/deactivate`,
    form: { _csrf: creator.csrf },
  });
  assert.equal(off.statusCode, 303);
  const after = await send(t.app, creator.jar, { url: '/dashboard/promo-codes?done=deactivated' });
  assert.match(after.body, /Promo code turned off\./);
  assert.match(after.body, /Turned off/);
  const stranger = await send(t.app, other.jar, {
    url: `/dashboard/promo-codes/${limited.id}/deactivate`,
    form: { _csrf: other.csrf },
  });
  assert.equal(stranger.statusCode, 404);
});

test('/buy takes a promo code and shows a wrong one on its field', async () => {
  const code = await makeCode(creator, {
    code: uniqueCode('buy'),
    kind: 'percent',
    percent_off: 20,
  });
  const guest = newJar();
  const page = await send(t.app, guest, { url: `/buy/${fixed.id}` });
  assert.match(page.body, /id="field-promo_code"/);
  const csrf = await csrfFor(t.app, guest);
  const wrong = await send(t.app, guest, {
    url: `/buy/${fixed.id}`,
    form: { _csrf: csrf, email: 'buyer@example.com', promo_code: 'NOPE-NOPE' },
  });
  assert.equal(wrong.statusCode, 422);
  assert.match(wrong.body, /id="field-promo_code"[^>]*aria-invalid="true"/);
  assert.match(wrong.body, /value="NOPE-NOPE"/);
  const ok = await send(t.app, guest, {
    url: `/buy/${fixed.id}`,
    form: { _csrf: csrf, email: 'buyer@example.com', promo_code: code.code.toLowerCase() },
  });
  assert.equal(ok.statusCode, 303);
  const order = await t.runtime.db
    .selectFrom('orders')
    .select('amount')
    .where('buyer_email', '=', 'buyer@example.com')
    .executeTakeFirstOrThrow();
  assert.equal(order.amount, 800);
});
