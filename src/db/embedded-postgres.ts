// Real PostgreSQL from the `embedded-postgres` binaries, managed here rather than through that
// package's class: its exit hook stops the database on SIGTERM while requests are still
// draining, and it cannot recover a cluster left running by a killed process.
//
// Several processes may use one DATA_DIR (the server, `npm run worker`, the CLI). The first to
// start the cluster owns it (see embedded-postgres-owner.ts); the others connect to it and never
// stop it. Every process watches that the cluster keeps a live owner: when the owner stops or
// dies while others still use the cluster, one of them takes it over on the same port, so their
// connections come back (as after any PostgreSQL restart).
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../platform/log.js';
import {
  EmbeddedPostgresError,
  freePort,
  hasExited,
  initCluster,
  isDirectoryTaken,
  isPortTaken,
  loadBinaries,
  prepareDataDir,
  readOrCreatePassword,
  resolveRunAs,
  startPostmaster,
  stopLeftover,
  stopPostmaster,
  type Binaries,
  type RunAs,
} from './embedded-postgres-cluster.js';
import { inspectCluster, type RunningCluster } from './embedded-postgres-owner.js';

export { EmbeddedPostgresError } from './embedded-postgres-cluster.js';

export interface EmbeddedPostgres {
  /** connection URL of the application database */
  readonly url: string;
  /** URL of the maintenance database (for creating and dropping databases) */
  readonly adminUrl: string;
  /** stops the cluster if this process owns it; leaves it to its owner otherwise */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** the cluster lives in `<dataDir>/postgres` */
  dataDir: string;
  log: Logger;
  database?: string;
  /** trade durability for speed (tests only) */
  fast?: boolean;
  /** listen on this port instead of the one used last time or a free one */
  port?: number;
}

interface Cluster {
  bin: Binaries;
  runAs: RunAs;
  dataDir: string;
  pgdata: string;
  options: EmbeddedPostgresOptions;
}

/** How often a process checks that the cluster it uses still has a live owner. */
const WATCH_INTERVAL_MS = 500;
/** How long to wait for a cluster another process is starting (crash recovery included). */
const READY_PATIENCE_MS = 60_000;

/** The port of the last start, tried first: processes waiting for the cluster find it again. */
const portFile = (dataDir: string) => path.join(dataDir, 'postgres-port');

async function recordedPort(dataDir: string): Promise<number | undefined> {
  const port = Number(await readFile(portFile(dataDir), 'utf8').catch(() => ''));
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** Waits until the owner's postmaster accepts connections; false if it went away first. */
async function waitUntilReady(pgdata: string, running: RunningCluster): Promise<boolean> {
  const deadline = Date.now() + READY_PATIENCE_MS;
  for (let now = running; ;) {
    if (now.status === 'ready') return true;
    if (Date.now() > deadline) {
      throw new EmbeddedPostgresError(
        `the PostgreSQL that process ${running.owner} started is not ready after ${READY_PATIENCE_MS / 1000} s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await inspectCluster(pgdata);
    if (next?.pid !== running.pid || next.owner === undefined) return false;
    now = next;
  }
}

/**
 * Makes the cluster run: uses a postmaster whose owner lives, or stops one whose owner is gone
 * and starts it here on `wanted` (any free port after that if `anyPort`). Returns the child when
 * this process started it, and the port either way.
 */
async function ensureRunning(
  cluster: Cluster,
  wanted: number,
  anyPort: boolean,
): Promise<{ port: number; child?: ChildProcess; owner?: number }> {
  const { pgdata, options } = cluster;
  let port = wanted;
  for (let attempt = 1; attempt <= 5; attempt++) {
    const running = await inspectCluster(pgdata);
    if (running?.owner !== undefined) {
      if (await waitUntilReady(pgdata, running))
        return { port: running.port, owner: running.owner };
      continue; // it stopped while we waited: start it here
    }
    if (running) await stopLeftover(running.pid, pgdata, options.log);
    try {
      const child = await startPostmaster(cluster.bin, pgdata, port, cluster.runAs, options);
      await writeFile(portFile(cluster.dataDir), `${port}\n`);
      return { port, child };
    } catch (error) {
      if (isDirectoryTaken(error)) continue; // another process started it first: use theirs
      if (!(isPortTaken(error) && anyPort)) throw error;
      port = await freePort(); // taken by another program since we last ran
    }
  }
  throw new EmbeddedPostgresError(`could neither start nor reach the PostgreSQL in ${pgdata}`);
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      // Two processes starting together may both create it: the loser's error is no error.
      await client
        .query(`create database ${client.escapeIdentifier(database)}`)
        .catch((error: unknown) => {
          const code = (error as { code?: unknown }).code;
          if (code !== '42P04' && code !== '23505') throw error;
        });
    }
  } finally {
    await client.end();
  }
}

/**
 * Keeps the cluster owned while this process uses it: stops the postmaster this process owns
 * (on stop(), at the latest when the process exits), and every WATCH_INTERVAL_MS checks that
 * the cluster still has a live owner, taking it over on `port` when it has none.
 */
function keepOwned(cluster: Cluster, port: number, started: ChildProcess | undefined) {
  const { log } = cluster.options;
  let child: ChildProcess | undefined;
  const onExit = () => child?.kill('SIGINT');
  const own = (postmaster: ChildProcess | undefined) => {
    child = postmaster;
    process.removeListener('exit', onExit);
    if (postmaster) process.once('exit', onExit);
  };
  own(started);

  // Returns what is wrong, if anything; each new problem is logged once, not every tick.
  let problem = '';
  const check = async (): Promise<string> => {
    if (child && !hasExited(child)) return '';
    own(undefined);
    const running = await inspectCluster(cluster.pgdata);
    if (running?.owner !== undefined) {
      return running.port === port
        ? ''
        : `the embedded PostgreSQL moved from port ${port} to ${running.port}: restart this process`;
    }
    if (!problem) {
      log.warn(
        running
          ? 'the process that ran the embedded PostgreSQL is gone: taking it over'
          : 'the embedded PostgreSQL stopped: starting it here',
      );
    }
    const ensured = await ensureRunning(cluster, port, false);
    if (ensured.child) {
      own(ensured.child);
      log.info({ port }, 'embedded PostgreSQL is running');
    }
    return '';
  };
  let stopping = false;
  let checking: Promise<void> | undefined;
  const watch = setInterval(() => {
    if (stopping || checking) return;
    checking = check()
      .catch((error: unknown) => `could not run the embedded PostgreSQL: ${String(error)}`)
      .then((found) => {
        if (found && found !== problem) log.error(found);
        problem = found;
      })
      .finally(() => (checking = undefined));
  }, WATCH_INTERVAL_MS);
  watch.unref();

  return async function stop() {
    stopping = true;
    clearInterval(watch);
    await checking; // a takeover under way finishes, then stops with the rest
    const postmaster = child;
    own(undefined);
    if (postmaster) await stopPostmaster(postmaster);
  };
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const { dataDir, log } = options;
  const bin = await loadBinaries();
  const runAs = resolveRunAs();
  const pgdata = path.join(dataDir, 'postgres');
  await prepareDataDir(runAs, bin, dataDir);
  const cluster: Cluster = { bin, runAs, dataDir, pgdata, options };

  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
    log.info({ pgdata }, 'creating the embedded PostgreSQL cluster');
    await initCluster(bin, dataDir, pgdata, runAs);
  }
  const wanted = options.port ?? (await recordedPort(dataDir)) ?? (await freePort());
  const { port, child, owner } = await ensureRunning(cluster, wanted, options.port === undefined);
  const stop = keepOwned(cluster, port, child);

  try {
    const password = await readOrCreatePassword(dataDir);
    const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    const database = options.database ?? 'makenot';
    await ensureDatabase(`${base}/postgres`, database);
    if (child) log.info({ port }, 'embedded PostgreSQL is running');
    else log.info({ port, owner }, 'using the embedded PostgreSQL another process runs');
    return { url: `${base}/${database}`, adminUrl: `${base}/postgres`, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
