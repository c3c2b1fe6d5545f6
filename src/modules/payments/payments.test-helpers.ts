// Test helpers for payments: a published item for sale, paying on the local checkout page, and
// waiting for the worker by polling a database condition (no fixed sleeps).
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { send, type Jar } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  type Creator,
  type ItemBody,
} from '../catalog/catalog.test-helpers.js';

export interface OrderBody {
  id: string;
  item_id: string;
  status: string;
  amount: number;
  currency: string;
}

export interface CheckoutBody {
  order: OrderBody;
  checkout_url: string | null;
}

export async function publishedItem(
  app: FastifyInstance,
  creator: Creator,
  price: Record<string, unknown>,
): Promise<ItemBody> {
  const project = await makeProject(app, creator, { title: `Shop ${Math.random()}` });
  const item = await makeItem(app, creator, project.id, {
    body: 'Words worth paying for.',
    ai_disclosure: { tier: 'handmade' },
    price,
  });
  const res = await call(app, creator, 'POST', `/items/${item.id}/publish`);
  if (res.statusCode !== 200) throw new Error(`publish failed: ${res.statusCode} ${res.body}`);
  return item;
}

/** Submits the local checkout page's form as the browser in `jar` would. */
export async function payOnLocalPage(
  app: FastifyInstance,
  jar: Jar,
  checkoutUrl: string,
  outcome: 'succeeded' | 'declined',
  csrf = '',
) {
  return send(app, jar, {
    url: new URL(checkoutUrl).pathname,
    form: { outcome, _csrf: csrf },
  });
}

export { until } from '../../../test/helpers/until.js';
import { until } from '../../../test/helpers/until.js';

export async function orderStatus(db: Db, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('orders')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.status;
}

/** Waits for the order to leave pending, then for the payment jobs to drain. */
export async function settledStatus(db: Db, id: string): Promise<string> {
  const status = await until(async () => {
    const s = await orderStatus(db, id);
    return s === 'pending' ? undefined : s;
  }, `order ${id} to settle`);
  await paymentJobsDrained(db);
  return status;
}

export async function paymentJobsDrained(db: Db): Promise<void> {
  await until(async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from graphile_worker.jobs
      where task_identifier like 'payments:%'`.execute(db);
    return rows[0]?.n === 0 ? true : undefined;
  }, 'the payment jobs to finish');
}
