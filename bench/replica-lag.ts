// How far a streaming replica falls behind under write load, on this machine (docs/operations.md,
// "Scaling past one machine"): `npm run bench -- replica` (not in the default set), or alone,
//   node --import tsx bench/replica-lag.ts
// A durable embedded primary (fsync on) and a durable standby made as the replica test makes
// one (test/helpers/replica.ts); CLIENTS writers run, for SECONDS, transactions shaped like a
// webhook's apply (an order-like row of ~600 bytes in a table with three indexes, a counter
// row updated, a ledger-like row inserted); every 100 ms the primary is asked how far the
// standby has replayed (pg_stat_replication.replay_lag, and the bytes between
// pg_current_wal_lsn and replay_lsn), and the app's own lag check (db/read-replica.ts) is run
// as the app runs it with the default 2 s bound (a check every 500 ms). Prints commits/s, WAL MB/s and the lag percentiles.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { createPool } from '../src/db/database.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { ReadReplica } from '../src/db/read-replica.js';
import { startReplica } from '../test/helpers/replica.js';
import type { BenchRow } from './table.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const log = pino({ level: 'silent' });

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

/** Runs the write load against a primary with a standby; the table's rows. */
export async function benchReplicaLag(): Promise<BenchRow[]> {
  const primaryDir = await mkdtemp(path.join(tmpdir(), 'makenot-lag-primary-'));
  const replicaDir = await mkdtemp(path.join(tmpdir(), 'makenot-lag-replica-'));
  const primary = await startEmbeddedPostgres({ dataDir: primaryDir, log, database: 'makenot' });
  try {
    const setup = new pg.Client({ connectionString: primary.url });
    await setup.connect();
    await setup.query(`create table bench_orders (id bigserial primary key, buyer uuid not null,
    item uuid not null, amount bigint not null, note text not null, created_at timestamptz
    not null default now())`);
    await setup.query('create index on bench_orders (buyer)');
    await setup.query('create index on bench_orders (item, created_at)');
    await setup.query('create table bench_counts (item int primary key, sales bigint not null)');
    await setup.query('insert into bench_counts select g, 0 from generate_series(1, 1000) g');
    await setup.query(`create table bench_postings (id bigserial primary key, order_id bigint not
    null, account text not null, amount bigint not null)`);
    await setup.end();

    const replica = await startReplica({
      primaryDataDir: primaryDir,
      primaryAdminUrl: primary.adminUrl,
      replicaDir,
      database: 'makenot',
      log,
      fast: false,
    });
    const checkPool = createPool(primary.url, { max: 2 });
    const check = new ReadReplica({
      primary: checkPool,
      replica: createPool(replica.url, { max: 2 }),
      maxLagMs: 2000,
      log,
    });
    await check.start();

    const walStart = await primary_lsn(checkPool);
    const deadline = Date.now() + SECONDS * 1000;
    let commits = 0;
    const writer = async () => {
      const client = new pg.Client({ connectionString: primary.url });
      await client.connect();
      while (Date.now() < deadline) {
        await client.query('begin');
        const { rows } = await client.query<{ id: string }>(
          `insert into bench_orders (buyer, item, amount, note)
         values (gen_random_uuid(), gen_random_uuid(), 500, repeat('x', 500)) returning id`,
        );
        await client.query('update bench_counts set sales = sales + 1 where item = $1', [
          1 + Math.floor(Math.random() * 1000),
        ]);
        await client.query(
          `insert into bench_postings (order_id, account, amount)
         values ($1, 'fan', -500), ($1, 'creator', 500), ($1, 'fees', 0)`,
          [rows[0]?.id],
        );
        await client.query('commit');
        commits++;
      }
      await client.end();
    };
    const lagMs: number[] = [];
    const lagBytes: number[] = [];
    const staleness: number[] = [];
    const sampler = (async () => {
      while (Date.now() < deadline) {
        const { rows } = await checkPool.query<{ ms: string | null; bytes: string | null }>(
          `select extract(epoch from replay_lag) * 1000 as ms,
                pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text as bytes
           from pg_stat_replication`,
        );
        const row = rows[0];
        if (row) {
          lagMs.push(Number(row.ms ?? 0));
          lagBytes.push(Number(row.bytes ?? 0));
        }
        staleness.push(check.lagMs);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const started = Date.now();
    await Promise.all([...Array.from({ length: CLIENTS }, writer), sampler]);
    const elapsed = (Date.now() - started) / 1000;
    const walMb = Number((await primary_lsn(checkPool)) - walStart) / 1e6;
    await replica.caughtUp();
    const rows = [
      ['clients', String(CLIENTS)],
      ['commits/s', (commits / elapsed).toFixed(0)],
      ['WAL MB/s', (walMb / elapsed).toFixed(2)],
      ['replay_lag p50 ms', percentile(lagMs, 50).toFixed(1)],
      ['replay_lag p99 ms', percentile(lagMs, 99).toFixed(1)],
      ['replay_lag max ms', Math.max(...lagMs).toFixed(1)],
      ['bytes behind p50', percentile(lagBytes, 50).toFixed(0)],
      ['bytes behind max', Math.max(...lagBytes).toFixed(0)],
      [
        'app lag check (every 500 ms): staleness bound p50 ms',
        percentile(staleness, 50).toFixed(0),
      ],
      ['app lag check: staleness bound max ms', Math.max(...staleness).toFixed(0)],
      [
        'samples over the 2 s bound (replica not read from)',
        `${String(staleness.filter((s) => s > 2000).length)} of ${String(staleness.length)}`,
      ],
    ];
    for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
    await check.close();
    await checkPool.end();
    await replica.stop();
    const over = staleness.filter((s) => s > 2000).length;
    return [
      {
        row: `replica: write transactions on the primary (${String(CLIENTS)} writers)`,
        value: Math.round(commits / elapsed),
        unit: 'commits/s',
      },
      {
        row: 'replica: replay lag under that load (max; p50, p99)',
        value: Math.round(Math.max(...lagMs)),
        unit: 'ms',
        p50: percentile(lagMs, 50),
        p99: percentile(lagMs, 99),
      },
      {
        row: "replica: the app's lag check, samples over the bound",
        value: over,
        unit: `of ${String(staleness.length)}`,
        goal: 'none over the 2 s bound',
        met: over === 0,
      },
    ];
  } finally {
    await primary.stop();
    await rm(primaryDir, { recursive: true, force: true });
    await rm(replicaDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchReplicaLag();

async function primary_lsn(pool: pg.Pool): Promise<bigint> {
  const { rows } = await pool.query<{ at: string }>(
    `select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as at`,
  );
  return BigInt(rows[0]?.at ?? '0');
}
