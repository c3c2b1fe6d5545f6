// The earnings page and GET /me/earnings: a sale paid through the local processor shows its
// gross, fee and net, lands in today's bucket with zeros around it, compares with the period
// before, and the page draws it as accessible SVG with amounts in the currency's own form.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { send } from '../../../test/helpers/http.js';
import { call, signUpCreator, signUpFan } from '../catalog/catalog.test-helpers.js';
import type { EarningsJson } from './earnings.schemas.js';
import { changeLabel } from './earnings.service.js';
import { buyAndPay, DAY_MS, pastSale, utcDate } from './earnings.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ runJobs: true });
});
after(() => t.close());

async function earningsOf(creator: Awaited<ReturnType<typeof signUpCreator>>, period: string) {
  const res = await call(t.app, creator, 'GET', `/me/earnings?period=${period}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json<EarningsJson>();
}

test('a paid sale shows gross, fee and net, in today’s bucket, and on the page', async () => {
  const creator = await signUpCreator(t.app);
  const fan = await signUpFan(t.app);
  const { orderId } = await buyAndPay(t.app, t.runtime.db, creator, fan, 1500);
  const order = await t.runtime.db
    .selectFrom('orders')
    .select('paid_at')
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  assert.ok(order.paid_at);
  const paidDay = utcDate(order.paid_at);

  const week = await earningsOf(creator, '7d');
  assert.equal(week.currencies.length, 1);
  const usd = week.currencies[0];
  assert.ok(usd);
  // the local processor keeps 2.9% + 30: 74 of 1500
  assert.deepEqual(
    [usd.currency, usd.gross, usd.fees, usd.refunds, usd.disputes, usd.net],
    ['USD', 1500, 74, 0, 0, 1426],
  );
  assert.deepEqual([usd.pending, usd.available, usd.in_transit, usd.paid_out], [1426, 0, 0, 0]);
  assert.equal(usd.series.length, 7);
  for (const bucket of usd.series) {
    const expected = bucket.start === paidDay ? [1, 1500] : [0, 0];
    assert.deepEqual([bucket.sales, bucket.revenue], expected, bucket.start);
  }
  assert.equal(usd.series.filter((b) => b.sales > 0).length, 1, 'the sale is in one bucket');
  assert.deepEqual([usd.previous.sales, usd.previous.revenue], [0, 0]);

  const month = await earningsOf(creator, '30d');
  assert.equal(month.currencies[0]?.series.length, 30);
  const year = await earningsOf(creator, '12m');
  const months = year.currencies[0]?.series ?? [];
  assert.equal(months.length, 12);
  assert.deepEqual(months.at(-1), { start: `${paidDay.slice(0, 7)}-01`, sales: 1, revenue: 1500 });

  const bad = await call(t.app, creator, 'GET', '/me/earnings?period=2y');
  assert.equal(bad.statusCode, 422);

  const page = await send(t.app, creator.jar, { url: '/dashboard/earnings?period=7d' });
  assert.equal(page.statusCode, 200);
  const html = page.body;
  for (const amount of ['$15.00', '$14.26', '-$0.74'])
    assert.ok(html.includes(amount), `the page shows ${amount}`);
  assert.match(
    html,
    /<svg class="chart__svg"[^>]*role="img"[^>]*aria-labelledby="([^" ]+) ([^"]+)"/,
  );
  assert.match(html, /<title id="earnings-usd-revenue-title">Revenue in USD, last 7 days<\/title>/);
  assert.match(
    html,
    /<desc id="earnings-usd-revenue-desc">\$15\.00 from 1 sale; \$0\.00 in the 7 days before: no sales before\.<\/desc>/,
  );
  assert.match(html, /<div class="visually-hidden"><table><caption>Revenue in USD, last 7 days/);
  assert.match(html, /aria-current="page"[^>]*>Last 7 days</);
  assert.ok(html.includes('href="/dashboard/payouts/account"'));
});

test('the period before is drawn alongside and compared', async () => {
  const creator = await signUpCreator(t.app);
  const now = Date.now();
  const db = t.runtime.db;
  await pastSale(db, {
    creatorId: creator.id,
    gross: 1000,
    fee: 59,
    currency: 'USD',
    occurredAt: new Date(now - 10 * DAY_MS),
  });
  await pastSale(db, {
    creatorId: creator.id,
    gross: 1500,
    fee: 74,
    currency: 'USD',
    occurredAt: new Date(now),
  });
  const week = await earningsOf(creator, '7d');
  const usd = week.currencies[0];
  assert.ok(usd);
  assert.deepEqual([usd.gross, usd.fees, usd.net], [1500, 74, 1426], 'totals are the period’s');
  assert.deepEqual([usd.previous.sales, usd.previous.revenue], [1, 1000]);
  assert.equal(usd.previous.series.length, 7);
  const tenDaysAgo = utcDate(new Date(now - 10 * DAY_MS));
  assert.equal(usd.previous.series.find((b) => b.start === tenDaysAgo)?.revenue, 1000);
  // both sales are pending, whatever the period
  assert.equal(usd.pending, 941 + 1426);

  const page = await send(t.app, creator.jar, { url: '/dashboard/earnings?period=7d' });
  assert.ok(page.body.includes('+50% vs previous period'));
  assert.match(page.body, /<polyline class="chart__previous" points="/);
  const month = await send(t.app, creator.jar, { url: '/dashboard/earnings?period=30d' });
  assert.ok(month.body.includes('no sales before'), 'both sales fall in the last 30 days');
});

test('amounts take the currency’s minor units: yen have none', async () => {
  const creator = await signUpCreator(t.app);
  await pastSale(t.runtime.db, {
    creatorId: creator.id,
    gross: 1500,
    fee: 74,
    currency: 'JPY',
    occurredAt: new Date(),
  });
  const page = await send(t.app, creator.jar, { url: '/dashboard/earnings' });
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes('¥1,500'));
  assert.ok(page.body.includes('¥1,426'));
  assert.ok(page.body.includes('Japanese Yen (JPY)'));
});

test('vs previous period: up, down, and nothing to compare with', () => {
  assert.equal(changeLabel(1120, 1000), '+12%');
  assert.equal(changeLabel(950, 1000), '−5%');
  assert.equal(changeLabel(1000, 1000), '±0%');
  assert.equal(changeLabel(1500, 0), 'no sales before');
  assert.equal(changeLabel(0, 0), 'no sales in either period');
});

test('only creators have an earnings page; a fan’s is empty JSON', async () => {
  const fan = await signUpFan(t.app);
  const page = await send(t.app, fan.jar, { url: '/dashboard/earnings' });
  assert.equal(page.statusCode, 404);
  const json = await call(t.app, fan, 'GET', '/me/earnings');
  assert.deepEqual(json.json(), { period: '30d', currencies: [] });
  const empty = await signUpCreator(t.app);
  const none = await send(t.app, empty.jar, { url: '/dashboard/earnings' });
  assert.equal(none.statusCode, 200);
  assert.ok(none.body.includes('No sales yet'));
  assert.ok(none.body.includes('No payouts yet'));
});

test('the payout history shows each payout’s amount, status, reason and dates', async () => {
  const creator = await signUpCreator(t.app);
  await t.runtime.db
    .insertInto('payouts')
    .values({
      creator_id: creator.id,
      currency: 'USD',
      destination: 'acct_local_refused',
      amount: 1800,
      status: 'failed',
      idempotency_key: `payout:test:${creator.id}`,
      failure_reason: 'The payout account was closed.',
      created_at: new Date('2026-11-20T10:00:00Z'),
      settled_at: new Date('2026-11-21T10:00:00Z'),
    })
    .execute();
  const page = await send(t.app, creator.jar, { url: '/dashboard/earnings' });
  const row = /<tbody>([\s\S]*?)<\/tbody>/.exec(page.body.split('id="payouts-title"')[1] ?? '');
  assert.ok(row?.[1], 'a payout row');
  for (const text of [
    '20 November 2026',
    '$18.00',
    'Failed',
    'The payout account was closed.',
    '21 November 2026',
  ])
    assert.ok(row[1].includes(text), text);
});
