// Sales counts kept without a hot row (migration 0020): a paid order inserts a delta, the
// minute job folds them into items.sales_count, and ranking counts folded and pending alike.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeProject, signUpCreator } from '../catalog/catalog.test-helpers.js';
import { publishedText } from '../catalog/public.test-helpers.js';
import { appTasks } from '../../tasks.js';
import { foldItemSales, foldSalesJob } from './sales-counts.jobs.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

async function counts(itemId: string) {
  const folded = await t.runtime.db
    .selectFrom('items')
    .select(sql<number>`sales_count`.as('n'))
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow();
  const pending = await sql<{ n: number }>`
    select coalesce(sum(delta), 0)::int as n from item_sales_pending where item_id = ${itemId}
  `.execute(t.runtime.db);
  return { folded: folded.n, pending: pending.rows[0]?.n ?? 0 };
}

test('paid orders count once each, folded or not; refunds take them back', async () => {
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator);
  const item = await publishedText(t, creator, project.id, { title: 'Counted' });
  for (let i = 0; i < 3; i++) {
    await sql`insert into orders (item_id, creator_id, buyer_email, status, amount, currency,
                                  processor, paid_at)
              select id, creator_id, 'fan@example.com', 'paid', 500, 'USD', 'none', now()
                from items where id = ${item.id}`.execute(t.runtime.db);
  }
  // a pending order is not a sale
  await sql`insert into orders (item_id, creator_id, buyer_email, status, amount, currency,
                                processor)
            select id, creator_id, 'fan@example.com', 'pending', 500, 'USD', 'none'
              from items where id = ${item.id}`.execute(t.runtime.db);
  assert.deepEqual(await counts(item.id), { folded: 0, pending: 3 });

  assert.ok((await foldItemSales(t.runtime.db)) >= 1);
  assert.deepEqual(await counts(item.id), { folded: 3, pending: 0 });
  assert.equal(await foldItemSales(t.runtime.db), 0, 'nothing left to fold');

  const [refunded] = (
    await sql<{ id: string }>`update orders set status = 'refunded', refunded_amount = amount
      where id = (select id from orders where item_id = ${item.id} and status = 'paid' limit 1)
      returning id`.execute(t.runtime.db)
  ).rows;
  assert.ok(refunded);
  assert.deepEqual(await counts(item.id), { folded: 3, pending: -1 });
  // two folds at once: each delta is counted by exactly one of them
  await Promise.all([foldItemSales(t.runtime.db), foldItemSales(t.runtime.db)]);
  assert.deepEqual(await counts(item.id), { folded: 2, pending: 0 });
});

test('the worker folds sales every minute', () => {
  const { tasks, crontab } = appTasks(t.runtime);
  assert.ok(tasks.some((task) => task.name === foldSalesJob.name));
  assert.match(crontab, new RegExp(`^\\* \\* \\* \\* \\* ${foldSalesJob.name} `, 'm'));
});
