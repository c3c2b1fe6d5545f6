// The creator's licence page of a software item through the real app: the issued key by its
// last characters with its activation, the activation limit form (422 beside the field, then
// saved), a reset that frees the machine's place, and nobody else's item or a non-software item.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
  type ItemBody,
} from '../catalog/catalog.test-helpers.js';
import type { CheckoutBody } from '../payments/payments.test-helpers.js';
import type { BuyerKeyJson, IssuedKeyJson } from './licences.schemas.js';

let t: TestApp;
let creator: Creator;
let fan: Creator;
let software: ItemBody;
let key: BuyerKeyJson;

const page = (user: Creator, url: string) => send(t.app, user.jar, { url });
const form = (user: Creator, url: string, fields: Record<string, string> = {}) =>
  send(t.app, user.jar, { url, form: { _csrf: user.csrf, ...fields } });

async function issued(): Promise<IssuedKeyJson[]> {
  const res = await call(t.app, creator, 'GET', `/items/${software.id}/keys`);
  return res.json<{ items: IssuedKeyJson[] }>().items;
}

before(async () => {
  t = await createTestApp();
  creator = await signUpCreator(t.app);
  fan = await signUpFan(t.app);
  const project = await makeProject(t.app, creator, { title: 'Tools' });
  software = await makeItem(t.app, creator, project.id, {
    type: 'software',
    title: 'Tape <Delay>',
    ai_disclosure: { tier: 'handmade' },
    price: { model: 'free' },
  });
  await t.runtime.db
    .insertInto('files')
    .values({
      item_id: software.id,
      creator_id: creator.id,
      status: 'ready',
      kind: 'archive',
      original_name: 'tape-delay.zip',
    })
    .execute();
  assert.equal(
    (await call(t.app, creator, 'POST', `/items/${software.id}/publish`)).statusCode,
    200,
  );
  // A free claim is paid at once, and its key issued in the same transaction.
  const claimed = await call(t.app, fan, 'POST', '/checkout', { item_id: software.id });
  assert.equal(claimed.json<CheckoutBody>().order.status, 'paid');
  const [mine] = (await call(t.app, fan, 'GET', '/library/keys')).json<{ items: BuyerKeyJson[] }>()
    .items;
  assert.ok(mine);
  key = mine;
  const activated = await t.app.inject({
    method: 'POST',
    url: '/api/v1/keys/activate',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
    payload: JSON.stringify({ key: key.key, instance_id: 'studio-mac', label: 'Studio <Mac>' }),
  });
  assert.equal(activated.statusCode, 200, activated.body);
});
after(() => t.close());

test('the page lists the key by its suffix, its status and machines; user text escaped', async () => {
  const res = await page(creator, `/dashboard/items/${software.id}/licence`);
  assert.equal(res.statusCode, 200);
  assert.match(res.body, new RegExp(`…${key.suffix}`));
  assert.ok(!res.body.includes(key.key), 'the whole key is the buyer’s alone');
  assert.match(res.body, />Active</);
  assert.match(res.body, /1 of 3 activations/);
  assert.match(res.body, /Studio &lt;Mac>/);
  assert.match(res.body, /Tape &lt;Delay>/);
  assert.match(res.body, /id="field-activation_limit"[^>]*value="3"/);
  // the item editor and the dashboard row lead here
  const editor = await page(creator, `/dashboard/items/${software.id}`);
  assert.match(editor.body, new RegExp(`href="/dashboard/items/${software.id}/licence"`));
  const overview = await page(creator, '/dashboard');
  assert.match(overview.body, new RegExp(`href="/dashboard/items/${software.id}/licence"`));
});

test('the limit: a wrong number comes back with 422 beside the field; a right one is saved', async () => {
  const url = `/dashboard/items/${software.id}/licence`;
  const bad = await form(creator, url, { activation_limit: 'lots' });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /id="field-activation_limit"[^>]*aria-invalid="true"/);
  assert.match(bad.body, /value="lots"/);
  assert.equal((await form(creator, url, { activation_limit: '0' })).statusCode, 422);
  const saved = await form(creator, url, { activation_limit: '5' });
  assert.equal(saved.statusCode, 303);
  assert.equal(saved.headers.location, `${url}?done=limit_saved`);
  const json = await call(t.app, creator, 'GET', `/items/${software.id}/licence`);
  assert.equal(json.json<{ licence: { activation_limit: number } }>().licence.activation_limit, 5);
  assert.match((await page(creator, `${url}?done=limit_saved`)).body, /Activation limit saved\./);
});

test('reset frees the machine’s place; someone else’s item or activation is a 404', async () => {
  const [entry] = await issued();
  const activation = entry?.instances[0];
  assert.ok(activation);
  const base = `/dashboard/items/${software.id}/licence`;
  const other = await signUpCreator(t.app);
  assert.equal((await page(other, base)).statusCode, 404);
  assert.equal((await form(other, base, { activation_limit: '9' })).statusCode, 404);
  const theirs = await form(other, `${base}/activations/${activation.id}/reset`);
  assert.equal(theirs.statusCode, 404);
  assert.equal((await issued())[0]?.activations.used, 1, 'nothing changed');
  const reset = await form(creator, `${base}/activations/${activation.id}/reset`);
  assert.equal(reset.statusCode, 303);
  assert.equal((await issued())[0]?.activations.used, 0);
  // only software has keys
  const project = await makeProject(t.app, creator, { title: 'Words' });
  const text = await makeItem(t.app, creator, project.id, { title: 'An essay' });
  assert.equal((await page(creator, `/dashboard/items/${text.id}/licence`)).statusCode, 404);
  assert.equal((await page(fan, base)).statusCode, 403);
});
