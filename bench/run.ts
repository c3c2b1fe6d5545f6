// `npm run bench`: latency of the real app over real HTTP, against a baseline measured in the
// same run (a bare node:http server answering the same bytes), so noisy machines compare fairly.
// Prints medians and ratios; asserts nothing. Entries: `npm run bench -- [name ...]`; the upload
// entries are `upload` (fs driver) and `upload-s3` (s3rver); BENCH_UPLOAD_MB sets the size.
// `search` (only when named) seeds a million items and compares the search API with bare SQL;
// BENCH_SEARCH_ITEMS seeds fewer (see bench/search.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { globalSetup, globalTeardown } from '../test/global-setup.js';
import { createTestApp } from '../test/helpers/app.js';
import { signUp } from '../test/helpers/factories.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
} from '../src/modules/catalog/catalog.test-helpers.js';
import { benchUpload, printUploads, type UploadResult } from './upload.js';
import { benchSearch } from './search.js';

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
}

const CONCURRENCY = 8;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Stats> {
  // warm up connections, JIT and caches before measuring
  for (let i = 0; i < 50; i++) await (await fetch(url, { headers })).arrayBuffer();
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < REQUESTS) {
        const t0 = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url} answered ${res.status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    rps: times.length / seconds,
  };
}

async function baselineServer(body: Buffer, type: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': type, 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** A creator with a project of 24 published, tagged text items: the pages have real content. */
async function seedCatalogue(app: Awaited<ReturnType<typeof createTestApp>>['app']) {
  const creator = await signUpCreator(app);
  const project = await makeProject(app, creator, { title: 'Essays', description: 'Prose.' });
  let itemUrl = '';
  for (let i = 1; i <= 24; i++) {
    const item = await makeItem(app, creator, project.id, {
      title: `Essay number ${i}`,
      description: 'A *short* essay about rivers and the people beside them.',
      body: 'Paragraph. '.repeat(200),
      tags: ['writing/essays', 'nature/rivers'],
      price: { model: 'pwyw', minimum: 0, suggested: 500 },
      ai_disclosure: { tier: 'handmade' },
    });
    await call(app, creator, 'POST', `/items/${item.id}/publish`);
    itemUrl = new URL(item.url).pathname;
  }
  return { creator: `/@${creator.handle}`, item: itemUrl };
}

const fmt = (ms: number) => ms.toFixed(2).padStart(8);

const UPLOAD_MB = Number(process.env.BENCH_UPLOAD_MB ?? 256);

async function main() {
  const only = process.argv.slice(2);
  await globalSetup();
  try {
    const latencyEntries = only.filter((o) => !o.startsWith('upload') && o !== 'search');
    if (only.length === 0 || latencyEntries.length > 0) await latency(latencyEntries);
    // `search` seeds a million items (BENCH_SEARCH_ITEMS for fewer): only when named.
    if (only.includes('search')) await benchSearch();
    const uploads: UploadResult[] = [];
    if (only.length === 0 || only.includes('upload')) {
      uploads.push(await benchUpload('fs', UPLOAD_MB));
    }
    if (only.includes('upload-s3')) uploads.push(await benchUpload('s3', UPLOAD_MB));
    printUploads(uploads);
  } finally {
    await globalTeardown();
  }
}

async function latency(only: string[]) {
  const t = await createTestApp();
  try {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const user = await signUp(t.app);
    const token = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        payload: { email: user.email, password: user.password, name: 'bench' },
        headers: { 'x-forwarded-for': '10.9.9.9' },
      })
    ).json<{ token: string }>().token;
    const paths = await seedCatalogue(t.app);

    const entries: { name: string; path: string; headers?: Record<string, string> }[] = [
      { name: 'healthz', path: '/healthz' },
      { name: 'home page', path: '/' },
      { name: 'creator page', path: paths.creator },
      { name: 'item page', path: paths.item },
      { name: 'tag page', path: '/tags/writing' },
      { name: 'discover', path: '/discover' },
      {
        name: 'api me (bearer)',
        path: '/api/v1/me',
        headers: { authorization: `Bearer ${token}` },
      },
    ];
    console.log(
      `\n${CONCURRENCY} concurrent clients, ${REQUESTS} requests each entry; times in ms\n`,
    );
    console.log(
      'entry               |   p50   |   p95   |   p99   |  req/s  | baseline p50 | ratio p50',
    );
    console.log(
      '--------------------|---------|---------|---------|---------|--------------|----------',
    );
    const wanted = only.filter((o) => !o.startsWith('upload'));
    for (const entry of entries.filter(
      (e) => wanted.length === 0 || wanted.some((o) => e.name.includes(o)),
    )) {
      const sample = await fetch(base + entry.path, { headers: entry.headers ?? {} });
      const body = Buffer.from(await sample.arrayBuffer());
      const baseline = await baselineServer(
        body,
        sample.headers.get('content-type') ?? 'text/plain',
      );
      const baselineUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}/`;
      const bare = await load(baselineUrl);
      const app = await load(base + entry.path, entry.headers);
      baseline.close();
      console.log(
        `${entry.name.padEnd(20)}|${fmt(app.p50)} |${fmt(app.p95)} |${fmt(app.p99)} |${app.rps.toFixed(0).padStart(8)} |${fmt(bare.p50).padStart(13)} |${(app.p50 / bare.p50).toFixed(2).padStart(9)}x`,
      );
    }
  } finally {
    await t.close();
  }
}

await main();
