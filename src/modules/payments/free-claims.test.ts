// Free claims mail their receipt at once. To an address nobody has confirmed (a guest's, an
// unverified account's) that is counted per recipient and per client, so nobody can make the
// platform mail anyone at will; the guest's own flow (claim, thank-you page, receipt) is intact,
// and checkout refuses a stated currency other than the item's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';
import { signUpCreator, type Creator, type Err } from '../catalog/catalog.test-helpers.js';
import { publishedItem, type CheckoutBody } from './payments.test-helpers.js';
import { CHECKOUT_LIMITS } from './payments.rate-limits.js';

let t: TestApp;
let creator: Creator;
let freeItemId: string;
before(async () => {
  t = await createTestApp();
  creator = await signUpCreator(t.app);
  freeItemId = (await publishedItem(t.app, creator, { model: 'free' })).id;
});
after(() => t.close());

const PER_ADDRESS = CHECKOUT_LIMITS.unconfirmedFreeClaimsPerAddress.limit;
const PER_IP = CHECKOUT_LIMITS.unconfirmedFreeClaimsPerIp.limit;

async function claim(jar: Jar, body: Record<string, unknown>) {
  return send(t.app, jar, {
    url: '/api/v1/checkout',
    json: { item_id: freeItemId, ...body },
    headers: { 'x-csrf-token': await csrfFor(t.app, jar) },
  });
}

async function mailsTo(pattern: string): Promise<number> {
  const rows = await t.runtime.db
    .selectFrom('mail_messages')
    .select('id')
    .where('to_address', 'ilike', pattern)
    .execute();
  return rows.length;
}

async function ordersFor(pattern: string): Promise<number> {
  const rows = await t.runtime.db
    .selectFrom('orders')
    .select('id')
    .where('buyer_email', 'ilike', pattern)
    .execute();
  return rows.length;
}

describe('free claims', () => {
  test('a guest claims on /buy, lands on the thank-you page and gets the receipt', async () => {
    const guest = newJar();
    const email = `guest-${Date.now()}@example.com`;
    const form = await send(t.app, guest, {
      url: `/buy/${freeItemId}`,
      form: { email, _csrf: await csrfFor(t.app, guest) },
    });
    assert.equal(form.statusCode, 303, form.body.slice(0, 300));
    const thanks = form.headers.location ?? '';
    assert.match(thanks, /^\/claim\/[^/]+$/);
    assert.equal((await send(t.app, newJar(), { url: thanks })).statusCode, 200);
    assert.equal(await mailsTo(email), 1);
  });

  test("one recipient gets a day's worth of receipts nobody confirmed, then 429", async () => {
    // each claim from another client; case and +tags are the same mailbox
    const variants = (i: number) =>
      [`victim@example.com`, `Victim+${i}@Example.COM`, `victim+x${i}@example.com`][i % 3] ?? '';
    for (let i = 0; i < PER_ADDRESS; i++) {
      const res = await claim(newJar(), { email: variants(i) });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json<CheckoutBody>().order.status, 'paid');
    }
    assert.equal(await mailsTo('victim%@example.com'), PER_ADDRESS);
    const refused = await claim(newJar(), { email: 'VICTIM+again@example.com' });
    assert.equal(refused.statusCode, 429, refused.body);
    assert.equal(refused.json<Err>().error.code, 'RATE_LIMITED');
    assert.ok(Number(refused.headers['retry-after']) > 0);
    assert.equal(await mailsTo('victim%@example.com'), PER_ADDRESS, 'no mail more');
    assert.equal(await ordersFor('victim%@example.com'), PER_ADDRESS, 'no order more');

    // the same on the page: the error page says why, nothing is made
    const guest = newJar();
    const page = await send(t.app, guest, {
      url: `/buy/${freeItemId}`,
      form: { email: 'victim@example.com', _csrf: await csrfFor(t.app, guest) },
    });
    assert.equal(page.statusCode, 429);
    assert.match(page.body, /sent many free items to this email address today/);
    assert.equal(await ordersFor('victim%@example.com'), PER_ADDRESS);

    // another address is unaffected
    assert.equal((await claim(newJar(), { email: 'someone-else@example.com' })).statusCode, 201);
  });

  test('one client claims for an hour’s worth of unconfirmed addresses, then 429', async () => {
    const client = newJar();
    for (let i = 0; i < PER_IP; i++) {
      const res = await claim(client, { email: `spray-${i}@example.com` });
      assert.equal(res.statusCode, 201, res.body);
    }
    const refused = await claim(client, { email: 'spray-last@example.com' });
    assert.equal(refused.statusCode, 429, refused.body);
    assert.equal(await ordersFor('spray-last@example.com'), 0);
    assert.equal(await mailsTo('spray-last@example.com'), 0);
  });

  test('an unverified account counts like a guest; a verified one claims freely', async () => {
    const unverified = await signUp(t.app);
    for (let i = 0; i < PER_ADDRESS; i++) {
      assert.equal((await claim(newJar(), { email: unverified.email })).statusCode, 201);
    }
    const own = await claim(unverified.jar, {});
    assert.equal(own.statusCode, 429, 'its address is as unconfirmed as a guest’s');

    const verified = await signUp(t.app);
    await t.runtime.db
      .updateTable('users')
      .set({ email_verified_at: new Date() })
      .where('id', '=', verified.id)
      .execute();
    for (let i = 0; i < PER_ADDRESS + 2; i++) {
      const res = await claim(verified.jar, {});
      assert.equal(res.statusCode, 201, `claim ${i}: ${res.body}`);
    }
  });

  test('paid checkouts mail nothing at once and are not counted', async () => {
    const paid = await publishedItem(t.app, creator, { model: 'fixed', amount: 500 });
    const client = newJar();
    for (let i = 0; i < PER_IP + 2; i++) {
      const res = await send(t.app, client, {
        url: '/api/v1/checkout',
        json: { item_id: paid.id, email: 'victim@example.com' },
        headers: { 'x-csrf-token': await csrfFor(t.app, client) },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json<CheckoutBody>().order.status, 'pending');
    }
  });
});

test('checkout refuses a stated currency other than the item’s, as tips do', async () => {
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 700 });
  const currency = (
    await t.runtime.db
      .selectFrom('users')
      .select('currency')
      .where('id', '=', creator.id)
      .executeTakeFirstOrThrow()
  ).currency.trim();
  const other = currency === 'EUR' ? 'USD' : 'EUR';
  await t.runtime.db
    .updateTable('users')
    .set({ tips_enabled: true })
    .where('id', '=', creator.id)
    .execute();
  const buyer = await signUp(t.app);
  const ordersOfBuyer = async () =>
    (
      await t.runtime.db
        .selectFrom('orders')
        .select('id')
        .where('buyer_id', '=', buyer.id)
        .execute()
    ).length;
  const checkout = async (stated: string) =>
    send(t.app, buyer.jar, {
      url: '/api/v1/checkout',
      json: { item_id: item.id, currency: stated },
      headers: { 'x-csrf-token': await csrfFor(t.app, buyer.jar) },
    });
  for (const stated of [other, other.toLowerCase(), 'JPY']) {
    const refused = await checkout(stated);
    assert.equal(refused.statusCode, 422, refused.body);
    const { error } = refused.json<Err>();
    assert.equal(error.code, 'CURRENCY_MISMATCH');
    assert.match(error.fields?.currency ?? '', new RegExp(currency));
  }
  assert.equal(await ordersOfBuyer(), 0, 'no order for a refused currency');
  const malformed = await checkout('dollars');
  assert.equal(malformed.statusCode, 422);
  assert.equal(malformed.json<Err>().error.code, 'VALIDATION_FAILED');
  const same = await checkout(currency.toLowerCase());
  assert.equal(same.statusCode, 201, same.body);
  assert.equal(same.json<CheckoutBody>().order.currency, currency);
  const tip = await send(t.app, buyer.jar, {
    url: '/api/v1/tips',
    json: { creator: creator.handle, amount: 500, currency: other },
    headers: { 'x-csrf-token': await csrfFor(t.app, buyer.jar) },
  });
  assert.equal(tip.json<Err>().error.code, 'CURRENCY_MISMATCH', 'the same rule as tips');
});
