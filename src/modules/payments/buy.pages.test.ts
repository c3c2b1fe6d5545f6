// /buy/<item>: the direct link to buy, as a browser uses it (forms, 303s, 422s).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, newJar, send } from '../../../test/helpers/http.js';
import { signUpCreator } from '../catalog/catalog.test-helpers.js';
import { publishedItem } from './payments.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

test('a guest names a price, is held to the minimum, then goes to the processor', async () => {
  const creator = await signUpCreator(t.app);
  const item = await publishedItem(t.app, creator, {
    model: 'pwyw',
    minimum: 300,
    suggested: 800,
  });
  const guest = newJar();
  const page = await send(t.app, guest, { url: `/buy/${item.id}` });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /value="8\.00"/, 'the suggested price is filled in');
  assert.match(page.body, /At least \$3\. Like 12\.50\./);
  const csrf = await csrfFor(t.app, guest);

  const low = await send(t.app, guest, {
    url: `/buy/${item.id}`,
    form: { _csrf: csrf, amount: '2.50', email: 'fan@example.com' },
  });
  assert.equal(low.statusCode, 422);
  assert.match(low.body, /id="field-amount"[^>]*aria-invalid="true"/);
  assert.match(low.body, /value="fan@example\.com"/, 'the typed email is kept');

  const noEmail = await send(t.app, guest, {
    url: `/buy/${item.id}`,
    form: { _csrf: csrf, amount: '5' },
  });
  assert.equal(noEmail.statusCode, 422);
  assert.match(noEmail.body, /id="field-email"[^>]*aria-invalid="true"/);

  const ok = await send(t.app, guest, {
    url: `/buy/${item.id}`,
    form: { _csrf: csrf, amount: '5', email: 'fan@example.com' },
  });
  assert.equal(ok.statusCode, 303);
  assert.match(String(ok.headers.location), /\/pay\/local\//);
  const order = await t.runtime.db
    .selectFrom('orders')
    .select(['amount', 'buyer_email', 'status'])
    .where('item_id', '=', item.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(order, { amount: 500, buyer_email: 'fan@example.com', status: 'pending' });
});

test('drafts cannot be bought; hostile titles are escaped', async () => {
  const creator = await signUpCreator(t.app);
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 500 });
  await send(t.app, creator.jar, {
    method: 'PATCH',
    url: `/api/v1/items/${item.id}`,
    json: { title: '<script>alert(1)</script>' },
    headers: { 'x-csrf-token': creator.csrf },
  });
  const page = await send(t.app, newJar(), { url: `/buy/${item.id}` });
  // escaped as text; inside quoted attributes (meta content) a "<" is inert and quotes are escaped
  assert.match(
    page.body,
    /<h1 class="page-header__title">&lt;script>alert\(1\)&lt;\/script><\/h1>/,
  );
  assert.equal(page.body.split('<script>alert(1)').length - 1, 1, 'only in the og:title attribute');
  await send(t.app, creator.jar, {
    method: 'PATCH',
    url: `/api/v1/items/${item.id}`,
    json: { status: 'draft' },
    headers: { 'x-csrf-token': creator.csrf },
  });
  assert.equal((await send(t.app, newJar(), { url: `/buy/${item.id}` })).statusCode, 404);
});

test('a free item claimed by a guest opens on its thank-you page; members-only work is joined, not bought', async () => {
  const creator = await signUpCreator(t.app);
  const free = await publishedItem(t.app, creator, { model: 'free' });
  const guest = newJar();
  const claimed = await send(t.app, guest, {
    url: `/buy/${free.id}`,
    form: { _csrf: await csrfFor(t.app, guest), email: 'free-fan@example.com' },
  });
  assert.equal(claimed.statusCode, 303);
  const thanks = await send(t.app, newJar(), { url: String(claimed.headers.location) });
  assert.match(String(claimed.headers.location), /^\/claim\//);
  assert.equal(thanks.statusCode, 200);
  assert.match(thanks.body, /Words worth paying for\./, 'the text, opened with no account');

  const project = await t.runtime.db
    .selectFrom('projects')
    .select('slug')
    .where('id', '=', free.project_id)
    .executeTakeFirstOrThrow();
  await t.runtime.db
    .updateTable('items')
    .set({ price_model: 'members' })
    .where('id', '=', free.id)
    .execute();
  const membersOnly = await send(t.app, newJar(), { url: `/buy/${free.id}` });
  assert.equal(membersOnly.statusCode, 303);
  assert.equal(
    membersOnly.headers.location,
    `/@${creator.handle}/${project.slug}/membership`,
    'no buy form that says "Buy" for work that comes with a membership',
  );
});
