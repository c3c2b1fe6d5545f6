// The embedded cluster's PostgreSQL processes: binaries, initdb, one postmaster started and
// stopped. Who may start or stop it is decided in embedded-postgres.ts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { Logger } from '../platform/log.js';
import { OWNER_SETTING } from './embedded-postgres-owner.js';

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export interface Binaries {
  initdb: string;
  postgres: string;
}

export interface RunAs {
  uid?: number;
  gid?: number;
}

export async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let mod: Partial<Binaries>;
  try {
    mod = (await import(name)) as Partial<Binaries>;
  } catch {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL build for ${process.platform}-${process.arch}; set DATABASE_URL`,
    );
  }
  if (typeof mod.initdb !== 'string' || typeof mod.postgres !== 'string') {
    throw new EmbeddedPostgresError(`${name} does not export initdb and postgres paths`);
  }
  return { initdb: mod.initdb, postgres: mod.postgres };
}

/** PostgreSQL refuses to run as root; as root we run it as the system user `postgres`. */
export function resolveRunAs(): RunAs {
  if (userInfo().uid !== 0) return {};
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    const made = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    if (made.status !== 0) {
      throw new EmbeddedPostgresError('running as root and could not create a "postgres" user');
    }
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** As root, the postgres user only needs to pass through DATA_DIR (secrets in it stay 0600). */
export async function prepareDataDir(runAs: RunAs, bin: Binaries, dataDir: string) {
  await mkdir(dataDir, { recursive: true });
  if (runAs.uid === undefined) return;
  await chmod(dataDir, (await stat(dataDir)).mode | 0o001);
  for (const target of [bin.postgres, dataDir]) {
    const probe = spawnSync('sh', ['-c', 'test -x "$1"', 'probe', target], runAs);
    if (probe.status !== 0) {
      throw new EmbeddedPostgresError(
        `running as root, embedded PostgreSQL runs as the "postgres" user, who cannot reach ${target}; ` +
          'move the project and DATA_DIR out of a private directory (such as /root) or set DATABASE_URL',
      );
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new EmbeddedPostgresError('could not find a free port'));
      });
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/** A postmaster whose owner was killed (SIGKILL) is still running: stop it before starting anew. */
export async function stopLeftover(pid: number, pgdata: string, log: Logger): Promise<void> {
  log.warn({ pid }, 'stopping a PostgreSQL left running by an earlier process');
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return; // already gone (another process stopped it first)
  }
  if (!(await waitForExit(pid, 15_000))) {
    throw new EmbeddedPostgresError(`PostgreSQL process ${pid} on ${pgdata} did not stop`);
  }
}

/**
 * Written whole under a scratch name, then linked into place (link never replaces a file):
 * processes starting together on a new DATA_DIR agree on one password and never read half.
 */
export async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'postgres-password');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  const scratch = `${file}.${process.pid}`;
  await writeFile(scratch, randomBytes(24).toString('base64url') + '\n', { mode: 0o600 });
  try {
    await link(scratch, file).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(scratch, { force: true });
  }
  return (await readFile(file, 'utf8')).trim();
}

/** Runs a PostgreSQL tool (or cp) as the cluster's owner; fails with its stderr. */
export function runTool(command: string, args: string[], runAs: RunAs): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new EmbeddedPostgresError(`${path.basename(command)} failed: ${stderr.trim()}`)),
    );
  });
}

/**
 * initdb into a scratch directory of this process, then rename: a crash midway never leaves
 * half a cluster, and of two processes initialising at once the first rename wins.
 */
export async function initCluster(bin: Binaries, dataDir: string, pgdata: string, runAs: RunAs) {
  const password = await readOrCreatePassword(dataDir);
  const scratch = `${pgdata}.init-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const pwfile = path.join(scratch, '..', `.pwfile-${randomBytes(4).toString('hex')}`);
  await writeFile(pwfile, password + '\n', { mode: 0o600 });
  if (runAs.uid !== undefined && runAs.gid !== undefined) {
    await chown(scratch, runAs.uid, runAs.gid);
    await chown(pwfile, runAs.uid, runAs.gid);
  }
  try {
    await runTool(
      bin.initdb,
      [
        `--pgdata=${scratch}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--lc-messages=C',
        '--no-sync',
      ],
      runAs,
    );
    await rename(scratch, pgdata).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(pwfile, { force: true });
    await rm(scratch, { recursive: true, force: true });
  }
}

/** What PostgreSQL says when the port is taken, or when another postmaster has the directory. */
export const isPortTaken = (error: unknown) => String(error).includes('could not bind');
export const isDirectoryTaken = (error: unknown) =>
  String(error).includes('lock file "postmaster.pid" already exists');

/** Starts a postmaster as this process's child, naming this process its owner. */
export function startPostmaster(
  bin: Binaries,
  pgdata: string,
  port: number,
  runAs: RunAs,
  options: { log: Logger; fast?: boolean },
): Promise<ChildProcess> {
  const settings = [
    `port=${port}`,
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    'max_connections=300',
    `${OWNER_SETTING}=${process.pid}`,
    ...(options.fast ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : []),
  ];
  const child = spawn(bin.postgres, ['-D', pgdata, ...settings.flatMap((s) => ['-c', s])], {
    ...runAs,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-4000);
      for (const line of text.split('\n'))
        if (line.trim()) options.log.debug({ pg: line }, 'postgres');
      // a standby (test/helpers/replica.ts) accepts read-only connections
      if (/ready to accept (read-only )?connections/.test(text)) resolve(child);
    };
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new EmbeddedPostgresError(`PostgreSQL exited (code ${code}): ${output.trim()}`)),
    );
  });
}

export const hasExited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null;

/** Fast shutdown (open transactions roll back, checkpoint, exit); immediate after 8 s. */
export async function stopPostmaster(child: ChildProcess): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT');
  const stopped = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 8_000).unref()),
  ]);
  if (!stopped) {
    child.kill('SIGQUIT');
    await exited;
  }
}
