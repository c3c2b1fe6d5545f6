// A guest buys with an address that belongs to an account not yet verified: the order joins
// that account the moment it verifies the address, and shows in its library.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send } from '../../../test/helpers/http.js';
import { signUpCreator } from '../catalog/catalog.test-helpers.js';
import {
  payOnLocalPage,
  publishedItem,
  settledStatus,
  type CheckoutBody,
} from './payments.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ runJobs: true });
});
after(() => t.close());

async function verifyLink(to: string): Promise<string> {
  const mail = await t.runtime.db
    .selectFrom('mail_messages')
    .select('text_body')
    .where('to_address', '=', to)
    .execute();
  for (const { text_body } of mail) {
    const url = /https?:\/\/\S+\/verify-email\?token=[\w-]+/.exec(text_body)?.[0];
    if (url) return new URL(url).pathname + new URL(url).search;
  }
  assert.fail(`no verification link mailed to ${to}`);
}

test('a guest order joins the account that later verifies the same address', async () => {
  const creator = await signUpCreator(t.app);
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 800 });
  const user = await signUp(t.app); // not verified yet
  const guest = newJar();
  const started = await send(t.app, guest, {
    url: '/api/v1/checkout',
    json: { item_id: item.id, email: user.email.toUpperCase() },
    headers: { 'x-csrf-token': await csrfFor(t.app, guest) },
  });
  assert.equal(started.statusCode, 201, started.body);
  const { order, checkout_url } = started.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, guest, checkout_url, 'succeeded', await csrfFor(t.app, guest));
  assert.equal(await settledStatus(t.runtime.db, order.id), 'paid');

  const library = async () =>
    (await send(t.app, user.jar, { url: '/api/v1/library' })).json<{ items: unknown[] }>().items;
  assert.equal((await library()).length, 0, 'an unverified address claims nothing');

  const verified = await send(t.app, newJar(), { url: await verifyLink(user.email) });
  assert.equal(verified.statusCode, 200);
  assert.equal((await library()).length, 1, 'verifying the address brings the order along');

  // the /library page shows it, with a way to the item page where it plays and downloads
  const page = await send(t.app, user.jar, { url: '/library' });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1[^>]*>Your library<\/h1>/);
  assert.ok(page.body.includes(`href="${new URL(item.url).pathname}"`));
  const signedOut = await send(t.app, newJar(), { url: '/library' });
  assert.equal(signedOut.statusCode, 303);
  assert.equal(signedOut.headers.location, '/login?next=%2Flibrary');
});
