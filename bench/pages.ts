// The `pages` and `api` entries of `npm run bench`: the real `src/server.ts` against two bare
// Fastify baselines measured the same way in the same run.
// - bare hello (bench/bare-server.ts): the cheapest answer Fastify gives; /healthz's baseline.
// - bare page (bench/bare-page-server.ts): bare Fastify + pg reading the bench's item by primary
//   key with a prepared statement, escaping its text and sending as many bytes as the app's item
//   page: the honest ceiling for a Node page; the baseline of every page and the JSON read.
// The catalogue: BENCH_ITEMS published items (100,000 unless set; 1000000 for the million) seeded
// in bulk by bench/seed.ts, then a creator with a project of 24 published, tagged text items
// made through the API; the measured pages are that creator's. Every uncached row runs with
// PAGE_CACHE=off; the cached item page is measured once more with PAGE_CACHE=on to compare.
// Load: 50 connections in all, one generator per port (wrk, else autocannon), BENCH_SECONDS
// (default 10) after a 2 s warm-up. Each goal row's baseline is measured right before it.
import { mkdtemp, rm } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../test/helpers/app.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
} from '../src/modules/catalog/catalog.test-helpers.js';
import {
  LOAD_GENERATOR,
  load,
  startApp,
  startBare,
  startBarePage,
  type Child,
  type LoadResult,
} from './processes.js';
import { seedItems } from './seed.js';
import type { BenchRow } from './table.js';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const APP_SECRET = 'bench-secret-that-is-long-enough-for-hmac-keys';
const TAG = 'writing/essays';

interface Catalogue {
  itemId: string;
  item: string;
  creator: string;
  project: string;
}

/** A creator with a project of 24 published, tagged text items: the pages have real content. */
async function seedCreator(t: TestApp): Promise<Catalogue> {
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator, { title: 'Essays', description: 'Prose.' });
  let item = { id: '', path: '' };
  for (let i = 1; i <= 24; i++) {
    const made = await makeItem(t.app, creator, project.id, {
      title: `Essay number ${i}`,
      description: 'A *short* essay about rivers and the people beside them.',
      body: 'Paragraph. '.repeat(200),
      tags: [TAG, 'nature/rivers'],
      price: { model: 'pwyw', minimum: 0, suggested: 500 },
      ai_disclosure: { tier: 'handmade' },
    });
    await call(t.app, creator, 'POST', `/items/${made.id}/publish`);
    item = { id: made.id, path: new URL(made.url).pathname };
  }
  const projectPath = new URL(project.url).pathname;
  return {
    itemId: item.id,
    item: item.path,
    project: projectPath,
    creator: projectPath.slice(0, projectPath.indexOf('/', 1)),
  };
}

/** The answer is a 200 and anonymous; its size on the wire (printed with its encoding). */
async function check(url: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    get(url, { headers }, resolve).once('error', reject),
  );
  let bytes = 0;
  for await (const chunk of res) bytes += (chunk as Buffer).length;
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode ?? '?'}`);
  if (res.headers['set-cookie']) console.log(`note: ${url} sets a cookie for anonymous users`);
  const encoding = res.headers['content-encoding'] ?? 'identity';
  console.log(`${new URL(url).pathname}: ${bytes} bytes on the wire (${encoding})`);
  return bytes;
}

async function measure(urls: string[], headers: Record<string, string> = {}): Promise<LoadResult> {
  const result = await load(urls, CONNECTIONS, SECONDS, headers);
  if (result.failures > 0) {
    throw new Error(`${urls[0] ?? ''}: ${result.failures} failed of ${result.requests}`);
  }
  const ports = urls.map((u) => new URL(u).port).join('+');
  console.log(
    `  ${new URL(urls[0] ?? '').pathname} on ${ports}: ${result.rps.toFixed(0)} req/s, ` +
      `p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`,
  );
  return result;
}

const both = (a: Child, b: Child, p: string) => [a.url + p, b.url + p];
const twice = (a: Child, p: string) => [a.url + p, a.url + p];

function row(name: string, r: LoadResult, baseline?: LoadResult): BenchRow {
  return {
    row: name,
    value: r.rps,
    unit: 'req/s',
    baseline: baseline?.rps,
    p50: r.p50,
    p99: r.p99,
  };
}

export async function benchPages(which: { pages: boolean; api: boolean }): Promise<BenchRow[]> {
  const t = await createTestApp();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'makenot-bench-pages-'));
  const running: Child[] = [];
  const rows: BenchRow[] = [];
  const start = async (child: Promise<Child>) => {
    const started = await child;
    running.push(started);
    return started;
  };
  try {
    console.log(`\npages: seeding ${ITEMS.toLocaleString('en')} items`);
    await seedItems(t.runtime.db, { items: ITEMS, log: (s) => console.log(s) });
    const at = await seedCreator(t);
    await sql`analyze`.execute(t.runtime.db);
    const databaseUrl = t.runtime.config.databaseUrl ?? '';
    const env = {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      APP_SECRET,
      PUBLIC_URL: 'http://localhost:3000',
      PAGE_CACHE: 'off',
    };
    const appA = await start(startApp(env));
    const pages = [
      { name: 'creator page', path: at.creator },
      { name: 'project page', path: at.project },
      { name: 'tag page', path: `/tags/${TAG}` },
      { name: 'discover page', path: '/discover' },
    ];
    const itemBytes = await check(appA.url + at.item);
    for (const p of pages) await check(appA.url + p.path);
    await check(`${appA.url}/api/v1/items/${at.itemId}`);
    await check(`${appA.url}/healthz`);

    // the baselines, one process then two
    // The baselines stay up; each goal row measures its baseline right before itself, so a
    // machine whose load moves (others' work) moves both alike.
    const helloA = await start(startBare());
    const helloB = await start(startBare());
    const barePath = `/page/${at.itemId}`;
    const bareA = await start(startBarePage(databaseUrl, barePath, itemBytes));
    const bareB = await start(startBarePage(databaseUrl, barePath, itemBytes));
    await check(bareA.url + barePath);
    const hello1 = () => measure(twice(helloA, '/'));
    const hello2 = () => measure(both(helloA, helloB, '/'));
    const page1 = () => measure(twice(bareA, barePath));
    const page2 = () => measure(both(bareA, bareB, barePath));
    const healthGoal = (r: LoadResult, bare: LoadResult) => ({
      goal: '≥ 0.60x bare hello',
      met: r.rps / bare.rps >= 0.6,
    });
    {
      const [h1, h2] = [await hello1(), await hello2()];
      const [p1, p2] = [await page1(), await page2()];
      rows.push(
        row('bare Fastify hello, 1 process', h1),
        row('bare Fastify hello, 2 processes', h2),
        row('bare Fastify + pg page, 1 process (vs hello)', p1, h1),
        row('bare Fastify + pg page, 2 processes (vs hello)', p2, h2),
      );
    }

    // the app, PAGE_CACHE=off: one process, then two
    if (which.pages) {
      const p1 = await page1();
      const item1 = await measure(twice(appA, at.item));
      const h1 = await hello1();
      const health1 = await measure(twice(appA, '/healthz'));
      rows.push(row('item page, 1 process', item1, p1), {
        ...row('/healthz, 1 process (vs hello)', health1, h1),
        ...healthGoal(health1, h1),
      });
    }
    const appB = await start(startApp(env));
    let p2 = await page2();
    if (which.pages) {
      const item2 = await measure(both(appA, appB, at.item));
      rows.push({
        ...row('item page, 2 processes', item2, p2),
        goal: '≥ 0.50x, p99 ≤ 50 ms',
        met: item2.rps / p2.rps >= 0.5 && item2.p99 <= 50,
      });
      for (const p of pages) {
        const r = await measure(both(appA, appB, p.path));
        // cost per page is 1 / rate: this page costs item2.rps / r.rps item pages
        const cost = item2.rps / r.rps;
        const goal = p.name !== 'project page';
        rows.push({
          ...row(`${p.name}, 2 processes`, r, p2),
          also: `${cost.toFixed(2)}x item page cost`,
          ...(goal && { goal: '≤ 2x item page cost', met: cost <= 2 }),
        });
      }
      const h2 = await hello2();
      const health2 = await measure(both(appA, appB, '/healthz'));
      rows.push({
        ...row('/healthz, 2 processes (vs hello)', health2, h2),
        ...healthGoal(health2, h2),
      });
      p2 = await page2();
    }
    if (which.api) {
      const api2 = await measure(both(appA, appB, `/api/v1/items/${at.itemId}`));
      rows.push(row('API GET /items/:id, 2 processes', api2, p2));
    }
    await Promise.all([appA.stop(), appB.stop()]);

    if (which.pages) {
      // for comparison: the same item page from the one-second page cache
      const cached = { ...env, PAGE_CACHE: 'on' };
      const [cachedA, cachedB] = [await start(startApp(cached)), await start(startApp(cached))];
      const bare = await page2();
      const hit = await measure(both(cachedA, cachedB, at.item));
      rows.push(row('item page, PAGE_CACHE=on, 2 processes', hit, bare));
    }
    console.log(
      `pages: ${ITEMS.toLocaleString('en')} seeded items + 24 of the measured creator; ` +
        `load: ${LOAD_GENERATOR}, ${CONNECTIONS} connections, ${SECONDS} s per row`,
    );
    return rows;
  } finally {
    await Promise.all(running.map((c) => c.stop()));
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
