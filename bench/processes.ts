// Child processes for `npm run bench`: the real server and worker, the bare Fastify baselines and
// the load generator (wrk when the machine has it, else autocannon), each in its own process so
// none shares an event loop with another or with the bench itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/server-process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Child {
  child: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

/** `node --import tsx <entry>` with only the environment a deployment would set. */
export function spawnNode(entry: string, env: Record<string, string>, port: number): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls GET url every 5 ms until it answers 200; the milliseconds since `since`. */
export async function firstOk(url: string, child: Child, since: number, timeoutMs = 180_000) {
  for (;;) {
    if (child.child.exitCode !== null) {
      throw new Error(`${url}: the process exited (${child.child.exitCode}): ${child.output()}`);
    }
    if (performance.now() - since > timeoutMs) throw new Error(`${url}: no 200 in ${timeoutMs} ms`);
    const ok = await fetch(url).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status === 200;
      },
      () => false,
    );
    if (ok) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function startBare(): Promise<Child> {
  const port = await freePort();
  const started = performance.now();
  const bare = spawnNode('bench/bare-server.ts', { PORT: String(port) }, port);
  await firstOk(`${bare.url}/`, bare, started);
  return bare;
}

/**
 * bench/bare-page-server.ts: bare Fastify + pg serving `pagePath` (/page/<item id>) padded to
 * `pageBytes`, once it answers 200.
 */
export async function startBarePage(
  databaseUrl: string,
  pagePath: string,
  pageBytes: number,
): Promise<Child> {
  const port = await freePort();
  const started = performance.now();
  const bare = spawnNode(
    'bench/bare-page-server.ts',
    { PORT: String(port), DATABASE_URL: databaseUrl, PAGE_BYTES: String(pageBytes) },
    port,
  );
  await firstOk(`${bare.url}${pagePath}`, bare, started);
  return bare;
}

/** The real `src/server.ts` (WORKER=off unless env says otherwise), once /healthz answers. */
export async function startApp(env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const started = performance.now();
  const app = spawnNode(
    'src/server.ts',
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      WORKER: 'off',
      // e.g. BENCH_APP_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the app
      ...(process.env.BENCH_APP_NODE_OPTIONS && {
        NODE_OPTIONS: process.env.BENCH_APP_NODE_OPTIONS,
      }),
      ...env,
      PORT: String(port),
    },
    port,
  );
  await firstOk(`${app.url}/healthz`, app, started);
  return app;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
}

interface AutocannonJson {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** Debian's wrk (C, one thread per generator): far less CPU per request than autocannon. */
const WRK = ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((file) => existsSync(file));
export const LOAD_GENERATOR = WRK ? 'wrk' : 'autocannon';

interface WrkJson {
  requests: number;
  duration_us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p90: number;
  p99: number;
}

function wrk(
  file: string,
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string>,
) {
  const child = spawn(
    file,
    [
      '-t1',
      `-c${connections}`,
      `-d${seconds}s`,
      '--timeout',
      '10s',
      '-s',
      path.join(root, 'bench/wrk-report.lua'),
      ...Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
      url,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise<WrkJson>((resolve, reject) => {
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`wrk exited ${code}: ${err}${out}`));
      else resolve(JSON.parse(line) as WrkJson);
    });
  });
}

/** One generator: requests, latency in ms, failures (errors, timeouts, non-2xx). */
export async function generate(
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string>,
): Promise<{ requests: number; seconds: number; p50: number; p99: number; failures: number }> {
  if (WRK) {
    const r = await wrk(WRK, url, connections, seconds, headers);
    return {
      requests: r.requests,
      seconds: r.duration_us / 1e6,
      p50: r.p50 / 1000,
      p99: r.p99 / 1000,
      // wrk counts read errors when the server closes idle keep-alive sockets at the end
      failures: r.connect + r.write + r.status + r.timeout,
    };
  }
  const r = await autocannon(url, connections, seconds, headers);
  return {
    requests: r.requests.total,
    seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    failures: r.errors + r.timeouts + r.non2xx,
  };
}

function autocannon(
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string> = {},
) {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/autocannon/autocannon.js'),
      '--json',
      '--connections',
      String(connections),
      '--duration',
      String(seconds),
      ...Object.entries(headers).flatMap(([name, value]) => ['--headers', `${name}=${value}`]),
      url,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise<AutocannonJson>((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`autocannon exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as AutocannonJson);
    });
  });
}

/**
 * `connections` connections spread evenly over `urls` (one generator process per URL, all at
 * once) for `seconds`, after a short warm-up. p50/p99 are the worst of the generators'.
 */
export async function load(
  urls: readonly string[],
  connections: number,
  seconds: number,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  const each = Math.ceil(connections / urls.length);
  await Promise.all(urls.map((url) => generate(url, each, 2, headers)));
  const results = await Promise.all(urls.map((url) => generate(url, each, seconds, headers)));
  return {
    rps: results.reduce((sum, r) => sum + r.requests / r.seconds, 0),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    failures: results.reduce((sum, r) => sum + r.failures, 0),
  };
}
