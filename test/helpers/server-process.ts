// Runs the real `src/server.ts` as a child process, the way `npm start` does (node directly,
// so signals reach the server and not npm).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  stderr: () => string;
  /** the first stdout line (a JSON log line) that `match` accepts, now or once it is written */
  lineMatching: (match: (line: string) => boolean) => Promise<string>;
  /** resolves once the server logged that it is listening; rejects if it exits first */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export function startServerProcess(env: Record<string, string>): ServerProcess {
  return startProcess('src/server.ts', 'Makenot.work is running', env);
}

/** `npm run worker`, ready once its job runner has started. */
export function startWorkerProcess(env: Record<string, string>): ServerProcess {
  return startProcess('src/worker.ts', 'job worker started', env);
}

function startProcess(
  entry: string,
  readyLine: string,
  env: Record<string, string>,
): ServerProcess {
  const port = Number(env.PORT ?? 3000);
  // Only what a deployment would set: the test runner's own DATABASE_URL must not leak in.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const output: string[] = [];
  const watchers = new Set<{ match: (line: string) => boolean; found: (line: string) => void }>();
  const lineMatching = (match: (line: string) => boolean) =>
    new Promise<string>((found) => {
      const seen = output.find(match);
      if (seen === undefined) watchers.add({ match, found });
      else found(seen);
    });
  const ready = new Promise<void>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      output.push(line);
      for (const watcher of watchers) {
        if (watcher.match(line)) {
          watchers.delete(watcher);
          watcher.found(line);
        }
      }
      if (line.includes(readyLine)) resolve();
    });
    void exited.then(({ code }) =>
      reject(new Error(`server exited (${code}) before it was ready: ${stderr}`)),
    );
  });
  ready.catch(() => undefined);
  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    lineMatching,
    ready,
    exited,
  };
}

/** `npm run cli -- <args>` to its end: exit code and what it printed. */
export function runCliProcess(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'silent',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** PostgreSQL processes serving the cluster in this data directory. */
export async function postgresProcessesFor(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(path.join(dataDir, 'postgres')) && cmdline.includes('postgres')) {
      pids.push(Number(entry));
    }
  }
  return pids;
}

/** The embedded cluster's URL, read the way an operator would: pid file and password file. */
export async function embeddedDatabaseUrl(dataDir: string): Promise<string> {
  const pidFile = await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
  const port = pidFile.split('\n')[3]?.trim();
  const password = (await readFile(path.join(dataDir, 'postgres-password'), 'utf8')).trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/makenot`;
}
