import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
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
import { localWebhookSecret } from '../payments/index.js';
import {
  paymentJobsDrained,
  payOnLocalPage,
  settledStatus,
  type CheckoutBody,
} from '../payments/payments.test-helpers.js';
import { signPayload } from '../payments/stripe/stripe-signature.js';
import { LICENCE_LIMITS } from './licences.rate-limits.js';
import type { BuyerKeyJson, IssuedKeyJson, KeyCheck } from './licences.schemas.js';

const APP_SECRET = 'test-secret-that-is-long-enough-for-hmac-keys';
let t: TestApp;
let creator: Creator;
let other: Creator;
let fan: Creator;
let software: ItemBody;

const db = () => t.runtime.db;

/** A published software item: its file is recorded as processed (processing is not tested here). */
async function softwareItem(owner: Creator, price: Record<string, unknown>): Promise<ItemBody> {
  const project = await makeProject(t.app, owner, { title: `Tools ${Math.random()}` });
  const item = await makeItem(t.app, owner, project.id, {
    type: 'software',
    title: 'Tape Delay Plugin',
    ai_disclosure: { tier: 'handmade' },
    price,
  });
  await db()
    .insertInto('files')
    .values({
      item_id: item.id,
      creator_id: owner.id,
      status: 'ready',
      kind: 'archive',
      original_name: 'tape-delay.zip',
    })
    .execute();
  const res = await call(t.app, owner, 'POST', `/items/${item.id}/publish`);
  assert.equal(res.statusCode, 200, res.body);
  return item;
}

async function buy(buyer: Creator, itemId: string): Promise<string> {
  const res = await call(t.app, buyer, 'POST', '/checkout', { item_id: itemId });
  assert.equal(res.statusCode, 201, res.body);
  const { order, checkout_url } = res.json<CheckoutBody>();
  if (checkout_url === null) return order.id;
  await payOnLocalPage(t.app, buyer.jar, checkout_url, 'succeeded', buyer.csrf);
  assert.equal(await settledStatus(db(), order.id), 'paid');
  return order.id;
}

async function keysOf(buyer: Creator): Promise<BuyerKeyJson[]> {
  const res = await call(t.app, buyer, 'GET', '/library/keys');
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{ items: BuyerKeyJson[] }>().items;
}

/** A desktop app: no cookies, its own address. */
function publicPost(path: string, body: unknown, ip = newJar().ip) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/keys/${path}`,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function check(key: string, instanceId?: string): Promise<KeyCheck> {
  const res = await publicPost('validate', { key, instance_id: instanceId });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<KeyCheck>();
}

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  other = await signUpCreator(t.app);
  fan = await signUpFan(t.app);
  software = await softwareItem(creator, { model: 'fixed', amount: 2500 });
});
after(() => t.close());

test('a paid software order gets one key, shown to its buyer; a re-delivered event issues none', async () => {
  const orderId = await buy(fan, software.id);
  const keys = await keysOf(fan);
  assert.equal(keys.length, 1);
  const [key] = keys;
  assert.ok(key);
  assert.equal(key.order_id, orderId);
  assert.equal(key.item.id, software.id);
  assert.equal(key.status, 'active');
  assert.match(key.key, /^MNW(-[0-9A-HJKMNP-TV-Z]{5}){5}$/);
  assert.equal(key.suffix, key.key.slice(-5));
  assert.deepEqual(key.activations, { used: 0, limit: 3 });

  // The stored event again, and the same payment under another event id: still one key.
  const stored = await db()
    .selectFrom('payment_events')
    .select('payload')
    .where(sql<boolean>`payload->'data'->'object'->'metadata'->>'order_id' = ${orderId}`)
    .executeTakeFirstOrThrow();
  const payload = stored.payload;
  for (const event of [payload, { ...payload, id: 'evt_local_licence_again' }]) {
    const body = JSON.stringify(event);
    const res = await t.app.inject({
      method: 'POST',
      url: '/webhooks/payments/local',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signPayload(
          body,
          localWebhookSecret(APP_SECRET),
          Math.floor(Date.now() / 1000),
        ),
      },
      payload: body,
    });
    assert.equal(res.statusCode, 200);
  }
  await paymentJobsDrained(db());
  assert.deepEqual(
    (await keysOf(fan)).map((k) => k.key),
    [key.key],
  );

  // The page shows it too, linked from the library.
  const library = await send(t.app, fan.jar, { url: '/library' });
  assert.match(library.body, /href="\/library\/keys"/);
  const page = await send(t.app, fan.jar, { url: '/library/keys' });
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(key.key));
  assert.match(page.body, /0 of 3 activations used/);
  const guest = await send(t.app, newJar(), { url: '/library/keys' });
  assert.equal(guest.statusCode, 303);
});

test('free claims of software get a key; other items get none', async () => {
  const claimer = await signUpFan(t.app);
  const free = await softwareItem(creator, { model: 'free' });
  await buy(claimer, free.id);
  const project = await makeProject(t.app, creator, { title: `Words ${Math.random()}` });
  const text = await makeItem(t.app, creator, project.id, {
    body: 'Plain words.',
    ai_disclosure: { tier: 'handmade' },
  });
  assert.equal((await call(t.app, creator, 'POST', `/items/${text.id}/publish`)).statusCode, 200);
  await buy(claimer, text.id);
  const keys = await keysOf(claimer);
  assert.deepEqual(
    keys.map((k) => k.item.id),
    [free.id],
  );
});

test('validate, activate up to the limit, idempotent activation, deactivate', async () => {
  const buyer = await signUpFan(t.app);
  await buy(buyer, software.id);
  const [owned] = await keysOf(buyer);
  assert.ok(owned);
  const key = owned.key;

  const fresh = await check(key);
  assert.deepEqual(fresh, {
    valid: true,
    status: 'active',
    item: { id: software.id, title: 'Tape Delay Plugin' },
    activations: { used: 0, limit: 3 },
    instance: null,
  });
  // Typed loosely (lower case, no dashes, O for 0, l for 1) it is the same key.
  const loose = key.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
  assert.equal((await check(loose)).status, 'active');

  const first = await publicPost('activate', {
    key,
    instance_id: 'laptop',
    label: 'Studio laptop',
  });
  assert.equal(first.statusCode, 200, first.body);
  const activation = first.json<{ activation: { id: string; label: string } }>().activation;
  assert.equal(activation.label, 'Studio laptop');
  const again = await publicPost('activate', { key, instance_id: 'laptop' });
  assert.equal(again.statusCode, 200);
  assert.equal(again.json<{ activation: { id: string } }>().activation.id, activation.id);
  assert.deepEqual(again.json<{ activations: unknown }>().activations, { used: 1, limit: 3 });
  for (const instance of ['desktop', 'tablet']) {
    assert.equal((await publicPost('activate', { key, instance_id: instance })).statusCode, 200);
  }
  const full = await publicPost('activate', { key, instance_id: 'fourth' });
  assert.equal(full.statusCode, 409);
  assert.equal(full.json<Err>().error.code, 'ACTIVATION_LIMIT');

  const onLaptop = await check(key, 'laptop');
  assert.equal(onLaptop.valid, true);
  assert.equal(onLaptop.instance?.id, activation.id);
  const elsewhere = await check(key, 'fourth');
  assert.equal(elsewhere.valid, false);
  assert.equal(elsewhere.status, 'active');
  assert.deepEqual(elsewhere.activations, { used: 3, limit: 3 });

  const freed = await publicPost('deactivate', { key, instance_id: 'desktop' });
  assert.equal(freed.statusCode, 200);
  assert.deepEqual(freed.json(), { deactivated: true, activations: { used: 2, limit: 3 } });
  const twice = await publicPost('deactivate', { key, instance_id: 'desktop' });
  assert.deepEqual(twice.json(), { deactivated: false, activations: { used: 2, limit: 3 } });
  assert.equal((await publicPost('activate', { key, instance_id: 'fourth' })).statusCode, 200);

  // The creator raises the limit; the buyer's key follows.
  const raised = await call(t.app, creator, 'PUT', `/items/${software.id}/licence`, {
    activation_limit: 5,
  });
  assert.equal(raised.statusCode, 200, raised.body);
  assert.deepEqual((await check(key)).activations, { used: 3, limit: 5 });
  const read = await call(t.app, creator, 'GET', `/items/${software.id}/licence`);
  assert.deepEqual(read.json(), { licence: { item_id: software.id, activation_limit: 5 } });
  const silly = await call(t.app, creator, 'PUT', `/items/${software.id}/licence`, {
    activation_limit: 0,
  });
  assert.equal(silly.statusCode, 422);
  await call(t.app, creator, 'PUT', `/items/${software.id}/licence`, { activation_limit: 3 });
});

test('unknown and malformed keys answer alike; both refused by activate and deactivate', async () => {
  const unknown = {
    valid: false,
    status: 'unknown',
    item: null,
    activations: null,
    instance: null,
  };
  for (const key of [
    'MNW-00000-00000-00000-00000-00000',
    'not a key',
    '',
    'MNW-' + 'Z'.repeat(25),
  ]) {
    assert.deepEqual(await check(key), unknown);
    const activate = await publicPost('activate', { key, instance_id: 'x' });
    assert.equal(activate.statusCode, 404);
    assert.equal(activate.json<Err>().error.code, 'KEY_INVALID');
    const deactivate = await publicPost('deactivate', { key, instance_id: 'x' });
    assert.equal(deactivate.json<Err>().error.code, 'KEY_INVALID');
  }
});

test('a full refund or a dispute revokes the key: validate says so and activate refuses', async () => {
  const buyer = await signUpFan(t.app);
  const orderId = await buy(buyer, software.id);
  const [owned] = await keysOf(buyer);
  assert.ok(owned);
  assert.equal(
    (await publicPost('activate', { key: owned.key, instance_id: 'a' })).statusCode,
    200,
  );
  const refund = await call(t.app, creator, 'POST', `/orders/${orderId}/refund`, {});
  assert.equal(refund.statusCode, 200, refund.body);
  await paymentJobsDrained(db());

  const revoked = await check(owned.key, 'a');
  assert.equal(revoked.valid, false);
  assert.equal(revoked.status, 'revoked');
  const refused = await publicPost('activate', { key: owned.key, instance_id: 'b' });
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json<Err>().error.code, 'KEY_REVOKED');
  const [after] = await keysOf(buyer);
  assert.equal(after?.status, 'revoked');

  // A dispute (the order's money held by the card network) turns the key off the same way.
  const disputer = await signUpFan(t.app);
  const disputedOrder = await buy(disputer, software.id);
  const [disputed] = await keysOf(disputer);
  assert.ok(disputed);
  await db()
    .updateTable('orders')
    .set({ status: 'disputed' })
    .where('id', '=', disputedOrder)
    .execute();
  assert.equal((await check(disputed.key)).status, 'revoked');
});

test('creators see their item’s keys by suffix and reset activations; nobody else can', async () => {
  const buyer = await signUpFan(t.app);
  await buy(buyer, software.id);
  const [owned] = await keysOf(buyer);
  assert.ok(owned);
  const activated = await publicPost('activate', { key: owned.key, instance_id: 'old-pc' });
  const activationId = activated.json<{ activation: { id: string } }>().activation.id;

  const issued = await call(t.app, creator, 'GET', `/items/${software.id}/keys`);
  assert.equal(issued.statusCode, 200);
  const mine = issued.json<{ items: IssuedKeyJson[] }>().items.find((k) => k.id === owned.id);
  assert.equal(mine?.suffix, owned.suffix);
  assert.ok(!issued.body.includes(owned.key), 'the full key stays the buyer’s');
  assert.deepEqual(
    mine.instances.map((i) => i.id),
    [activationId],
  );

  for (const stranger of [other, buyer]) {
    for (const [method, url] of [
      ['GET', `/items/${software.id}/keys`],
      ['GET', `/items/${software.id}/licence`],
      ['PUT', `/items/${software.id}/licence`],
      ['DELETE', `/keys/activations/${activationId}`],
    ] as const) {
      const res = await call(
        t.app,
        stranger,
        method,
        url,
        method === 'PUT' ? { activation_limit: 9 } : undefined,
      );
      assert.equal(res.statusCode, 404, `${method} ${url}`);
    }
  }
  const anonymous = await send(t.app, newJar(), { url: `/api/v1/items/${software.id}/keys` });
  assert.equal(anonymous.statusCode, 401);

  const reset = await call(t.app, creator, 'DELETE', `/keys/activations/${activationId}`);
  assert.equal(reset.statusCode, 204);
  assert.deepEqual((await check(owned.key)).activations, { used: 0, limit: 3 });
  const gone = await call(t.app, creator, 'DELETE', `/keys/activations/${activationId}`);
  assert.equal(gone.statusCode, 404);
});

test('too many checks from one address, or of one key, answer 429 with Retry-After', async () => {
  const ip = newJar().ip;
  let last;
  for (let i = 0; i <= LICENCE_LIMITS.perIp.limit; i++) {
    last = await publicPost('validate', { key: `guess-${i}` }, ip);
  }
  assert.equal(last?.statusCode, 429);
  assert.equal(last.json<Err>().error.code, 'RATE_LIMITED');
  assert.ok(Number(last.headers['retry-after']) > 0);

  const key = 'MNW-ABCDE-ABCDE-ABCDE-ABCDE-ABCDE';
  for (let i = 0; i <= LICENCE_LIMITS.perKey.limit; i++) {
    // each spelling of the key counts against it, from any address
    last = await publicPost('validate', { key: i % 2 === 0 ? key : key.toLowerCase() });
  }
  assert.equal(last.statusCode, 429);
  assert.ok(Number(last.headers['retry-after']) > 0);
});

test('hostile inputs never get a 500', async () => {
  const bodies: unknown[] = [
    '{"key":',
    'null',
    '[]',
    { key: 12 },
    { key: 'x'.repeat(10_000) },
    { key: 'MNW-\u0000', instance_id: 'a\u0000b' },
    { key: 'MNW-AAAAA', instance_id: '' },
    { key: 'MNW-AAAAA', instance_id: { $ne: null } },
    { key: 'MNW-AAAAA', instance_id: 'x'.repeat(201) },
    { key: 'MNW-AAAAA', instance_id: 'ok', label: 'l\u0007' },
    { key: "' or 1=1 --", instance_id: "'; drop table licence_keys; --" },
  ];
  for (const path of ['validate', 'activate', 'deactivate']) {
    for (const body of bodies) {
      const res = await publicPost(path, body);
      // a well-formed check of an unknown key is a 200 (valid: false); nothing is a 500
      assert.ok(res.statusCode < 500, `${path} ${JSON.stringify(body)}: ${res.statusCode}`);
      if (path !== 'validate') assert.ok(res.statusCode >= 400, `${path} ${JSON.stringify(body)}`);
    }
  }
  for (const id of ['nope', "1' or '1'='1", '%00', 'x'.repeat(400)]) {
    const path = encodeURIComponent(id);
    assert.equal((await call(t.app, creator, 'GET', `/items/${path}/keys`)).statusCode, 404, id);
    assert.equal(
      (await call(t.app, creator, 'DELETE', `/keys/activations/${path}`)).statusCode,
      404,
      id,
    );
  }
  const res = await call(t.app, creator, 'PUT', `/items/${software.id}/licence`, {
    activation_limit: 1e308,
  });
  assert.equal(res.statusCode, 422);
});

test('the key API is in the OpenAPI document, with examples', async () => {
  const res = await t.app.inject({ url: '/api/v1/openapi.json' });
  assert.equal(res.statusCode, 200);
  const doc = res.json<{ paths: Record<string, Record<string, unknown>> }>();
  for (const [path, method] of [
    ['/keys/validate', 'post'],
    ['/keys/activate', 'post'],
    ['/keys/deactivate', 'post'],
    ['/library/keys', 'get'],
    ['/items/{id}/keys', 'get'],
    ['/items/{id}/licence', 'put'],
    ['/keys/activations/{id}', 'delete'],
  ] as const) {
    assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
  }
  const validate = JSON.stringify(doc.paths['/keys/validate']);
  assert.match(validate, /"examples":\[\{"key":"MNW-7K3QD-R2M9X-HV4TP-0C8NZ-WF6JB"/);
});
