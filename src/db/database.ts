import type { Kysely, Transaction } from 'kysely';
import pg from 'pg';
import { createPinnableKysely } from './pinned-connection.js';
import type { ReadReplica } from './read-replica.js';
import type { Tables } from './schema.js';

export type Db = Kysely<Tables>;
export type Trx = Transaction<Tables>;
/** Functions that may run inside or outside a transaction take this. */
export type Executor = Db | Trx;

// bigint columns (money in minor units, counts) come back as strings by default; parse them
// as numbers only while they are safe integers, so nothing is silently rounded.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} is not a safe integer`);
  return n;
});

export interface PoolOptions {
  max?: number;
  applicationName?: string;
  /** how long to wait for a connection (default 5 s; the read replica's is shorter) */
  connectionTimeoutMillis?: number;
  /**
   * The job queue's own pool (see jobs/runner.ts). Commits without waiting for the WAL flush
   * (synchronous_commit=off): losing one in a database crash only runs a job again. And plans
   * every statement for its parameters (plan_cache_mode=force_custom_plan): graphile-worker's
   * prepared get_job filters `is_available = $3`, so the generic plan PostgreSQL switches to
   * after five runs cannot use the queue's partial index `where is_available = true` and scans
   * and sorts the whole job table; with a backlog that was 1.9 ms per job taken instead of 0.24.
   */
  jobQueue?: boolean;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'makenot',
    ...(options.jobQueue === true && {
      options: '-c synchronous_commit=off -c plan_cache_mode=force_custom_plan',
    }),
  });
  // An idle client losing its connection (database restart) must not crash the process;
  // the pool replaces it and the next query reconnects.
  pool.on('error', () => undefined);
  // Same for a checked-out client whose connection drops: the query in flight fails, the
  // process does not.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * The app's Kysely instance. Its queries may be pinned to one request-wide transaction
 * (pinned-connection.ts, used for Idempotency-Key); with a read replica, the anonymous public
 * reads may go there (read-replica.ts); otherwise it is Kysely's PostgresDialect.
 */
export function createDb(pool: pg.Pool, replica?: ReadReplica): Db {
  return createPinnableKysely<Tables>(pool, replica);
}

/** One short query that fails fast, with a message naming what went wrong. */
export async function probeDatabase(pool: pg.Pool): Promise<void> {
  await pool.query('select 1');
}

// SQLSTATE classes and codes that mean "the database cannot serve us right now", not "this
// query is wrong": connection exceptions, shutdown in progress, starting up, too many clients.
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
// node-postgres reports a lost or unobtainable connection with these messages and no code.
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * Whether an error says the database is unreachable (restarting, network trouble, pool
 * exhausted) rather than that a query failed: such a request deserves a 503 with Retry-After,
 * and the pool reconnects on its own once the database is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_SOCKET_CODES.has(code)) return true;
    }
    if (UNAVAILABLE_MESSAGES.test(e.message)) return true;
    e = e.cause;
  }
  return false;
}
