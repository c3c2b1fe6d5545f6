// `npm run bench -- search`: a million published items (BENCH_SEARCH_ITEMS for fewer), 50,000
// creators with a project each, titles and descriptions drawn from a Zipf-distributed vocabulary
// of 20,000 words, realistic tag paths and some sales, seeded in SQL (INSERT … SELECT from
// generate_series); then a fixed mix of queries from 8 concurrent clients through the real
// app's HTTP API, and the same mix as bare SQL (the statement search() runs for items). The
// seeding is bench/seed.ts's, shared with the pages bench.
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/db/database.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/platform/log.js';
import { createMetrics } from '../src/platform/metrics.js';
import { startRuntime } from '../src/platform/runtime.js';
import { appTasks } from '../src/tasks.js';
import { createTestApp, type TestApp } from '../test/helpers/app.js';
import type { SearchParams } from '../src/modules/search/search.plan.js';
import { itemSearchStatement } from '../src/modules/search/search.service.js';
import { creatorsFor, seedItems, TAGS, VOCABULARY } from './seed.js';

const ITEMS = Number(process.env.BENCH_SEARCH_ITEMS ?? 1_000_000);
const CREATORS = creatorsFor(ITEMS);
const CONCURRENCY = 8;
const PASSES = Number(process.env.BENCH_SEARCH_PASSES ?? 3);

/** Seeds ITEMS items (bench/seed.ts). */
export async function seed(kdb: Db, log: (s: string) => void) {
  await seedItems(kdb, { items: ITEMS, log });
}

/**
 * What the seed leaves as earlier migrations made it (it loads with triggers off and builds
 * items_search_idx after the load, as migration 0019 did): the index as migration 0041 makes
 * it (keyed by week), and the lexemes of migration 0040.
 */
async function afterSeed(kdb: Db, log: (s: string) => void) {
  const started = performance.now();
  await kdb.connection().execute(async (conn) => {
    await sql`set maintenance_work_mem = '1GB'`.execute(conn);
    await sql`
      drop index if exists items_search_idx;
      create index items_search_idx on items
        using gin (search_week(published_at), search_filters, search_vector)
        where status = 'published';
      alter index items_search_idx set (gin_pending_list_limit = 256);
      select gin_clean_pending_list('projects_search_idx'::regclass);
      select gin_clean_pending_list('users_search_idx'::regclass);
      select search_refresh_lexemes();
      analyze items; analyze search_lexemes;
    `.execute(conn);
  });
  log(
    `  week index and lexemes (migrations 0040, 0041): ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

interface Query {
  label: string;
  params: SearchParams;
}

function typo(word: string): string {
  const i = Math.floor(word.length / 2);
  return `${word.slice(0, i - 1)}${word.charAt(i)}${word.charAt(i - 1)}${word.slice(i + 1)}`;
}

/** A fixed mix: the same every run (the words come from the deterministic vocabulary). */
export async function queryMix(db: Db): Promise<Query[]> {
  const words = (
    await sql<{
      w: string;
    }>`select bench_word(r) as w from generate_series(1, ${sql.lit(VOCABULARY)}) r order by r`.execute(
      db,
    )
  ).rows.map((r) => r.w);
  const phrases = (
    await sql<{
      title: string;
    }>`select title from items where slug in (select 'i' || g from generate_series(1, 40) g) order by slug`.execute(
      db,
    )
  ).rows.map((r) => r.title.split(' ').slice(0, 2).join(' '));
  const at = (rank: number) => words[rank - 1] ?? 'music';
  const mix: Query[] = [];
  const add = (label: string, q: string, extra: Partial<SearchParams> = {}) =>
    mix.push({ label, params: { q, limit: 20, ...extra } });
  for (let i = 1; i <= 40; i++) add('frequent', at(i));
  for (let i = 0; i < 40; i++) add('rare', at(5000 + i * 370));
  for (let i = 0; i < 30; i++) add('multi-word', `${at(20 + i * 7)} ${at(200 + i * 31)}`);
  for (const phrase of phrases.slice(0, 20)) add('quoted', `"${phrase}"`);
  for (let i = 0; i < 20; i++) add('typo', typo(at(i < 5 ? 1 + i : 60 + i * 45)));
  for (let i = 0; i < 30; i++) add('prefix', at(i < 10 ? 1 + i * 3 : 100 + i * 60).slice(0, 4));
  const types = ['audio', 'text', 'image', 'software'] as const;
  for (let i = 0; i < 40; i++) {
    const filter: Partial<SearchParams> =
      i % 4 === 0
        ? { type: types[i % types.length] }
        : i % 4 === 1
          ? { price: i % 8 === 1 ? 'free' : 'paid' }
          : i % 4 === 2
            ? { tag: TAGS[i % TAGS.length]?.split('/')[0] ?? 'music' }
            : { creator: `c${1 + ((i * 977) % CREATORS)}` };
    add('filtered', i % 2 === 0 ? at(1 + i) : `${at(1 + i)} ${at(300 + i)}`, filter);
  }
  return mix;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Driven {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  /** each class's times, sorted */
  byLabel: Map<string, number[]>;
  /** the slowest requests */
  slowest: { ms: number; q: Query }[];
}

type Timed = { ms: number; q: Query }[];

/** One pass of the mix from CONCURRENCY clients: each request's time, and the pass's seconds. */
async function pass(mix: Query[], once: (q: Query) => Promise<void>) {
  const times: Timed = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < mix.length) {
        const q = mix[next++];
        if (!q) break;
        const t0 = performance.now();
        await once(q);
        times.push({ ms: performance.now() - t0, q });
      }
    }),
  );
  return { times, seconds: (performance.now() - started) / 1000 };
}

function summary(passes: { times: Timed; seconds: number }[]): Driven {
  const times = passes.flatMap((p) => p.times).sort((a, b) => a.ms - b.ms);
  const seconds = passes.reduce((sum, p) => sum + p.seconds, 0);
  const all = times.map((t) => t.ms);
  const byLabel = new Map<string, number[]>();
  for (const { ms, q } of times) byLabel.set(q.label, [...(byLabel.get(q.label) ?? []), ms]);
  return {
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    rps: times.length / seconds,
    byLabel,
    slowest: times.slice(-5).reverse(),
  };
}

/**
 * The variants' passes interleaved (a pass of each, PASSES times), so that a machine whose load
 * changes during the run (other processes) weighs on every variant alike: run one after the
 * other, the ratios swung 2–4× with the load between them.
 */
async function drive(mix: Query[], variants: ((q: Query) => Promise<void>)[]): Promise<Driven[]> {
  for (const once of variants) for (const q of mix.slice(0, 20)) await once(q); // warm up
  const passes = variants.map(() => [] as { times: Timed; seconds: number }[]);
  for (let p = 0; p < PASSES; p++) {
    for (const [v, once] of variants.entries()) passes[v]?.push(await pass(mix, once));
  }
  return passes.map(summary);
}

function toQueryString(params: SearchParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) query.set(key, String(value));
  }
  return query.toString();
}

export interface SearchBenchRow {
  name: string;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
}

/**
 * With BENCH_SEARCH_REUSE=1 the seeded database is kept between runs (makenot_bench_search_<n>
 * on the server of TEST_PG_ADMIN_URL, e.g. DATABASE_URL's): seeding a million items takes
 * minutes, a run of the mix one. A database without the seed marker (an interrupted seed) is
 * dropped and seeded again; pending migrations are applied when the app starts.
 */
const REUSE = process.env.BENCH_SEARCH_REUSE === '1';
const KEPT_DATABASE = `makenot_bench_search_${ITEMS}`;

async function adminQuery<T extends pg.QueryResultRow>(text: string, database?: string) {
  const url = new URL(process.env.TEST_PG_ADMIN_URL ?? '');
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** The kept database: its URL and whether it holds a finished seed of ITEMS items. */
async function keptDatabase(log: (s: string) => void): Promise<{ url: string; seeded: boolean }> {
  const url = new URL(process.env.TEST_PG_ADMIN_URL ?? '');
  url.pathname = `/${KEPT_DATABASE}`;
  const exists = await adminQuery(`select 1 from pg_database where datname = '${KEPT_DATABASE}'`);
  if (exists.length > 0) {
    const marker = await adminQuery<{ items: number }>(
      `select (select items from bench_search_seed) as items
        where to_regclass('bench_search_seed') is not null`,
      KEPT_DATABASE,
    );
    if (marker[0]?.items === ITEMS) return { url: url.href, seeded: true };
    log(`  ${KEPT_DATABASE} has no finished seed: dropping it`);
    await adminQuery(`drop database ${KEPT_DATABASE} with (force)`);
  }
  await adminQuery(`create database ${KEPT_DATABASE} template ${process.env.TEST_PG_TEMPLATE}`);
  return { url: url.href, seeded: false };
}

/** The real app (as createTestApp builds it) on the kept database, which is not dropped. */
async function appOnKeptDatabase(url: string): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'makenot-bench-search-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: url,
    PUBLIC_URL: 'http://localhost:3000',
    APP_SECRET: 'bench-secret-that-is-long-enough-for-hmac-keys',
    LOG_LEVEL: 'silent',
  });
  const runtime = await startRuntime(config, createLogger(config, 'bench'), {
    migrate: true, // migrations added since the seed
    runJobs: false,
    tasks: appTasks,
    metrics: createMetrics({ defaultMetrics: false }),
    poolSize: 5,
  });
  const app = await buildApp(runtime);
  await app.ready();
  return {
    app,
    runtime,
    dataDir,
    async close() {
      await app.close();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Seeds, runs the mix and prints its own table; returns the rows for bench/run.ts's table. */
export async function benchSearch(): Promise<SearchBenchRow[]> {
  const log = (s: string) => console.log(s);
  const kept = REUSE ? await keptDatabase(log) : undefined;
  const t = kept ? await appOnKeptDatabase(kept.url) : await createTestApp();
  // The same settings search() runs its statements with (no parallel workers).
  const pool = new pg.Pool({
    connectionString: t.runtime.config.databaseUrl,
    max: 5,
    options: '-c max_parallel_workers_per_gather=0 -c jit=off',
  });
  try {
    if (kept?.seeded) {
      log(`\nsearch: ${KEPT_DATABASE} already holds ${ITEMS} seeded items`);
    } else {
      log(`\nsearch: seeding ${ITEMS} items, ${CREATORS} creators`);
      await seed(t.runtime.db, log);
      await afterSeed(t.runtime.db, log);
      if (kept) {
        await sql`create table bench_search_seed as select ${sql.lit(ITEMS)}::int as items`.execute(
          t.runtime.db,
        );
      }
    }
    const mix = await queryMix(t.runtime.db);
    // The bare statements, decided (walk or windows) as search() decides them, before timing.
    const statements = new Map<Query, { text: string; values: unknown[] }>();
    for (const q of mix) statements.set(q, await itemSearchStatement(t.runtime.db, q.params));
    if (process.env.BENCH_SEARCH_EXPLAIN) {
      for (const q of [mix[0], mix[45], mix[170], mix[200]]) {
        const statement = q && statements.get(q);
        if (!q || !statement) continue;
        const plan = await pool.query<{ 'QUERY PLAN': string }>(
          `explain (analyze, buffers) ${statement.text}`,
          statement.values,
        );
        log(`\n${q.label} ${JSON.stringify(q.params)}`);
        for (const row of plan.rows) log(row['QUERY PLAN']);
      }
    }
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    let hits = 0;
    const failures: string[] = [];
    const viaApi = (extra: Partial<SearchParams>) => async (q: Query) => {
      const res = await fetch(`${base}/api/v1/search?${toQueryString({ ...q.params, ...extra })}`);
      const body = (await res.json()) as { items?: unknown[] };
      if (!res.ok) failures.push(`${q.label} ${q.params.q}: ${res.status}`);
      hits += body.items?.length ?? 0;
    };
    const [apiItems, api, bare] = await drive(mix, [
      viaApi({ kind: 'item' }),
      viaApi({}),
      async (q) => {
        const statement = statements.get(q);
        if (statement) await pool.query(statement.text, statement.values);
      },
    ]);
    if (!apiItems || !api || !bare) throw new Error('three variants, three summaries');
    const fmt = (ms: number) => ms.toFixed(2).padStart(8);
    log(
      `\n${mix.length} queries × ${PASSES} passes (the three rows' passes interleaved), ${CONCURRENCY} concurrent clients; ` +
        `${(hits / (2 * (mix.length * PASSES + 20))).toFixed(1)} hits per API answer; times in ms\n`,
    );
    log('search              |   p50   |   p95   |   p99   |  req/s');
    log('--------------------|---------|---------|---------|---------');
    for (const [name, s] of [
      ['API, kind=item', apiItems],
      ['API, all kinds', api],
      ['bare SQL (items)', bare],
    ] as const) {
      log(
        `${name.padEnd(20)}|${fmt(s.p50)} |${fmt(s.p95)} |${fmt(s.p99)} |${s.rps.toFixed(0).padStart(8)}`,
      );
    }
    log(
      '\nper class: p50 / p99 ms (API kind=item, API all kinds, bare SQL), API item p50 / bare p50',
    );
    for (const label of [...new Set(mix.map((q) => q.label))]) {
      const cell = (d: Driven) => {
        const times = d.byLabel.get(label) ?? [];
        return `${fmt(percentile(times, 50))} /${fmt(percentile(times, 99))}`;
      };
      const ratio =
        percentile(apiItems.byLabel.get(label) ?? [], 50) /
        percentile(bare.byLabel.get(label) ?? [], 50);
      log(
        `${label.padEnd(11)}|${cell(apiItems)} |${cell(api)} |${cell(bare)} |${ratio.toFixed(2).padStart(6)}x`,
      );
    }
    for (const [name, d] of [
      ['API, kind=item', apiItems],
      ['API, all kinds', api],
      ['bare SQL', bare],
    ] as const) {
      const slow = d.slowest.map(
        (s) => `${s.ms.toFixed(0)} ms ${s.q.label} ${JSON.stringify(s.q.params)}`,
      );
      log(`slowest, ${name}:\n  ${slow.join('\n  ')}`);
    }
    log(`\nAPI (kind=item) p50 / bare SQL p50: ${(apiItems.p50 / bare.p50).toFixed(2)}x`);
    log(`API (all kinds) p50 / bare SQL p50: ${(api.p50 / bare.p50).toFixed(2)}x`);
    if (failures.length > 0)
      log(`${failures.length} API answers were not 200: ${failures.slice(0, 5).join('; ')}`);
    const row = (name: string, d: Driven) => ({
      name,
      p50: d.p50,
      p95: d.p95,
      p99: d.p99,
      rps: d.rps,
    });
    return [
      row('search API, kind=item', apiItems),
      row('search API, all kinds', api),
      row('search bare SQL (items)', bare),
    ];
  } finally {
    await pool.end();
    await t.close();
  }
}
