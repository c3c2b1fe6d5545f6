// The library tells the truth: a refunded purchase stays listed as refunded (and no longer
// opens), a partly refunded one stays owned, and a departed creator's item says until when it
// stays open, then leaves the library when the 90 days are over.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, send } from '../../../test/helpers/http.js';
import { formatDate } from '../../platform/dates.js';
import { PAYWALL_DIVIDER } from '../../platform/markdown/paywall.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
} from '../catalog/catalog.test-helpers.js';
import { payOnLocalPage, settledStatus, type CheckoutBody } from './payments.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ runJobs: true });
});
after(() => t.close());

const PAID_PART = 'The part after the divider, for buyers only.';

interface Entry {
  item: { id: string; title: string; url: string; body: string | null };
  order_id: string;
  state: string;
  available_until: string | null;
}

async function paidEssay(creator: Creator, title: string) {
  const project = await makeProject(t.app, creator, { title: `Essays ${Math.random()}` });
  const item = await makeItem(t.app, creator, project.id, {
    title,
    body: `Free opening.\n\n${PAYWALL_DIVIDER}\n\n${PAID_PART}`,
    ai_disclosure: { tier: 'handmade' },
    price: { model: 'fixed', amount: 900 },
  });
  const published = await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
  assert.equal(published.statusCode, 200, published.body);
  return item;
}

async function buy(fan: Creator, itemId: string): Promise<string> {
  const started = await call(t.app, fan, 'POST', '/checkout', { item_id: itemId });
  assert.equal(started.statusCode, 201, started.body);
  const { order, checkout_url } = started.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', await csrfFor(t.app, fan.jar));
  assert.equal(await settledStatus(t.runtime.db, order.id), 'paid');
  return order.id;
}

async function library(fan: Creator): Promise<Entry[]> {
  const res = await call(t.app, fan, 'GET', '/library');
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{ items: Entry[] }>().items;
}

/** The card of the item titled `title` on /library, or undefined. */
async function card(fan: Creator, title: string): Promise<string | undefined> {
  const page = await send(t.app, fan.jar, { url: '/library' });
  assert.equal(page.statusCode, 200);
  return page.body.split('<article').find((html) => html.includes(title));
}

test('a refunded purchase is listed as refunded and no longer opens; a partly refunded one stays owned', async () => {
  const creator = await signUpCreator(t.app);
  const fan = await signUpFan(t.app);
  const refunded = await paidEssay(creator, 'Refunded essay');
  const partly = await paidEssay(creator, 'Partly refunded essay');
  const refundedOrder = await buy(fan, refunded.id);
  const partlyOrder = await buy(fan, partly.id);
  const full = await call(t.app, creator, 'POST', `/orders/${refundedOrder}/refund`, {});
  assert.equal(full.statusCode, 200, full.body);
  const part = await call(t.app, creator, 'POST', `/orders/${partlyOrder}/refund`, {
    amount: 300,
  });
  assert.equal(part.statusCode, 200, part.body);

  const entries = await library(fan);
  assert.deepEqual(
    entries.map((e) => [e.order_id, e.state, e.item.body?.includes(PAID_PART) ?? false]),
    [
      [partlyOrder, 'owned', true],
      [refundedOrder, 'refunded', false],
    ],
  );
  assert.ok(entries.every((e) => e.available_until === null));

  const refundedCard = await card(fan, 'Refunded essay');
  assert.ok(refundedCard, 'the refunded purchase has a card');
  assert.match(refundedCard, /<span class="badge item-card__badge">Refunded<\/span>/);
  assert.doesNotMatch(refundedCard, />Yours</);
  const itemPath = new URL(entries[1]?.item.url ?? '').pathname;
  assert.ok(refundedCard.includes(`href="${itemPath}"`), 'the card leads to the item page');
  const itemPage = await send(t.app, fan.jar, { url: itemPath });
  assert.equal(itemPage.statusCode, 200);
  assert.ok(itemPage.body.includes(`/buy/${refunded.id}`), 'the item page offers it again');
  assert.ok(!itemPage.body.includes(PAID_PART), 'and shows only the free part');

  const partlyCard = await card(fan, 'Partly refunded essay');
  assert.ok(partlyCard);
  assert.match(partlyCard, />Yours</);
  assert.doesNotMatch(partlyCard, /Refunded/);
});

test('a departed creator’s item says until when it stays open, and leaves the library after 90 days', async () => {
  const leaving = await signUpCreator(t.app);
  const staying = await signUpCreator(t.app);
  const fan = await signUpFan(t.app);
  const kept = await paidEssay(leaving, 'Kept for a while');
  const other = await paidEssay(staying, 'Still on sale');
  await buy(fan, kept.id);
  await buy(fan, other.id);
  const left = await call(t.app, leaving, 'POST', '/me/deactivate', {
    current_password: leaving.password,
  });
  assert.equal(left.statusCode, 204, left.body);
  const moveClock = (days: number) =>
    sql`update users set left_at = now() - make_interval(days => ${days})
         where id = ${leaving.id}`.execute(t.runtime.db);
  await moveClock(10);
  const { left_at: leftAt } = await t.runtime.db
    .selectFrom('users')
    .select('left_at')
    .where('id', '=', leaving.id)
    .executeTakeFirstOrThrow();
  assert.ok(leftAt);
  const until = new Date(leftAt.getTime() + 90 * 86_400_000);

  const entries = await library(fan);
  const byTitle = new Map(entries.map((e) => [e.item.title, e]));
  assert.equal(byTitle.get('Kept for a while')?.available_until, until.toISOString());
  assert.equal(byTitle.get('Kept for a while')?.item.body?.includes(PAID_PART), true);
  assert.equal(byTitle.get('Still on sale')?.available_until, null);
  const keptCard = await card(fan, 'Kept for a while');
  assert.ok(keptCard);
  assert.ok(keptCard.includes(`Available until ${formatDate(until)}`), keptCard);
  assert.doesNotMatch((await card(fan, 'Still on sale')) ?? '', /Available until/);

  await moveClock(91);
  const later = await library(fan);
  assert.deepEqual(
    later.map((e) => e.item.title),
    ['Still on sale'],
  );
  assert.equal(await card(fan, 'Kept for a while'), undefined, 'the card is gone');
});
