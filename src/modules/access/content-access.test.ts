// The one access rule on its paths: JSON answers, lists, the item page, the feed, playback and
// downloads agree on who reads a paid text in full, and buyers keep what they bought when the
// creator unpublishes it or leaves (90 days, then it ends; strangers never see it again).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
  type Err,
} from '../catalog/catalog.test-helpers.js';
import {
  payOnLocalPage,
  settledStatus,
  type CheckoutBody,
} from '../payments/payments.test-helpers.js';
import { PAYWALL_DIVIDER } from '../../platform/markdown/paywall.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ runJobs: true });
});
after(() => t.close());

interface ItemJson {
  id: string;
  body: string | null;
  body_preview: string;
  status: string;
}

const FREE_PART = 'The river starts small, in a field above the town.';
const PAID_PART = 'Past the weir it turns east, and this is the part you paid for.';
const BODY = `${FREE_PART}\n\n${PAYWALL_DIVIDER}\n\n${PAID_PART}`;

async function paidEssay(creator: Creator, title = 'The river') {
  const project = await makeProject(t.app, creator, { title: `Essays ${Math.random()}` });
  const item = await makeItem(t.app, creator, project.id, {
    title,
    body: BODY,
    ai_disclosure: { tier: 'handmade' },
    price: { model: 'fixed', amount: 500 },
  });
  const published = await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
  assert.equal(published.statusCode, 200, published.body);
  return { project, item };
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

const anonymous = (url: string) => send(t.app, newJar(), { url });

describe('a paid text', () => {
  let creator: Creator;
  let fan: Creator;
  let stranger: Creator;
  let essay: Awaited<ReturnType<typeof paidEssay>>;
  before(async () => {
    creator = await signUpCreator(t.app);
    fan = await signUpFan(t.app);
    stranger = await signUpFan(t.app);
    essay = await paidEssay(creator);
    await buy(fan, essay.item.id);
  });

  test('the JSON item: the whole body for its creator and its buyer, the free part for others', async () => {
    const asOwner = (await call(t.app, creator, 'GET', `/items/${essay.item.id}`)).json<{
      item: ItemJson;
    }>().item;
    assert.equal(asOwner.body, BODY, 'the creator gets the text as written');
    const asBuyer = (await call(t.app, fan, 'GET', `/items/${essay.item.id}`)).json<{
      item: ItemJson;
    }>().item;
    assert.equal(asBuyer.body, BODY);
    for (const res of [
      await anonymous(`/api/v1/items/${essay.item.id}`),
      await call(t.app, stranger, 'GET', `/items/${essay.item.id}`),
    ]) {
      assert.equal(res.statusCode, 200);
      const item = res.json<{ item: ItemJson }>().item;
      assert.equal(item.body, null);
      assert.equal(item.body_preview, FREE_PART);
      assert.ok(!res.body.includes('you paid for'));
    }
  });

  test('the project list decides item by item', async () => {
    const list = (who?: Creator) =>
      who
        ? call(t.app, who, 'GET', `/projects/${essay.project.id}/items`)
        : anonymous(`/api/v1/projects/${essay.project.id}/items`);
    const strangers = await list();
    assert.ok(!strangers.body.includes('you paid for'));
    assert.equal(strangers.json<{ items: ItemJson[] }>().items[0]?.body, null);
    const buyers = (await list(fan)).json<{ items: ItemJson[] }>();
    assert.equal(buyers.items[0]?.body, BODY);
  });

  test('the item page: the free part and a clear break for others, all of it for the buyer', async () => {
    const path = new URL(
      (await anonymous(`/i/${essay.item.id}`)).headers.location ?? '',
      'http://x',
    ).pathname;
    const page = await anonymous(path);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(FREE_PART));
    assert.ok(!page.body.includes('you paid for'));
    assert.match(page.body, /The rest is for those who buy it\./);
    assert.ok(!page.body.includes('&lt;!-- paywall'), 'the divider is never shown as text');
    const bought = await send(t.app, fan.jar, { url: path });
    assert.ok(bought.body.includes(PAID_PART));
    assert.ok(bought.body.includes(FREE_PART));
    assert.ok(!bought.body.includes('paywall'), 'no divider, no break for the buyer');
  });

  test('the feed carries the free part and a link, never the rest', async () => {
    const page = await anonymous(`/api/v1/projects/${essay.project.id}`);
    const url = new URL(page.json<{ project: { url: string } }>().project.url);
    const feed = await send(t.app, fan.jar, { url: `${url.pathname}/feed.xml` });
    assert.equal(feed.statusCode, 200);
    assert.ok(feed.body.includes('The river starts small'));
    assert.ok(!feed.body.includes('you paid for'), 'a feed is public, whoever asks');
  });

  test('search cannot find a word of a paid text (its title still finds it)', async () => {
    const res = await anonymous('/api/v1/search?q=weir');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json<{ items: unknown[] }>().items.length, 0);
    const free = await anonymous('/api/v1/search?q=river');
    assert.ok(free.json<{ items: { id: string }[] }>().items.some((i) => i.id === essay.item.id));
  });
});

describe('buyers keep what they bought', () => {
  test('when the creator moves it back to draft: the buyer still reads it, others get 404', async () => {
    const creator = await signUpCreator(t.app);
    const fan = await signUpFan(t.app);
    const { item } = await paidEssay(creator, 'Withdrawn');
    await buy(fan, item.id);
    const drafted = await call(t.app, creator, 'PATCH', `/items/${item.id}`, { status: 'draft' });
    assert.equal(drafted.statusCode, 200, drafted.body);
    const asBuyer = await call(t.app, fan, 'GET', `/items/${item.id}`);
    assert.equal(asBuyer.statusCode, 200);
    assert.equal(asBuyer.json<{ item: ItemJson }>().item.body, BODY);
    const page = await send(t.app, fan.jar, { url: `/i/${item.id}` });
    assert.equal(page.statusCode, 301);
    assert.equal(
      (await send(t.app, fan.jar, { url: page.headers.location ?? '' })).statusCode,
      200,
    );
    assert.equal((await anonymous(`/api/v1/items/${item.id}`)).statusCode, 404);
    assert.equal((await anonymous(`/i/${item.id}`)).statusCode, 404);
    const library = await call(t.app, fan, 'GET', '/library');
    assert.ok(
      library
        .json<{ items: { item: { id: string } }[] }>()
        .items.some((e) => e.item.id === item.id),
    );
  });

  test('when the creator leaves: 90 days for buyers, no new sales, nothing for strangers', async () => {
    const creator = await signUpCreator(t.app);
    const fan = await signUpFan(t.app);
    const { item } = await paidEssay(creator, 'Before I go');
    // a file with the text, as a writer sells an ebook beside it
    const key = `test/${randomUUID()}`;
    await t.runtime.storage.put(key, Buffer.from('the book'), { contentType: 'application/zip' });
    const file = await t.runtime.db
      .insertInto('files')
      .values({
        item_id: item.id,
        creator_id: creator.id,
        status: 'ready',
        kind: 'archive',
        original_name: 'book.zip',
        mime: 'application/zip',
        original_key: key,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // and the audiobook, to play
    await t.runtime.db
      .insertInto('files')
      .values({
        item_id: item.id,
        creator_id: creator.id,
        status: 'ready',
        kind: 'audio',
        original_name: 'book.mp3',
        mime: 'audio/mpeg',
        original_key: key,
      })
      .execute();
    const play = (who: Creator) => call(t.app, who, 'GET', `/items/${item.id}/stream`);
    await buy(fan, item.id);
    const download = (who: Creator | undefined) =>
      who
        ? call(t.app, who, 'GET', `/files/${file.id}/download`)
        : anonymous(`/api/v1/files/${file.id}/download`);
    const left = await call(t.app, creator, 'POST', '/me/deactivate', {
      current_password: creator.password,
    });
    assert.equal(left.statusCode, 204, left.body);

    const asBuyer = await call(t.app, fan, 'GET', `/items/${item.id}`);
    assert.equal(asBuyer.statusCode, 200);
    assert.equal(asBuyer.json<{ item: ItemJson }>().item.body, BODY);
    const page = await send(t.app, fan.jar, { url: `/i/${item.id}` });
    const shown = await send(t.app, fan.jar, { url: page.headers.location ?? '' });
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /has left Makenot\.work/);
    assert.ok(shown.body.includes(PAID_PART));

    assert.equal((await download(fan)).statusCode, 200, 'the buyer still downloads');
    const playing = await play(fan);
    assert.equal(playing.statusCode, 200, playing.body);
    assert.equal(playing.json<{ preview: boolean }>().preview, false, 'and plays it in full');
    assert.equal((await anonymous(`/api/v1/items/${item.id}`)).statusCode, 404);
    assert.equal((await download(undefined)).statusCode, 404);
    const newcomer = await signUpFan(t.app);
    const sale = await call(t.app, newcomer, 'POST', '/checkout', { item_id: item.id });
    assert.equal(sale.statusCode, 404, 'no new sales once the creator has left');
    assert.equal(sale.json<Err>().error.code, 'NOT_FOUND');

    // The clock moves: day 89 still, day 91 no more.
    const moveClock = (days: number) =>
      sql`update users set left_at = now() - make_interval(days => ${days})
           where id = ${creator.id}`.execute(t.runtime.db);
    await moveClock(89);
    assert.equal((await call(t.app, fan, 'GET', `/items/${item.id}`)).statusCode, 200);
    assert.equal((await download(fan)).statusCode, 200);
    await moveClock(91);
    assert.equal((await call(t.app, fan, 'GET', `/items/${item.id}`)).statusCode, 404);
    assert.equal((await download(fan)).statusCode, 404, 'the grace period is over');
    assert.equal((await play(fan)).statusCode, 404);
  });
});
