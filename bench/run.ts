// `npm run bench`: one table, every row measured against a baseline in the same run, so noisy
// machines compare fairly. Entries (`npm run bench -- [entry ...]`, default all but upload-s3):
//   pages     item page (1 and 2 processes), creator, project, tag and discover pages, /healthz,
//             all with PAGE_CACHE=off (and the cached item page), vs a bare Fastify + pg page and
//             a bare Fastify hello (bench/pages.ts); BENCH_ITEMS seeded items, 100,000 unless set
//   api       GET /api/v1/items/:id (anonymous JSON read), PAGE_CACHE=off, vs the bare page
//   hooks     CPU per request of each global hook: /healthz on the app built up one platform
//             plugin at a time, timed in-process (bench/hooks.ts; only when named)
//   search    the search API vs bare SQL (bench/search.ts); BENCH_SEARCH_ITEMS items, 100,000
//             unless set (BENCH_SEARCH_ITEMS=1000000 for the full million, ~8 min to seed)
//   upload    tus upload into the fs driver vs a plain copy, and peak RSS (BENCH_UPLOAD_MB)
//   upload-s3 the same into s3rver (only when named)
//   webhooks  signed Stripe events applied per second end to end (BENCH_WEBHOOK_EVENTS)
//   start     cold and warm start of src/server.ts vs the bare Fastify process
//   replica   a streaming replica's lag under write load (bench/replica-lag.ts; only when named)
// PostgreSQL: DATABASE_URL if set, else an embedded cluster with durable settings (fsync on).
// BENCH_SECONDS sets the load duration of pages and api (default 10).
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { globalSetup, globalTeardown } from '../test/global-setup.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { benchUpload, type UploadResult } from './upload.js';
import { benchHooks } from './hooks.js';
import { benchPages } from './pages.js';
import { benchWebhooks } from './webhooks.js';
import { benchStart } from './start.js';
import { formatTable, type BenchRow } from './table.js';

const ENTRIES = [
  'pages',
  'api',
  'hooks',
  'search',
  'upload',
  'upload-s3',
  'webhooks',
  'start',
  'replica',
] as const;
const DEFAULT = ['pages', 'api', 'search', 'upload', 'webhooks', 'start'];
const UPLOAD_MB = Number(process.env.BENCH_UPLOAD_MB ?? 256);

function machine(postgres: string): string {
  const cpu = cpus();
  return (
    `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
    `Node ${process.version}, ${postgres}`
  );
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(ENTRIES as readonly string[]).includes(a));
  if (unknown.length > 0) {
    console.error(`unknown entries: ${unknown.join(', ')}; known: ${ENTRIES.join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const only = new Set(asked.length > 0 ? asked : DEFAULT);
  let embedded: EmbeddedPostgres | undefined;
  let embeddedDir: string | undefined;
  if (!process.env.DATABASE_URL) {
    // durable settings (unlike the test suite's fsync=off cluster): writes cost what they cost
    embeddedDir = await mkdtemp(path.join(tmpdir(), 'makenot-bench-pg-'));
    embedded = await startEmbeddedPostgres({
      dataDir: embeddedDir,
      log: pino({ level: 'silent' }),
    });
    process.env.DATABASE_URL = embedded.adminUrl;
  }
  await globalSetup();
  const rows: BenchRow[] = [];
  const loadBefore = load();
  const described: string[] = [];
  try {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const version = await client.query<{ v: string }>(
      "select current_setting('server_version') as v",
    );
    described.push(`PostgreSQL ${version.rows[0]?.v ?? '?'}${embedded ? ' (embedded)' : ''}`);
    await client.end();

    if (only.has('pages') || only.has('api')) {
      rows.push(...(await benchPages({ pages: only.has('pages'), api: only.has('api') })));
    }
    if (only.has('hooks')) rows.push(...(await benchHooks()));
    if (only.has('search')) {
      // bench/search.ts reads BENCH_SEARCH_ITEMS when it loads: set it first, then import it
      process.env.BENCH_SEARCH_ITEMS ??= '100000';
      const { benchSearch } = await import('./search.js');
      const searchRows = await benchSearch();
      const bare = searchRows.find((r) => r.name.includes('bare'));
      for (const r of searchRows.filter((s) => s !== bare)) {
        rows.push({
          row: `${r.name} (${Number(process.env.BENCH_SEARCH_ITEMS).toLocaleString('en')} items)`,
          value: r.rps,
          unit: 'req/s',
          baseline: bare?.rps,
          p50: r.p50,
          p99: r.p99,
          also: bare ? `p50 ${(r.p50 / bare.p50).toFixed(2)}x bare SQL p50` : undefined,
          goal: 'p99 ≤ 100 ms, p50 ≤ 1.5x bare',
          met: bare ? r.p99 <= 100 && r.p50 <= 1.5 * bare.p50 : undefined,
        });
      }
    }
    const uploads: UploadResult[] = [];
    if (only.has('upload')) uploads.push(await benchUpload('fs', UPLOAD_MB));
    if (only.has('upload-s3')) uploads.push(await benchUpload('s3', UPLOAD_MB));
    for (const u of uploads) {
      rows.push({ row: u.name, value: u.appMBps, unit: 'MB/s', baseline: u.copyMBps });
      rows.push({ row: `${u.name}: peak RSS growth`, value: u.rssGrowthMB, unit: 'MB' });
    }
    if (only.has('webhooks')) rows.push(...(await benchWebhooks()));
    if (only.has('start')) rows.push(...(await benchStart()));
    if (only.has('replica')) {
      const { benchReplicaLag } = await import('./replica-lag.js');
      rows.push(...(await benchReplicaLag()));
    }
  } finally {
    await globalTeardown();
    await embedded?.stop();
    if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
  }
  console.log(
    `\n${machine(described[0] ?? 'PostgreSQL')}; load average ${loadBefore} before, ${load()} after`,
  );
  console.log(
    'baselines: pages and the JSON read: a bare Fastify + pg page of the same item and size; ' +
      '/healthz: a bare Fastify hello-world (same processes, same 50 connections); ' +
      'search: bare SQL; upload: a plain file copy; webhooks: the same POSTs to the bare ' +
      'route; start: spawn to first 200 of the bare process. ratio = value / baseline.\n',
  );
  console.log(formatTable(rows));
}

await main();
