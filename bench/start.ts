// Row (f) of `npm run bench`: how long the real `src/server.ts` takes from spawn to its first 200
// from /healthz. Cold: a fresh DATA_DIR, so embedded PostgreSQL runs initdb, then the migrations,
// then listen. Warm: the same DATA_DIR again (the cluster exists, nothing to migrate); the median
// of three. Baseline: the bare Fastify process, spawn to first 200 (median of three), started the
// same way (node --import tsx).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../test/helpers/server-process.js';
import { firstOk, spawnNode } from './processes.js';
import type { BenchRow } from './table.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

async function timeToFirstOk(entry: string, probe: string, env: Record<string, string>) {
  const port = await freePort();
  const started = performance.now();
  const child = spawnNode(entry, { ...env, PORT: String(port) }, port);
  try {
    return await firstOk(`http://127.0.0.1:${port}${probe}`, child, started);
  } finally {
    await child.stop();
  }
}

export async function benchStart(): Promise<BenchRow[]> {
  const root = await mkdtemp(path.join(tmpdir(), 'makenot-bench-start-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as "postgres", who must pass through
  try {
    const bare: number[] = [];
    for (let i = 0; i < 3; i++) bare.push(await timeToFirstOk('bench/bare-server.ts', '/', {}));
    const env = { DATA_DIR: path.join(root, 'data'), NODE_ENV: 'production', LOG_LEVEL: 'warn' };
    const cold = await timeToFirstOk('src/server.ts', '/healthz', env);
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) warm.push(await timeToFirstOk('src/server.ts', '/healthz', env));
    const baseline = median(bare) / 1000;
    return [
      { row: 'cold start (initdb + migrate)', value: cold / 1000, unit: 's', baseline },
      { row: 'warm start', value: median(warm) / 1000, unit: 's', baseline },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
