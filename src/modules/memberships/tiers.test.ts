// Tiers and members from the creator's side (API, dashboard page, CSV export), the public
// membership page and the fan's memberships page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  signUpCreator,
  signUpFan,
  type Creator,
  type Err,
  type ProjectBody,
} from '../catalog/catalog.test-helpers.js';
import {
  payOnLocalPage,
  paymentJobsDrained,
  settledStatus,
  type CheckoutBody,
} from '../payments/payments.test-helpers.js';
import type { TierJson } from './memberships.schemas.js';
import { join, makeProject, makeTier } from './memberships.test-helpers.js';

let t: TestApp;
let creator: Creator;
let otherCreator: Creator;
let project: ProjectBody;

const db = () => t.runtime.db;

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  otherCreator = await signUpCreator(t.app);
  project = await makeProject(t.app, creator, { title: 'Harbour Songs' });
});
after(() => t.close());

const page = (user: Creator | undefined, url: string) =>
  send(t.app, user?.jar ?? newJar(), { url });

test('only the project’s creator adds, changes and deletes tiers; the rest get 404', async () => {
  const fan = await signUpFan(t.app);
  const body = { name: 'Crew', monthly_price: 300 };
  for (const user of [otherCreator, fan]) {
    const res = await call(t.app, user, 'POST', `/projects/${project.id}/tiers`, body);
    assert.equal(res.statusCode, 404);
  }
  const noPrice = await call(t.app, creator, 'POST', `/projects/${project.id}/tiers`, {
    name: 'Crew',
  });
  assert.equal(noPrice.statusCode, 422);
  assert.ok(noPrice.json<Err>().error.fields?.monthly_price);

  const tier = await makeTier(t.app, creator, project.id, { name: 'Crew', yearly_price: null });
  assert.equal(tier.currency, 'USD');
  assert.equal(tier.status, 'active');
  for (const user of [otherCreator, fan]) {
    assert.equal(
      (await call(t.app, user, 'PATCH', `/tiers/${tier.id}`, { name: 'x' })).statusCode,
      404,
    );
    assert.equal((await call(t.app, user, 'DELETE', `/tiers/${tier.id}`)).statusCode, 404);
  }
  const both = await call(t.app, creator, 'PATCH', `/tiers/${tier.id}`, { monthly_price: null });
  assert.equal(both.statusCode, 422); // it would have no price left
  const renamed = await call(t.app, creator, 'PATCH', `/tiers/${tier.id}`, {
    name: 'Deck crew',
    benefits: ['Demos'],
  });
  assert.equal(renamed.json<{ tier: TierJson }>().tier.name, 'Deck crew');
  assert.equal((await call(t.app, creator, 'DELETE', `/tiers/${tier.id}`)).statusCode, 204);
  const listed = await call(t.app, fan, 'GET', `/projects/${project.id}/tiers`);
  assert.equal(listed.json<{ items: TierJson[] }>().items.length, 0);
});

test('members, the dashboard page and the CSV export: the creator’s only, with formulas defused', async () => {
  const tier = await makeTier(t.app, creator, project.id, {
    name: '+Backstage',
    benefits: ['<b>Demos</b>'],
  });
  const user = await signUp(t.app, { display_name: '=HYPERLINK("http://x","y")' });
  const fan: Creator = { ...user, csrf: await csrfFor(t.app, user.jar) };
  await join(t.app, db(), fan, tier.id);

  // the public page: the tier, its price, the benefit escaped, and a link from the project page
  const publicPage = await page(undefined, `/@${creator.handle}/${project.slug}/membership`);
  assert.equal(publicPage.statusCode, 200);
  assert.match(publicPage.body, /\+Backstage/);
  assert.match(publicPage.body, /\$5 a month or \$50 a year/);
  assert.match(publicPage.body, /<li>&lt;b>Demos&lt;\/b><\/li>/);
  const projectPage = await page(undefined, `/@${creator.handle}/${project.slug}`);
  assert.match(
    projectPage.body,
    new RegExp(`href="/@${creator.handle}/${project.slug}/membership"`),
  );

  const dashboard = `/dashboard/projects/${project.id}/membership`;
  assert.equal((await page(otherCreator, dashboard)).statusCode, 404);
  const own = await page(creator, dashboard);
  assert.equal(own.statusCode, 200);
  assert.match(own.body, new RegExp(`@${fan.handle}`));
  assert.match(own.body, /Renews/);

  const csvUrl = `/dashboard/projects/${project.id}/members.csv`;
  assert.equal((await page(otherCreator, csvUrl)).statusCode, 404);
  assert.equal((await page(fan, csvUrl)).statusCode, 404);
  const csv = await page(creator, csvUrl);
  assert.equal(csv.statusCode, 200);
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  const lines = csv.body.trim().split('\r\n');
  assert.equal(lines[0], 'member,email,tier,interval,status,since,period_end,next');
  assert.equal(lines.length, 2);
  const row = lines[1] ?? '';
  assert.ok(
    row.startsWith(
      `"'=HYPERLINK(""http://x"",""y"") (@${fan.handle})",${fan.email},'+Backstage,month,active,`,
    ),
    row,
  );
  assert.ok(row.endsWith(',renews'), row);

  // a tier with members is archived, not deleted, and leaves the public page
  const removed = await call(t.app, creator, 'DELETE', `/tiers/${tier.id}`);
  assert.equal(removed.statusCode, 200);
  assert.equal(removed.json<{ tier: TierJson }>().tier.status, 'archived');
  const closed = await page(undefined, `/@${creator.handle}/${project.slug}/membership`);
  assert.doesNotMatch(closed.body, /\+Backstage/);
  const stillMember = await call(t.app, fan, 'GET', '/me/memberships');
  assert.equal(stillMember.json<{ items: { has_access: boolean }[] }>().items[0]?.has_access, true);
});

test('the dashboard form adds a tier; a bad price re-renders with its field error', async () => {
  const csrf = creator.csrf;
  const url = `/dashboard/projects/${project.id}/tiers`;
  const bad = await send(t.app, creator.jar, {
    url,
    form: { _csrf: csrf, name: 'Patron', monthly: 'lots', yearly: '' },
  });
  assert.equal(bad.statusCode, 422);
  assert.match(bad.body, /Enter an amount in numbers, like 12\.50\./);
  const good = await send(t.app, creator.jar, {
    url,
    form: {
      _csrf: csrf,
      name: 'Patron',
      benefits: 'Thanks\nA postcard',
      monthly: '',
      yearly: '120',
    },
  });
  assert.equal(good.statusCode, 303);
  const tiers = await call(t.app, creator, 'GET', `/projects/${project.id}/tiers`);
  const patron = tiers.json<{ items: TierJson[] }>().items.find((x) => x.name === 'Patron');
  assert.deepEqual(patron?.benefits, ['Thanks', 'A postcard']);
  assert.equal(patron.yearly_price, 12_000);
  assert.equal(patron.monthly_price, null);
});

test('a guest joins from the public page; a fan cancels from their memberships page', async () => {
  const tier = await makeTier(t.app, creator, project.id, { name: 'Guest pass' });
  const guest = newJar();
  const joinUrl = `/@${creator.handle}/${project.slug}/membership`;
  const refused = await send(t.app, guest, {
    url: joinUrl,
    form: { _csrf: await csrfFor(t.app, guest), tier_id: tier.id, interval: 'month' },
  });
  assert.equal(refused.statusCode, 422);
  assert.match(refused.body, /Enter your email/);
  const joined = await send(t.app, guest, {
    url: joinUrl,
    form: {
      _csrf: await csrfFor(t.app, guest),
      tier_id: tier.id,
      interval: 'year',
      email: 'guest-member@example.com',
    },
  });
  assert.equal(joined.statusCode, 303);
  assert.match(String(joined.headers.location), /\/pay\/local\/cs_local_/);

  const fan = await signUpFan(t.app);
  const { membership } = await join(t.app, db(), fan, tier.id);
  const mine = await page(fan, '/library/memberships');
  assert.equal(mine.statusCode, 200);
  assert.match(mine.body, /Guest pass, monthly\. Renews/);
  const cancel = await send(t.app, fan.jar, {
    url: `/library/memberships/${membership.id}/cancel`,
    form: { _csrf: fan.csrf },
  });
  assert.equal(cancel.statusCode, 303);
  const after = await page(fan, '/library/memberships?done=canceled');
  assert.match(after.body, /Canceled: yours until/);
  assert.equal((await page(undefined, '/library/memberships')).statusCode, 303);
});

test('back from the processor, the memberships page says it is confirming, then welcomes', async () => {
  const project = await makeProject(t.app, creator, { title: 'Night Radio' });
  const tier = await makeTier(t.app, creator, project.id, { name: 'Listener' });
  const fan = await signUpFan(t.app);
  const res = await call(t.app, fan, 'POST', '/memberships', {
    tier_id: tier.id,
    interval: 'month',
  });
  assert.equal(res.statusCode, 201, res.body);
  const { order, checkout_url } = res.json<CheckoutBody>();
  assert.ok(checkout_url);
  const here = `/library/memberships?order=${order.id}`;
  const statusOf = (body: string) =>
    /<div class="join-status" id="join-status" role="status">([\s\S]*?)<div id="membership-list">/.exec(
      body,
    )?.[1];

  // the processor's redirect may come before its webhook: no "No memberships yet" then
  const early = await page(fan, here);
  assert.equal(early.statusCode, 200);
  const confirming = statusOf(early.body);
  assert.ok(confirming, 'a live region says where the membership stands');
  assert.match(confirming, /We are confirming your Night Radio membership/);
  assert.ok(confirming.includes(`hx-get="${here}"`));
  assert.match(confirming, /hx-trigger="every 1s"/);
  assert.ok(confirming.includes(`<a href="${here}">Check again</a>`), 'works without script');
  assert.doesNotMatch(early.body, /No memberships yet/);

  const paid = await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', fan.csrf);
  assert.equal(paid.headers.location, `http://localhost:3000${here}`, 'the processor sends back');
  assert.equal(await settledStatus(db(), order.id), 'paid');
  await paymentJobsDrained(db());
  const welcomed = await page(fan, here);
  const active = statusOf(welcomed.body);
  assert.ok(active);
  assert.match(active, /Welcome! You are a member of Night Radio\./);
  assert.doesNotMatch(active, /hx-trigger/, 'polling stops');
  assert.match(welcomed.body, /Listener, monthly\. Renews/);

  // what polling asks for: the whole page (hx-select), with the notice and the list in it
  const polled = await send(t.app, fan.jar, {
    url: here,
    headers: { 'hx-request': 'true', 'hx-request-type': 'full' },
  });
  assert.match(polled.body, /id="join-notice"/);
  assert.match(polled.body, /<div id="membership-list">/);

  // someone else's order number says nothing to another fan
  const other = await signUpFan(t.app);
  const theirs = await page(other, here);
  assert.equal(statusOf(theirs.body), undefined);
  assert.match(theirs.body, /No memberships yet/);
});

test('a declined first payment is said plainly on the memberships page', async () => {
  const project = await makeProject(t.app, creator, { title: 'Declined Songs' });
  const tier = await makeTier(t.app, creator, project.id);
  const fan = await signUpFan(t.app);
  const res = await call(t.app, fan, 'POST', '/memberships', {
    tier_id: tier.id,
    interval: 'month',
  });
  const { order, checkout_url } = res.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, fan.jar, checkout_url, 'declined', fan.csrf);
  assert.equal(await settledStatus(db(), order.id), 'failed');
  const body = (await page(fan, `/library/memberships?order=${order.id}`)).body;
  assert.match(body, /Your Declined Songs membership did not start/);
  assert.doesNotMatch(body, /hx-trigger/);
});

test('every memberships endpoint is in the OpenAPI document', async () => {
  const res = await t.app.inject({ url: '/api/v1/openapi.json' });
  const paths = res.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
  const expected: [string, string][] = [
    ['/projects/{id}/tiers', 'get'],
    ['/projects/{id}/tiers', 'post'],
    ['/tiers/{id}', 'patch'],
    ['/tiers/{id}', 'delete'],
    ['/memberships', 'post'],
    ['/me/memberships', 'get'],
    ['/memberships/{id}/cancel', 'post'],
  ];
  for (const [path, method] of expected) {
    const documented = Object.entries(paths).some(
      ([key, ops]) => key.endsWith(path) && method in ops,
    );
    assert.ok(documented, `${method} ${path}`);
  }
});
