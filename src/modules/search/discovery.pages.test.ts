// /discover's "Most sold" and "Trending" (counted from paid item orders) and the tag pages'
// type and price filters, with items made and bought through the real API and checkout.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, send } from '../../../test/helpers/http.js';
import {
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
} from '../catalog/catalog.test-helpers.js';
import { FEED_PAGE_SIZE } from '../catalog/public/pages.service.js';
import { HOSTILE, publishedText, visit } from '../catalog/public.test-helpers.js';
import {
  payOnLocalPage,
  settledStatus,
  type CheckoutBody,
} from '../payments/payments.test-helpers.js';

let t: TestApp;
let creator: Creator;
let fan: Creator;

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  fan = await signUpFan(t.app);
});
after(() => t.close());

async function buy(itemId: string): Promise<string> {
  const started = await send(t.app, fan.jar, {
    url: '/api/v1/checkout',
    json: { item_id: itemId },
    headers: { 'x-csrf-token': await csrfFor(t.app, fan.jar) },
  });
  assert.equal(started.statusCode, 201, started.body);
  const { order, checkout_url } = started.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', await csrfFor(t.app, fan.jar));
  assert.equal(await settledStatus(t.runtime.db, order.id), 'paid');
  return order.id;
}

/** The titles of the item cards, in page order. */
function cardTitles(html: string): string[] {
  const main = html.includes('<main') ? html.slice(html.indexOf('<main')) : html; // or a fragment
  return [...main.matchAll(/class="item-card__title"[^>]*>\s*<a [^>]*>([^<]*)</g)].map(
    (m) => m[1] ?? '',
  );
}

describe('discover: most sold and trending', () => {
  test('orders items by paid sales; trending counts only the last 7 days', async () => {
    const project = await makeProject(t.app, creator, { title: 'Best Sellers' });
    const price = { model: 'fixed', amount: 500 };
    const old = await publishedText(t, creator, project.id, { title: 'Old Favourite', price });
    const fresh = await publishedText(t, creator, project.id, { title: 'Fresh Hit', price });
    await publishedText(t, creator, project.id, { title: 'Never Sold', price });
    // Old Favourite sold three times, long ago; Fresh Hit twice, this week.
    const oldOrders = [await buy(old.id), await buy(old.id), await buy(old.id)];
    await buy(fresh.id);
    await buy(fresh.id);
    await t.runtime.db
      .updateTable('orders')
      .set({ paid_at: new Date(Date.now() - 30 * 86_400_000) })
      .where('id', 'in', oldOrders)
      .execute();

    const mostSold = await visit(t, '/discover?sort=most-sold');
    assert.equal(mostSold.statusCode, 200);
    assert.deepEqual(cardTitles(mostSold.body), ['Old Favourite', 'Fresh Hit']);
    assert.match(mostSold.body, /<h1 class="page-header__title">Most sold<\/h1>/);
    assert.match(mostSold.body, /href="\/discover\?sort=most-sold" aria-current="page"/);

    const trending = await visit(t, '/discover?sort=trending');
    assert.equal(trending.statusCode, 200);
    assert.deepEqual(cardTitles(trending.body), ['Fresh Hit']);

    // The type tabs keep the order; an item of another type is not there.
    assert.match(trending.body, /href="\/discover\?sort=trending&(amp;)?type=audio"/);
    const audio = await visit(t, '/discover?sort=most-sold&type=audio');
    assert.deepEqual(cardTitles(audio.body), []);

    // The newest list links to both orders.
    const newest = await visit(t, '/discover');
    assert.match(newest.body, /href="\/discover\?sort=most-sold"/);
    assert.match(newest.body, /href="\/discover\?sort=trending"/);
  });

  test('best sellers narrow by tag and go on page by page', async () => {
    const seller = await signUpCreator(t.app);
    const project = await makeProject(t.app, seller, { title: 'Catalogue' });
    const price = { model: 'fixed', amount: 200 };
    const ids: string[] = [];
    for (let i = 1; i <= FEED_PAGE_SIZE + 1; i++) {
      const tags = [i === 1 ? 'stock/tape/cassette' : 'stock/vinyl'];
      ids.push(
        (await publishedText(t, seller, project.id, { title: `Stock ${i}`, tags, price })).id,
      );
    }
    // Sales straight into orders: the ranking, not checkout, is under test here.
    await sql`insert into orders (item_id, creator_id, buyer_email, status, amount, currency,
                                  processor, paid_at)
              select i.id, i.creator_id, 'fan@example.com', 'paid', 200, 'USD', 'none', now()
                from items i, generate_series(1, 100 - substr(i.title, 7)::int)
               where i.id = any(${ids}::uuid[])`.execute(t.runtime.db);

    const first = await visit(t, '/discover?sort=most-sold&tag=stock');
    assert.equal(first.statusCode, 200);
    const titles = cardTitles(first.body);
    assert.equal(titles.length, FEED_PAGE_SIZE);
    assert.deepEqual(titles.slice(0, 3), ['Stock 1', 'Stock 2', 'Stock 3']);
    assert.match(first.body, /<h1 class="page-header__title">Most sold<\/h1>/);
    // The tag stays on while switching orders; it can be cleared.
    assert.match(first.body, /href="\/discover\?sort=trending&(amp;)?tag=stock"/);
    const more = /href="(\/discover\?sort=most-sold&(?:amp;)?tag=stock&(?:amp;)?page=2)"/.exec(
      first.body,
    );
    assert.ok(more?.[1], 'a More link to page 2');
    const second = await t.app.inject({
      method: 'GET',
      url: more[1].replaceAll('&amp;', '&'),
      headers: { 'hx-request': 'true' },
    });
    assert.equal(second.statusCode, 200);
    assert.deepEqual(cardTitles(second.body), [`Stock ${FEED_PAGE_SIZE + 1}`]);
    assert.doesNotMatch(second.body, /<html/, 'htmx gets only the next cards');
    assert.doesNotMatch(second.body, /page=3/);

    const subtree = await visit(t, '/discover?sort=most-sold&tag=stock/tape');
    assert.deepEqual(cardTitles(subtree.body), ['Stock 1']);
  });

  test('an unknown order, or a cursor with an order, is a 400 page', async () => {
    for (const url of [
      '/discover?sort=cheapest',
      `/discover?sort=${encodeURIComponent(HOSTILE)}`,
      '/discover?sort=trending&cursor=abc',
      '/discover?sort=most-sold&page=0',
      '/discover?sort=most-sold&page=21',
      '/discover?page=2',
    ]) {
      const res = await visit(t, url);
      assert.equal(res.statusCode, 400, url);
      assert.doesNotMatch(res.body, /<script>alert/);
    }
  });
});

describe('tag pages: type and price filters', () => {
  test('list the tag subtree, narrowed by type and price like search', async () => {
    const other = await signUpCreator(t.app);
    const project = await makeProject(t.app, other, { title: 'Field Notes' });
    await publishedText(t, other, project.id, {
      title: 'Free Rain',
      tags: ['weather/rain'],
    });
    await publishedText(t, other, project.id, {
      title: 'Paid Storm',
      tags: ['weather/storm/thunder'],
      price: { model: 'fixed', amount: 300 },
    });

    const all = await visit(t, '/tags/weather');
    assert.equal(all.statusCode, 200);
    assert.deepEqual(cardTitles(all.body).sort(), ['Free Rain', 'Paid Storm']);
    assert.match(all.body, /<select class="field__input" id="filter-price" name="price">/);

    const free = await visit(t, '/tags/weather?price=free');
    assert.deepEqual(cardTitles(free.body), ['Free Rain']);
    assert.match(free.body, /<option value="free" selected>Free<\/option>/);
    assert.match(free.body, /<meta name="robots" content="noindex"/);

    const paid = await visit(t, '/tags/weather?price=paid&type=text');
    assert.deepEqual(cardTitles(paid.body), ['Paid Storm']);

    // The form sends "" for "Any": no filter.
    const any = await visit(t, '/tags/weather?price=&type=');
    assert.deepEqual(cardTitles(any.body).sort(), ['Free Rain', 'Paid Storm']);

    const none = await visit(t, '/tags/weather?type=audio');
    assert.equal(none.statusCode, 200);
    assert.deepEqual(cardTitles(none.body), []);

    for (const url of ['/tags/weather?price=cheap', '/tags/weather?type=%3Cscript%3E']) {
      const res = await visit(t, url);
      assert.equal(res.statusCode, 400, url);
      assert.doesNotMatch(res.body, /<script>/);
    }
  });
});
