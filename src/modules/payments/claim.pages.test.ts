// A guest opens what they bought with the receipt's link alone (no account, no cookie): the
// whole text, the full stream and downloads named "Artist - Title.ext"; the thank-you page says
// what was paid, what the processor kept, the order number and where the receipt went. A link
// we did not sign opens nothing; a refunded purchase opens nothing.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
} from '../catalog/catalog.test-helpers.js';
import { setProfile } from '../catalog/public.test-helpers.js';
import { PAYWALL_DIVIDER } from '../../platform/markdown/paywall.js';
import { orderNumber } from './purchase-facts.js';
import { claimToken } from './receipts.js';
import { payOnLocalPage, settledStatus, type CheckoutBody } from './payments.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ runJobs: true });
});
after(() => t.close());

const PAID_WORDS = 'Only those who paid read this sentence about the lighthouse keeper.';

async function publish(creator: Creator, itemId: string) {
  const res = await call(t.app, creator, 'POST', `/items/${itemId}/publish`);
  assert.equal(res.statusCode, 200, res.body);
}

/** A guest buys with an email, as the buy page does, and the processor confirms. */
async function guestBuys(itemId: string, email: string) {
  const jar = newJar();
  const started = await send(t.app, jar, {
    url: '/api/v1/checkout',
    json: { item_id: itemId, email },
    headers: { 'x-csrf-token': await csrfFor(t.app, jar) },
  });
  assert.equal(started.statusCode, 201, started.body);
  const { order, checkout_url } = started.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, jar, checkout_url, 'succeeded', await csrfFor(t.app, jar));
  assert.equal(await settledStatus(t.runtime.db, order.id), 'paid');
  return order;
}

/** A ready file for an item, stored as the media worker would leave it. */
async function readyFile(creator: Creator, itemId: string, name: string) {
  const key = `test/${randomUUID()}`;
  await t.runtime.storage.put(key, Buffer.from('the whole file'), {
    contentType: 'application/zip',
  });
  const row = await t.runtime.db
    .insertInto('files')
    .values({
      item_id: itemId,
      creator_id: creator.id,
      status: 'ready',
      kind: 'archive',
      original_name: name,
      mime: 'application/zip',
      original_key: key,
      size: 14,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('the receipt link opens the purchase with no account', () => {
  let creator: Creator;
  before(async () => {
    creator = await signUpCreator(t.app);
    await setProfile(t, creator, { display_name: 'Iris Vale' });
  });

  test('a paid text: the whole of it, the facts of the payment, an account offered', async () => {
    const project = await makeProject(t.app, creator, { title: 'Coast' });
    const item = await makeItem(t.app, creator, project.id, {
      title: 'The Keeper',
      body: `An opening anyone may read.\n\n${PAYWALL_DIVIDER}\n\n${PAID_WORDS}`,
      ai_disclosure: { tier: 'handmade' },
      price: { model: 'fixed', amount: 700 },
    });
    await publish(creator, item.id);
    const email = `reader-${randomUUID()}@example.com`;
    const order = await guestBuys(item.id, email);
    const token = claimToken(t.runtime.config.appSecret, order.id);

    const page = await send(t.app, newJar(), { url: `/claim/${token}` });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(PAID_WORDS), 'the paid part, in full');
    assert.ok(!page.body.includes('The rest is for'), 'no paywall for its buyer');
    assert.match(page.body, /The Keeper/);
    assert.match(page.body, /Iris Vale/);
    assert.match(page.body, /\$7\.00/);
    assert.match(page.body, /Processor fee/);
    assert.ok(page.body.includes(orderNumber(order.id)));
    assert.ok(page.body.includes(`A receipt was sent to ${email}.`));
    assert.match(page.body, /Create a free account/);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.match(String(page.headers['cache-control']), /no-store/);

    // the receipt mailed to the guest holds the same link
    const mail = await t.runtime.db
      .selectFrom('mail_messages')
      .select('text_body')
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow();
    assert.ok(mail.text_body.includes(`/claim/${token}`));
    assert.match(
      mail.text_body,
      /Processor fee: +\$0\.\d\d \(kept by the card processor; Iris Vale receives \$6\.\d\d\)/,
    );
    assert.ok(mail.text_body.includes(orderNumber(order.id)));

    // nobody was made an account
    const accounts = await t.runtime.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', email)
      .execute();
    assert.equal(accounts.length, 0);
  });

  test('downloads answer with the file, named "Artist - Title.ext"; plays go in full', async () => {
    const project = await makeProject(t.app, creator, { title: 'Tools' });
    const item = await makeItem(t.app, creator, project.id, {
      type: 'software',
      title: 'Tide Tables',
      ai_disclosure: { tier: 'handmade' },
      price: { model: 'fixed', amount: 1200 },
    });
    const fileId = await readyFile(creator, item.id, 'tides-v1.zip');
    await publish(creator, item.id);
    const order = await guestBuys(item.id, `dev-${randomUUID()}@example.com`);
    const token = claimToken(t.runtime.config.appSecret, order.id);

    const page = await send(t.app, newJar(), { url: `/claim/${token}` });
    assert.ok(page.body.includes(`/claim/${token}/download/${fileId}`));
    assert.match(page.body, /Licence key/);
    assert.match(page.body, /MNW-/);

    const redirect = await send(t.app, newJar(), { url: `/claim/${token}/download/${fileId}` });
    assert.equal(redirect.statusCode, 302);
    assert.equal(redirect.headers['referrer-policy'], 'no-referrer');
    const target = new URL(String(redirect.headers.location), 'http://localhost:3000');
    const file = await send(t.app, newJar(), { url: target.pathname + target.search });
    assert.equal(file.statusCode, 200);
    assert.equal(file.body, 'the whole file');
    assert.match(
      String(file.headers['content-disposition']),
      /^attachment; filename="Iris Vale - Tide Tables\.zip"$/,
    );

    // the same file through a stranger's own route: not there for them
    const stranger = await send(t.app, newJar(), { url: `/download/${fileId}` });
    assert.equal(stranger.statusCode, 404);
    // and through a link we did not sign, or for another order: nothing
    const forged = `${order.id}.${'x'.repeat(43)}`;
    assert.equal((await send(t.app, newJar(), { url: `/claim/${forged}` })).statusCode, 404);
    assert.equal(
      (await send(t.app, newJar(), { url: `/claim/${forged}/download/${fileId}` })).statusCode,
      404,
    );
  });

  test('a refunded purchase: the link says so and opens nothing', async () => {
    const project = await makeProject(t.app, creator, { title: 'Refunds' });
    const item = await makeItem(t.app, creator, project.id, {
      title: 'Withdrawn essay',
      body: `Free words.\n\n${PAYWALL_DIVIDER}\n\n${PAID_WORDS}`,
      ai_disclosure: { tier: 'handmade' },
      price: { model: 'fixed', amount: 500 },
    });
    await publish(creator, item.id);
    const order = await guestBuys(item.id, `refunded-${randomUUID()}@example.com`);
    const refunded = await call(t.app, creator, 'POST', `/orders/${order.id}/refund`, {});
    assert.equal(refunded.statusCode, 200, refunded.body);
    const token = claimToken(t.runtime.config.appSecret, order.id);
    const page = await send(t.app, newJar(), { url: `/claim/${token}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /refunded or disputed: it is no longer yours/);
    assert.ok(!page.body.includes(PAID_WORDS));
  });
});
