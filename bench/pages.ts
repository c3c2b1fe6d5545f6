// Rows (a) and (b) of `npm run bench`: the published item page, the home page and a JSON API
// read (GET /api/v1/items/:id, anonymous) served by the real `src/server.ts`, one process and
// two (two ports, the load generator spreading its connections), against a bare Fastify
// hello-world process measured the same way in the same run. The item page is measured twice:
// without Accept-Encoding (the bytes of the page itself) and as browsers ask for it (br, gzip). Load: autocannon in its own
// processes, 50 connections in all, BENCH_SECONDS (default 10) after a 2 s warm-up.
import { mkdtemp, rm } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, type TestApp } from '../test/helpers/app.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
} from '../src/modules/catalog/catalog.test-helpers.js';
import { load, startApp, startBare, type Child, type LoadResult } from './processes.js';
import type { BenchRow } from './table.js';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const APP_SECRET = 'bench-secret-that-is-long-enough-for-hmac-keys';

/** A creator with a project of 24 published, tagged text items: the pages have real content. */
async function seedCatalogue(t: TestApp) {
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator, { title: 'Essays', description: 'Prose.' });
  let item = { id: '', path: '' };
  for (let i = 1; i <= 24; i++) {
    const made = await makeItem(t.app, creator, project.id, {
      title: `Essay number ${i}`,
      description: 'A *short* essay about rivers and the people beside them.',
      body: 'Paragraph. '.repeat(200),
      tags: ['writing/essays', 'nature/rivers'],
      price: { model: 'pwyw', minimum: 0, suggested: 500 },
      ai_disclosure: { tier: 'handmade' },
    });
    await call(t.app, creator, 'POST', `/items/${made.id}/publish`);
    item = { id: made.id, path: new URL(made.url).pathname };
  }
  return item;
}

/** What a browser sends: the page comes compressed, as the page cache keeps it. */
const BROWSER = { 'accept-encoding': 'br, gzip' };

/** The answer is a 200 and anonymous; prints its encoding and its size on the wire. */
async function check(url: string, headers: Record<string, string> = {}) {
  const res = await new Promise<IncomingMessage>((resolve, reject) =>
    get(url, { headers }, resolve).once('error', reject),
  );
  let bytes = 0;
  for await (const chunk of res) bytes += (chunk as Buffer).length;
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode ?? '?'}`);
  if (res.headers['set-cookie']) console.log(`note: ${url} sets a cookie for anonymous users`);
  const encoding = res.headers['content-encoding'] ?? 'identity';
  console.log(`${new URL(url).pathname}: ${bytes} bytes on the wire (${encoding})`);
}

async function measure(urls: string[], headers: Record<string, string> = {}): Promise<LoadResult> {
  const result = await load(urls, CONNECTIONS, SECONDS, headers);
  if (result.failures > 0) {
    throw new Error(`${urls[0] ?? ''}: ${result.failures} failed of ${result.requests}`);
  }
  return result;
}

export async function benchPages(which: { pages: boolean; api: boolean }): Promise<BenchRow[]> {
  const t = await createTestApp();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'makenot-bench-pages-'));
  const running: Child[] = [];
  const rows: BenchRow[] = [];
  try {
    const item = await seedCatalogue(t);
    const targets = [
      ...(which.pages
        ? [
            { name: 'item page', path: item.path, goal: true },
            { name: 'item page, br', path: item.path, goal: true, headers: BROWSER },
            { name: 'home page', path: '/', goal: false },
          ]
        : []),
      ...(which.api
        ? [{ name: 'API GET /items/:id', path: `/api/v1/items/${item.id}`, goal: false }]
        : []),
    ];
    // the baseline, one process then two
    const bareA = await startBare();
    running.push(bareA);
    const bare1 = await measure([`${bareA.url}/`, `${bareA.url}/`]);
    const bareB = await startBare();
    running.push(bareB);
    const bare2 = await measure([`${bareA.url}/`, `${bareB.url}/`]);
    await Promise.all(running.splice(0).map((c) => c.stop()));
    console.log(
      `bare Fastify: 1 process ${bare1.rps.toFixed(0)} req/s p99 ${bare1.p99} ms; ` +
        `2 processes ${bare2.rps.toFixed(0)} req/s p99 ${bare2.p99} ms`,
    );

    const env = {
      DATABASE_URL: t.runtime.config.databaseUrl ?? '',
      DATA_DIR: dataDir,
      APP_SECRET,
      PUBLIC_URL: 'http://localhost:3000',
    };
    const appA = await startApp(env);
    running.push(appA);
    for (const target of targets) await check(appA.url + target.path, target.headers);
    const one = new Map<string, LoadResult>();
    for (const target of targets) {
      const urls = [appA.url + target.path, appA.url + target.path];
      one.set(target.name, await measure(urls, target.headers));
    }
    const appB = await startApp(env);
    running.push(appB);
    const two = new Map<string, LoadResult>();
    for (const target of targets) {
      const urls = [appA.url + target.path, appB.url + target.path];
      two.set(target.name, await measure(urls, target.headers));
    }
    for (const target of targets) {
      for (const [processes, results, bare] of [
        ['1 process', one, bare1],
        ['2 processes', two, bare2],
      ] as const) {
        const r = results.get(target.name);
        if (!r) continue;
        rows.push({
          row: `${target.name}, ${processes}`,
          value: r.rps,
          unit: 'req/s',
          baseline: bare.rps,
          p99: r.p99,
          ...(target.goal
            ? { goal: '≥ 0.50x, p99 ≤ 50 ms', met: r.rps / bare.rps >= 0.5 && r.p99 <= 50 }
            : {}),
        });
      }
    }
    return rows;
  } finally {
    await Promise.all(running.map((c) => c.stop()));
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
