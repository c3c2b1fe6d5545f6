// Row (e) of `npm run bench`: webhook events processed per second end to end, in two shapes: all
// sales of one item (a launch: every event touches the same item and creator rows), and sales
// spread over 50 items of 50 creators. Each: BENCH_WEBHOOK_EVENTS (default 1000) real pending
// orders (one per guest buyer, as checkout leaves them), and for each
// the `checkout.session.completed` event Stripe would send (built by the fake of Stripe's API,
// which then also answers the fee lookup), signed as Stripe signs. The real `src/server.ts`
// (WORKER=off) receives them over HTTP from 50 concurrent senders in this process and a real
// `src/worker.ts` applies them; the clock stops when every order is paid in the database (the
// ledger sale is posted in the same transaction). Baseline: the same POSTs, same bodies and
// concurrency, to the bare Fastify process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestApp } from '../test/helpers/app.js';
import { startFakeStripe } from '../test/fakes/stripe-fake-server.js';
import { startWorkerProcess } from '../test/helpers/server-process.js';
import { signUpCreator } from '../src/modules/catalog/catalog.test-helpers.js';
import { publishedItem } from '../src/modules/payments/payments.test-helpers.js';
import { signPayload } from '../src/modules/payments/stripe/stripe-signature.js';
import { startApp, startBare, type Child } from './processes.js';
import type { BenchRow } from './table.js';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 1000);
const SPREAD = 50;
const SENDERS = 50;
const WEBHOOK_SECRET = 'whsec_makenot_bench';
const APP_SECRET = 'bench-secret-that-is-long-enough-for-hmac-keys';
const AMOUNT = 1200;

/** POSTs every payload (signed now) with SENDERS at once; the seconds it took. */
async function post(url: string, payloads: readonly string[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let i = next++; i < payloads.length; i = next++) {
        const payload = payloads[i] ?? '';
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'stripe-signature': signPayload(payload, WEBHOOK_SECRET, Math.floor(Date.now() / 1000)),
          },
          body: payload,
        });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${text}`);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

interface Scenario {
  name: string;
  payloads: string[];
  orderIds: string[];
}

export async function benchWebhooks(): Promise<BenchRow[]> {
  const fake = await startFakeStripe();
  const stripeEnv = {
    PAYMENTS: 'stripe',
    STRIPE_SECRET_KEY: fake.secretKey,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: fake.url,
  };
  const t = await createTestApp({ env: stripeEnv });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'makenot-bench-webhooks-'));
  const databaseUrl = t.runtime.config.databaseUrl ?? '';
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const running: Child[] = [];
  let worker: ReturnType<typeof startWorkerProcess> | undefined;
  let session = 0;

  /** EVENTS pending orders spread round-robin over the items, and the event paying each. */
  async function scenario(name: string, items: { id: string; creator: string }[]) {
    const from = session + 1;
    session += EVENTS;
    const orders = await client.query<{ id: string; n: number }>(
      `insert into orders (kind, item_id, creator_id, buyer_email, amount, currency, processor,
                           processor_session_id)
       select 'item', ($1::uuid[])[1 + n % array_length($1::uuid[], 1)],
              ($2::uuid[])[1 + n % array_length($2::uuid[], 1)],
              'buyer' || n || '@example.com', $3, 'USD', 'stripe', 'cs_bench_' || n
       from generate_series($4::int, $5::int) n
       returning id, substr(processor_session_id, 10)::int as n`,
      [items.map((i) => i.id), items.map((i) => i.creator), AMOUNT, from, session],
    );
    const payloads = orders.rows.map((order) => {
      const id = `cs_bench_${order.n}`;
      fake.sessions.push({
        object: {
          id,
          object: 'checkout.session',
          status: 'open',
          mode: 'payment',
          amount_total: AMOUNT,
          currency: 'usd',
          customer_email: `buyer${order.n}@example.com`,
          metadata: { order_id: order.id },
        },
        params: { payment_intent_data: { metadata: { order_id: order.id } } },
        idempotencyKey: `checkout:${order.id}`,
      });
      return JSON.stringify(fake.completeCheckout(id));
    });
    return { name, payloads, orderIds: orders.rows.map((o) => o.id) } satisfies Scenario;
  }

  try {
    const seller = async () => {
      const creator = await signUpCreator(t.app);
      const item = await publishedItem(t.app, creator, { model: 'fixed', amount: AMOUNT });
      return { id: item.id, creator: creator.id };
    };
    const scenarios = [await scenario('webhooks, one item', [await seller()])];
    const many: { id: string; creator: string }[] = [];
    for (let i = 0; i < SPREAD; i++) many.push(await seller());
    scenarios.push(await scenario(`webhooks, ${SPREAD} items`, many));

    const bare = await startBare();
    running.push(bare);
    const bareSeconds = await post(`${bare.url}/webhook`, scenarios[0]?.payloads ?? []);
    await bare.stop();

    const env = {
      ...stripeEnv,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      APP_SECRET,
      PUBLIC_URL: 'http://localhost:3000',
    };
    const app = await startApp(env);
    running.push(app);
    worker = startWorkerProcess({
      ...env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      // e.g. BENCH_WORKER_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the worker
      ...(process.env.BENCH_WORKER_NODE_OPTIONS && {
        NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS,
      }),
    });
    await worker.ready;

    const rows: BenchRow[] = [];
    for (const { name, payloads, orderIds } of scenarios) {
      const paid = async () =>
        Number(
          (
            await client.query<{ n: string }>(
              `select count(*) as n from orders where status = 'paid' and id = any($1::uuid[])`,
              [orderIds],
            )
          ).rows[0]?.n ?? 0,
        );
      const started = performance.now();
      const acceptedSeconds = await post(`${app.url}/webhooks/payments/stripe`, payloads);
      for (;;) {
        if ((await paid()) >= EVENTS) break;
        if (performance.now() - started > 600_000) throw new Error('events not applied in 10 min');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const seconds = (performance.now() - started) / 1000;
      const ledger = await client.query<{ n: string }>(
        `select count(*) as n from ledger_transactions where order_id = any($1::uuid[])`,
        [orderIds],
      );
      console.log(
        `${name}: ${EVENTS} events acknowledged in ${acceptedSeconds.toFixed(2)} s ` +
          `(${(EVENTS / acceptedSeconds).toFixed(0)}/s), all applied after ${seconds.toFixed(2)} s; ` +
          `${ledger.rows[0]?.n ?? 0} ledger sales; bare route ${bareSeconds.toFixed(2)} s`,
      );
      const rate = EVENTS / seconds;
      rows.push(
        {
          row: `${name}: applied`,
          value: rate,
          unit: 'ev/s',
          baseline: EVENTS / bareSeconds,
          goal: '≥ 500 ev/s',
          met: rate >= 500,
        },
        {
          row: `${name}: acknowledged`,
          value: EVENTS / acceptedSeconds,
          unit: 'ev/s',
          baseline: EVENTS / bareSeconds,
        },
      );
    }
    return rows;
  } finally {
    if (worker) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
    await Promise.all(running.map((c) => c.stop()));
    await client.end();
    await t.close();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
