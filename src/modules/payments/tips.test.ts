// Tips: through the API and the forms on creator and project pages, paid on the local
// processor's page, ending in the creator's pending balance.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, newJar, send } from '../../../test/helpers/http.js';
import { balances } from '../ledger/index.js';
import {
  call,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
  type Err,
} from '../catalog/catalog.test-helpers.js';
import { localProcessorFee } from './local/local-processor.js';
import { payOnLocalPage, settledStatus, type CheckoutBody } from './payments.test-helpers.js';
import { tipThanksToken } from './tips.service.js';

let t: TestApp;
let creator: Creator;
let fan: Creator;

async function tipsOn(user: Creator, on = true) {
  const res = await call(t.app, user, 'PATCH', '/me/profile', { tips_enabled: on });
  assert.equal(res.statusCode, 200, res.body);
}

before(async () => {
  // the page cache on, as in production: the thanks after a tip must never be served from it
  t = await createTestApp({ runJobs: true, env: { PAGE_CACHE: 'on' } });
  creator = await signUpCreator(t.app);
  fan = await signUpFan(t.app);
  await tipsOn(creator);
});
after(() => t.close());

const db = () => t.runtime.db;

test('a tip paid on the local page grows the creator’s pending balance by gross minus fee', async () => {
  const project = await makeProject(t.app, creator, { title: 'Tip jar project' });
  const res = await call(t.app, fan, 'POST', '/tips', {
    creator: `@${creator.handle.toUpperCase()}`,
    project_id: project.id,
    amount: 700,
    currency: 'usd',
    message: 'Thank you!',
  });
  assert.equal(res.statusCode, 201, res.body);
  const { order, checkout_url } = res.json<CheckoutBody & { order: { kind: string } }>();
  assert.equal(order.kind, 'tip');
  assert.equal(order.amount, 700);
  assert.ok(checkout_url);
  const page = await send(t.app, fan.jar, { url: new URL(checkout_url).pathname });
  assert.match(page.body, /Tip for /, 'the processor shows what is paid for');

  assert.equal(
    (await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', fan.csrf)).statusCode,
    303,
  );
  assert.equal(await settledStatus(db(), order.id), 'paid');
  const [balance] = await balances(db(), creator.id);
  assert.equal(balance?.pending, 700 - localProcessorFee(700));
});

test('tips are refused when turned off, to unknown creators and for bad amounts', async () => {
  const other = await signUpCreator(t.app);
  const off = await call(t.app, fan, 'POST', '/tips', { creator: other.handle, amount: 500 });
  assert.equal(off.statusCode, 404);
  assert.equal(
    (await call(t.app, fan, 'POST', '/tips', { creator: 'nobody-here', amount: 500 })).statusCode,
    404,
  );
  assert.equal((await send(t.app, newJar(), { url: `/tip/${other.handle}` })).statusCode, 404);

  const refusals: [Record<string, unknown>, string][] = [
    [{ amount: 99 }, 'AMOUNT_TOO_SMALL'],
    [{ amount: 100_000_001 }, 'AMOUNT_TOO_LARGE'],
    [{ amount: 2.5 }, 'VALIDATION_FAILED'],
    [{ amount: 500, currency: 'EUR' }, 'CURRENCY_MISMATCH'],
    [{ amount: 500, message: 'x'.repeat(501) }, 'VALIDATION_FAILED'],
    [{ amount: 500, project_id: (await makeProject(t.app, other)).id }, 'PROJECT_NOT_FOUND'],
  ];
  for (const [body, code] of refusals) {
    const res = await call(t.app, fan, 'POST', '/tips', { creator: creator.handle, ...body });
    assert.equal(res.statusCode, 422, JSON.stringify(body));
    assert.equal(res.json<Err>().error.code, code);
  }
  const guest = newJar();
  const noEmail = await send(t.app, guest, {
    url: '/api/v1/tips',
    json: { creator: creator.handle, amount: 500 },
    headers: { 'x-csrf-token': await csrfFor(t.app, guest) },
  });
  assert.equal(noEmail.statusCode, 422);
  assert.equal(noEmail.json<Err>().error.code, 'EMAIL_REQUIRED');
});

test('the creator reads a hostile message as plain text in the order JSON', async () => {
  const message = '<script>alert("tip")</script> & thanks';
  const res = await call(t.app, fan, 'POST', '/tips', {
    creator: creator.handle,
    amount: 300,
    message,
  });
  assert.equal(res.statusCode, 201, res.body);
  const { order } = res.json<CheckoutBody>();
  const read = await call(t.app, creator, 'GET', `/orders/${order.id}`);
  assert.equal(read.statusCode, 200);
  assert.match(String(read.headers['content-type']), /^application\/json/);
  assert.equal(read.json<{ order: { message: string } }>().order.message, message);

  // once paid, the creator reads it on the sales page, escaped
  const { checkout_url } = res.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', fan.csrf);
  assert.equal(await settledStatus(t.runtime.db, order.id), 'paid');
  const sales = await send(t.app, creator.jar, { url: '/dashboard/sales' });
  assert.equal(sales.statusCode, 200);
  assert.ok(sales.body.includes('<p>&lt;script>alert(&#34;tip&#34;)&lt;/script> &amp; thanks</p>'));
  assert.ok(!sales.body.includes('<script>alert'));
});

test('a guest tips from the creator page form; mistakes come back with the form', async () => {
  const guest = newJar();
  const profile = await send(t.app, guest, { url: `/@${creator.handle}` });
  assert.equal(profile.statusCode, 200);
  assert.match(profile.body, new RegExp(`action="/tip/${creator.handle}"`));
  assert.match(profile.body, /type="radio" name="preset" value="500" checked/);
  assert.match(profile.body, /Other amount/);
  assert.match(profile.body, /id="field-email"/, 'guests are asked for an email');
  const project = await makeProject(t.app, creator, { title: 'Tips on a project' });
  const projectPage = await send(t.app, guest, { url: new URL(project.url).pathname });
  assert.match(projectPage.body, new RegExp(`name="project_id" value="${project.id}"`));

  const csrf = await csrfFor(t.app, guest);
  const bad = await send(t.app, guest, {
    url: `/tip/${creator.handle}`,
    form: {
      _csrf: csrf,
      preset: 'other',
      other: '0.50',
      message: '<b>hi</b>',
      email: 'g@example.com',
    },
  });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /id="field-other"[^>]*aria-invalid="true"/);
  assert.match(bad.body, /&lt;b>hi&lt;\/b>/, 'the message is kept, escaped');
  assert.match(bad.body, /value="g@example\.com"/);

  const ok = await send(t.app, guest, {
    url: `/tip/${creator.handle}`,
    form: {
      _csrf: csrf,
      preset: 'other',
      other: '12.50',
      project_id: project.id,
      email: 'g@example.com',
    },
  });
  assert.equal(ok.statusCode, 303, ok.body);
  assert.match(String(ok.headers.location), /\/pay\/local\//);
  const order = await db()
    .selectFrom('orders')
    .select(['kind', 'amount', 'project_id', 'buyer_email', 'status'])
    .where('project_id', '=', project.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(order, {
    kind: 'tip',
    amount: 1250,
    project_id: project.id,
    buyer_email: 'g@example.com',
    status: 'pending',
  });

  await tipsOn(creator, false);
  const gone = await send(t.app, guest, { url: `/@${creator.handle}` });
  assert.doesNotMatch(gone.body, /action="\/tip\//);
  const closed = await send(t.app, guest, {
    url: `/tip/${creator.handle}`,
    form: { _csrf: csrf, preset: '500', email: 'g@example.com' },
  });
  assert.equal(closed.statusCode, 404);
  await tipsOn(creator);
});

test('back from paying a tip, the page thanks the fan truthfully; nobody else sees it', async () => {
  const project = await makeProject(t.app, creator, { title: 'Thanks project' });
  const projectPath = new URL(project.url).pathname;
  const res = await call(t.app, fan, 'POST', '/tips', {
    creator: creator.handle,
    project_id: project.id,
    amount: 500,
  });
  assert.equal(res.statusCode, 201, res.body);
  const { order, checkout_url } = res.json<CheckoutBody>();
  assert.ok(checkout_url);
  const token = tipThanksToken(t.runtime.config.appSecret, order.id);
  const back = `${projectPath}?tipped=${encodeURIComponent(token)}`;
  const thanksOf = (body: string) =>
    /<div class="tip-thanks" id="tip-thanks" role="status">([\s\S]*?)<\/div>\s*<\/div>/.exec(
      body,
    )?.[1];

  // the processor's redirect may land before its webhook: the page says so and checks again
  const early = await send(t.app, fan.jar, { url: back });
  assert.equal(early.statusCode, 200);
  assert.equal(early.headers['cache-control'], 'private, no-store');
  const confirming = thanksOf(early.body);
  assert.ok(confirming, 'a live region thanks the fan');
  assert.match(confirming, /Thank you! Your tip to [^<]+ is being confirmed\./);
  const pollUrl = `/tip/${creator.handle}/thanks/${encodeURIComponent(token)}`;
  assert.ok(confirming.includes(`hx-get="${pollUrl}"`));
  assert.match(confirming, /hx-trigger="every 1s"/);
  assert.ok(confirming.includes(`href="?tipped=${encodeURIComponent(token)}"`), 'no-JS check');

  const paid = await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', fan.csrf);
  assert.equal(paid.headers.location, `http://localhost:3000${back}`, 'the processor sends back');
  assert.equal(await settledStatus(db(), order.id), 'paid');
  const received = thanksOf((await send(t.app, fan.jar, { url: back })).body);
  assert.ok(received);
  assert.match(received, /Thank you! Your tip to [^<]+ was received\./);
  assert.match(received, /receipt is on its way by email/);
  assert.doesNotMatch(received, /hx-trigger/, 'polling stops once it is confirmed');
  const poll = await send(t.app, fan.jar, { url: pollUrl, headers: { 'hx-request': 'true' } });
  assert.equal(poll.statusCode, 200);
  assert.match(poll.body, /^<div class="notice notice--success" id="tip-thanks-message">/);
  assert.match(poll.body, /was received\./);

  // a stranger, a forged token and another creator's page get the page without thanks, and
  // the cache (on in production) never hands the thanks to an anonymous visitor of the page
  const stranger = await t.app.inject({ method: 'GET', url: projectPath });
  assert.equal(stranger.statusCode, 200);
  assert.equal(thanksOf(stranger.body), undefined);
  const forged = `${order.id}.${'A'.repeat(22)}`;
  const forgedPage = await t.app.inject({ method: 'GET', url: `${projectPath}?tipped=${forged}` });
  assert.equal(forgedPage.statusCode, 200);
  assert.equal(thanksOf(forgedPage.body), undefined);
  const other = await signUpCreator(t.app);
  const elsewhere = await t.app.inject({ method: 'GET', url: `/@${other.handle}?tipped=${token}` });
  assert.equal(thanksOf(elsewhere.body), undefined);
  const wrongPoll = await send(t.app, fan.jar, { url: `/tip/${other.handle}/thanks/${token}` });
  assert.equal(wrongPoll.statusCode, 404);
  const anonymous = await t.app.inject({ method: 'GET', url: back });
  assert.ok(thanksOf(anonymous.body), 'the link itself is the proof, as in a receipt');
  assert.equal(anonymous.headers['x-page-cache'], undefined, 'never a cache candidate');
  assert.equal(thanksOf((await t.app.inject({ method: 'GET', url: projectPath })).body), undefined);
});

test('a declined tip is not thanked as received', async () => {
  const res = await call(t.app, fan, 'POST', '/tips', { creator: creator.handle, amount: 300 });
  const { order, checkout_url } = res.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, fan.jar, checkout_url, 'declined', fan.csrf);
  assert.equal(await settledStatus(db(), order.id), 'failed');
  const token = tipThanksToken(t.runtime.config.appSecret, order.id);
  const page = await send(t.app, fan.jar, { url: `/@${creator.handle}?tipped=${token}` });
  assert.match(page.body, /role="status">\s*<div class="notice notice--error"/);
  assert.match(page.body, /Your tip to [^<]+ did not go through\./);
  assert.doesNotMatch(page.body, /was received/);
});
