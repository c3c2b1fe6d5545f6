// DATABASE_READ_URL: a streaming replica that answers anonymous reads of public pages, so the
// primary keeps its time for writes, signed-in pages and the job queue (docs/decisions.md,
// "Read replicas").
//
// Which queries go there is decided per statement, below every module: the app's Kysely
// driver (createDb) hands out a connection that takes a real one only when its first statement
// arrives, and sends it to the replica when all of these hold:
// - the request's scope allows it (platform/request-scope.ts): an anonymous GET or HEAD of a
//   public page, search or feed, without a session, token or read-your-writes marker
//   (platform/http/replica-reads.ts); work outside a request (jobs, the CLI) never may;
// - it is a SELECT (or raw SQL that starts with SELECT or WITH) outside any transaction, or
//   a transaction begun READ ONLY (`db.transaction().setAccessMode('read only')`, as search
//   does); every other transaction and statement goes to the primary, and so does everything
//   after it in that request (denyReplicaReads);
// - the replica is usable: the last check reached it within the lag bound and no query has
//   failed on it since (a circuit breaker: a failure opens it at once, the next check a
//   second later may close it; requests never wait on a replica that is down).
// A statement the replica cannot answer (unreachable, a write it refuses as read-only, a
// conflict with recovery) runs again on the primary, once; that is safe because it did
// nothing there. Inside a read-only transaction on the replica nothing is run again: the
// failure is the request's (a 503 when the replica went away), and the circuit opens.
//
// Lag is measured from the primary's side, with functions any role may call: every check
// records the primary's WAL position (pg_current_wal_lsn) with the time, and asks the replica
// how far it has replayed (pg_last_wal_replay_lsn). The replica holds every commit made before
// the newest recorded time whose position it has replayed, so "now minus that time" bounds
// how stale it can be; it is 0 when it has replayed everything, whatever the primary's load,
// and it never grows on an idle pair.
import {
  PostgresDriver,
  type AbortableOperationOptions,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type pg from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../platform/log.js';
import { denyReplicaReads, replicaReadsAllowed } from '../platform/request-scope.js';
import { isDatabaseUnavailable } from './database.js';

export interface ReadReplicaOptions {
  /** the primary: where its WAL position is read */
  primary: pg.Pool;
  /** the replica's own pool */
  replica: pg.Pool;
  /** a replica more stale than this is not read from */
  maxLagMs: number;
  /**
   * how often lag and reachability are checked (and a failed replica tried again); the lag
   * measured is at most this much more than the real one. Default: a quarter of the bound,
   * between 100 ms and 1 s.
   */
  checkIntervalMs?: number;
  log: Logger;
  /** where the replica's metrics are registered (/metrics) */
  registry?: Registry;
}

export type ReplicaState = 'starting' | 'up' | 'down' | 'lagging';

/** Why a statement that could have gone to the replica went to the primary. */
type FallbackReason = 'down' | 'lagging' | 'starting' | 'failed' | 'refused' | 'conflict';

interface Sample {
  at: number;
  lsn: bigint;
}

/** '16/B374D848' → a number that orders like the WAL position. */
export function parseLsn(text: string): bigint {
  const [high = '', low = ''] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`);
}

/**
 * How stale a replica that has replayed up to `replayed` can be at `now`, given the primary's
 * positions recorded at known times (oldest first): now minus the newest time whose position
 * it has replayed; when it has replayed none of them, unknown (infinite): it is at least as
 * old as the oldest, and nothing says by how much.
 */
export function stalenessMs(samples: readonly Sample[], replayed: bigint, now: number): number {
  for (let i = samples.length - 1; i >= 0; i--) {
    const sample = samples[i];
    if (sample && sample.lsn <= replayed) return Math.max(0, now - sample.at);
  }
  return Number.POSITIVE_INFINITY;
}

// SQLSTATEs after which a statement that failed on the replica runs on the primary:
// read_only_sql_transaction (a write in a SELECT: FOR UPDATE, nextval) and
// serialization_failure (here: cancelled by a conflict with recovery).
const REFUSED = '25006';
const RECOVERY_CONFLICT = '40001';

export class ReadReplica {
  #state: ReplicaState = 'starting';
  /** until when the replica is within the bound, by the last check: it held every commit made
   *  before the time of the newest position it had replayed, and may be that much behind */
  #freshUntil = 0;
  #lagMs = Number.POSITIVE_INFINITY;
  #samples: Sample[] = [];
  #timer: NodeJS.Timeout | undefined;
  #checking: Promise<void> | undefined;
  #warnedNotStandby = false;
  readonly #interval: number;
  readonly #reads: Counter | undefined;
  readonly #fallbacks: Counter<'reason'> | undefined;
  readonly #up: Gauge | undefined;
  readonly #lag: Gauge | undefined;

  constructor(readonly options: ReadReplicaOptions) {
    this.#interval =
      options.checkIntervalMs ?? Math.min(1000, Math.max(100, Math.round(options.maxLagMs / 4)));
    const registers = options.registry ? [options.registry] : [];
    if (options.registry) {
      this.#reads = new Counter({
        name: 'db_replica_reads_total',
        help: 'Statements answered by the read replica (DATABASE_READ_URL)',
        registers,
      });
      this.#fallbacks = new Counter({
        name: 'db_replica_fallbacks_total',
        help: 'Statements that could have gone to the read replica but went to the primary, by reason',
        labelNames: ['reason'],
        registers,
      });
      this.#up = new Gauge({
        name: 'db_replica_up',
        help: '1 while anonymous public reads go to the read replica',
        registers,
      });
      this.#lag = new Gauge({
        name: 'db_replica_lag_seconds',
        help: 'How stale the read replica can be, at the last check',
        registers,
      });
    }
  }

  get state(): ReplicaState {
    return this.#state;
  }

  /** How stale the replica could be at the last check that reached it (Infinity: unknown). */
  get lagMs(): number {
    return this.#lagMs;
  }

  get pool(): pg.Pool {
    return this.options.replica;
  }

  /** Checks now, then every interval until close(). */
  async start(): Promise<void> {
    await this.check();
    this.#timer = setInterval(() => void this.check(), this.#interval);
    this.#timer.unref();
  }

  /** One check of reachability and lag (runs at most one at a time). */
  check(): Promise<void> {
    this.#checking ??= this.#check().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async #check(): Promise<void> {
    const at = Date.now();
    let primaryLsn: bigint;
    try {
      const { rows } = await this.options.primary.query<{ lsn: string }>(
        'select pg_current_wal_lsn()::text as lsn',
      );
      primaryLsn = parseLsn(rows[0]?.lsn ?? '0/0');
    } catch {
      return; // the primary is away: nothing to compare with, and nothing reads anyway
    }
    this.#samples.push({ at, lsn: primaryLsn });
    // A replica behind every sample kept is more than this behind: lagging, whatever else.
    const horizon = at - this.options.maxLagMs - 2 * this.#interval;
    while (this.#samples.length > 1 && (this.#samples[0]?.at ?? at) < horizon)
      this.#samples.shift();
    let replayed: bigint;
    try {
      const timeout = new Promise<never>((_, reject) => {
        setTimeout(
          () => reject(new Error('the replica did not answer within the check interval')),
          Math.max(this.#interval, 1000),
        ).unref();
      });
      const { rows } = await Promise.race([
        this.options.replica.query<{ standby: boolean; lsn: string | null }>(
          'select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as lsn',
        ),
        timeout,
      ]);
      const row = rows[0];
      if (row?.standby === false) {
        // a server that is not replaying anything (a promoted replica, a proxy to the primary)
        if (!this.#warnedNotStandby) {
          this.options.log.warn('DATABASE_READ_URL is not a standby: it is read from as it is');
          this.#warnedNotStandby = true;
        }
        replayed = primaryLsn;
      } else {
        replayed = parseLsn(row?.lsn ?? '0/0');
      }
    } catch (error) {
      this.#become('down', (error as Error).message);
      return;
    }
    const now = Date.now();
    const lag = stalenessMs(this.#samples, replayed, now);
    this.#lagMs = lag;
    this.#lag?.set(Number.isFinite(lag) ? lag / 1000 : -1);
    this.#freshUntil = now - lag + this.options.maxLagMs;
    if (lag > this.options.maxLagMs) this.#become('lagging', `${lag} ms behind`);
    else this.#become('up');
  }

  #become(state: ReplicaState, why?: string): void {
    const was = this.#state;
    this.#state = state;
    this.#up?.set(state === 'up' ? 1 : 0);
    if (was === state) return;
    if (state === 'up') {
      this.options.log.info({ was }, 'read replica in use');
    } else {
      this.options.log.warn(
        { state, why },
        `read replica ${state}: its reads go to the primary until a check finds it usable`,
      );
    }
  }

  /**
   * Whether a replica read may be tried now: the circuit is closed and the last check, however
   * long ago, showed the replica within the bound until now.
   */
  get usable(): boolean {
    return this.#state === 'up' && Date.now() <= this.#freshUntil;
  }

  /** Why a replica read may not be tried now. */
  get unusableBecause(): FallbackReason {
    return this.#state === 'up' ? 'lagging' : this.#state;
  }

  /**
   * How long a writer keeps reading from the primary after a write: a read after that comes
   * from a replica that held every commit made at least the lag bound before it.
   */
  get readYourWritesSeconds(): number {
    return Math.ceil(this.options.maxLagMs / 1000) + 1;
  }

  /** @internal a statement went to the replica */
  served(): void {
    this.#reads?.inc();
  }

  /** @internal a statement that could have gone to the replica went to the primary */
  fellBack(reason: FallbackReason): void {
    this.#fallbacks?.inc({ reason });
  }

  /** @internal the replica failed a statement as unreachable: open the circuit now */
  failed(error: unknown): void {
    this.fellBack('failed');
    if (this.#state === 'up') this.#become('down', (error as Error).message);
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#checking;
    await this.options.replica.end().catch(() => undefined);
  }
}

/** Whether the replica may answer this statement: a SELECT, or raw SQL that reads. */
function isRead(query: CompiledQuery): boolean {
  const kind = query.query.kind;
  if (kind === 'SelectQueryNode') return true;
  return kind === 'RawNode' && /^[\s(]*(select|with)\b/i.test(query.sql);
}

interface Bound {
  driver: Driver;
  connection: DatabaseConnection;
  replica: boolean;
}

/**
 * What Kysely holds as a connection: it takes a real one from the primary or the replica when
 * its first statement (or transaction) arrives, and moves to the primary for good at the first
 * statement outside a transaction that the replica should not or could not answer.
 */
class RoutingConnection implements DatabaseConnection {
  #bound: Bound | undefined;
  #transaction = false;

  constructor(
    private readonly router: RoutingDriver,
    /** decided when Kysely acquired it, inside the request's scope */
    readonly mayUseReplica: boolean,
  ) {}

  get replica(): ReadReplica {
    return this.router.replica;
  }

  async primary(options?: AbortableOperationOptions): Promise<DatabaseConnection> {
    if (this.#bound?.replica === true) await this.unbind();
    this.#bound ??= {
      driver: this.router.primary,
      connection: await this.router.primary.acquireConnection(options),
      replica: false,
    };
    return this.#bound.connection;
  }

  /** A replica connection, or undefined when the replica may not or cannot be used now. */
  private async onReplica(options?: AbortableOperationOptions): Promise<Bound | undefined> {
    if (this.#bound) return this.#bound.replica ? this.#bound : undefined;
    if (!this.replica.usable) {
      this.replica.fellBack(this.replica.unusableBecause);
      return undefined;
    }
    try {
      this.#bound = {
        driver: this.router.replicaDriver,
        connection: await this.router.replicaDriver.acquireConnection(options),
        replica: true,
      };
      return this.#bound;
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.replica.failed(error);
      return undefined;
    }
  }

  async executeQuery<R>(
    query: CompiledQuery,
    options?: AbortableOperationOptions,
  ): Promise<QueryResult<R>> {
    if (this.#transaction && this.#bound) return this.inTransaction<R>(this.#bound, query, options);
    const read = isRead(query);
    if (!read) denyReplicaReads(); // read-your-writes, for the rest of this request
    if (read && this.mayUseReplica) {
      const bound = await this.onReplica(options);
      if (bound) {
        try {
          const result = await bound.connection.executeQuery<R>(query, options);
          this.replica.served();
          return result;
        } catch (error) {
          if (!this.canRetry(error)) throw error;
          await this.unbind();
        }
      }
    }
    return (await this.primary(options)).executeQuery<R>(query, options);
  }

  /** Whether a statement that failed on the replica may run again on the primary. */
  private canRetry(error: unknown): boolean {
    const code = (error as { code?: unknown }).code;
    if (isDatabaseUnavailable(error)) this.replica.failed(error);
    else if (code === REFUSED) this.replica.fellBack('refused');
    else if (code === RECOVERY_CONFLICT) this.replica.fellBack('conflict');
    else return false;
    return true;
  }

  /** A statement of an open transaction runs where the transaction began, come what may. */
  private async inTransaction<R>(
    bound: Bound,
    query: CompiledQuery,
    options?: AbortableOperationOptions,
  ): Promise<QueryResult<R>> {
    if (!bound.replica) return bound.connection.executeQuery<R>(query, options);
    try {
      const result = await bound.connection.executeQuery<R>(query, options);
      this.replica.served();
      return result;
    } catch (error) {
      if (isDatabaseUnavailable(error)) this.replica.failed(error);
      throw error;
    }
  }

  /**
   * BEGIN: a READ ONLY transaction of a request that may read from the replica begins there
   * (it cannot write, and everything it reads is one snapshot of the replica); any other
   * transaction, on the primary.
   */
  async begin(settings: TransactionSettings, options?: AbortableOperationOptions): Promise<void> {
    if (settings.accessMode === 'read only' && this.mayUseReplica && !this.#bound) {
      const bound = await this.onReplica(options);
      if (bound) {
        try {
          await bound.driver.beginTransaction(bound.connection, settings);
          this.#transaction = true;
          return;
        } catch (error) {
          if (!this.canRetry(error)) throw error;
          await this.unbind();
        }
      }
    }
    denyReplicaReads();
    await this.router.primary.beginTransaction(await this.primary(options), settings);
    this.#transaction = true;
  }

  /** COMMIT, ROLLBACK and savepoints: on the transaction's own connection. */
  async ending(
    work: (driver: Driver, connection: DatabaseConnection) => Promise<void>,
    ends: boolean,
  ): Promise<void> {
    const bound = this.#bound ?? {
      driver: this.router.primary,
      connection: await this.primary(),
      replica: false,
    };
    try {
      await work(bound.driver, bound.connection);
    } catch (error) {
      if (bound.replica && isDatabaseUnavailable(error)) this.replica.failed(error);
      throw error;
    } finally {
      if (ends) this.#transaction = false;
    }
  }

  async *streamQuery<R>(
    query: CompiledQuery,
    chunkSize: number,
    options?: AbortableOperationOptions,
  ): AsyncIterableIterator<QueryResult<R>> {
    // streams are rare and long: where the transaction is, else the primary, never retried
    const connection =
      this.#transaction && this.#bound ? this.#bound.connection : await this.primary(options);
    yield* connection.streamQuery<R>(query, chunkSize, options);
  }

  async cancelQuery(
    ...args: Parameters<NonNullable<DatabaseConnection['cancelQuery']>>
  ): Promise<void> {
    await this.#bound?.connection.cancelQuery?.(...args);
  }

  async killSession(
    ...args: Parameters<NonNullable<DatabaseConnection['killSession']>>
  ): Promise<void> {
    await this.#bound?.connection.killSession?.(...args);
  }

  async unbind(options?: AbortableOperationOptions): Promise<void> {
    const bound = this.#bound;
    this.#bound = undefined;
    this.#transaction = false;
    if (bound) await bound.driver.releaseConnection(bound.connection, options);
  }
}

function routing(connection: DatabaseConnection): RoutingConnection {
  if (connection instanceof RoutingConnection) return connection;
  throw new Error('a connection the routing driver did not hand out');
}

/** Kysely's PostgresDriver for the primary, and one for the replica chosen per statement. */
export class RoutingDriver implements Driver {
  readonly replicaDriver: Driver;

  constructor(
    readonly primary: Driver,
    readonly replica: ReadReplica,
  ) {
    this.replicaDriver = new PostgresDriver({ pool: replica.pool });
  }

  async init(options?: AbortableOperationOptions): Promise<void> {
    await this.primary.init(options);
    await this.replicaDriver.init(options);
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(new RoutingConnection(this, replicaReadsAllowed()));
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    await routing(connection).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await routing(connection).ending((d, c) => d.commitTransaction(c), true);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await routing(connection).ending((d, c) => d.rollbackTransaction(c), true);
  }

  async savepoint(...args: Parameters<NonNullable<Driver['savepoint']>>): Promise<void> {
    const [connection, ...rest] = args;
    await routing(connection).ending(async (d, c) => d.savepoint?.(c, ...rest), false);
  }

  async rollbackToSavepoint(
    ...args: Parameters<NonNullable<Driver['rollbackToSavepoint']>>
  ): Promise<void> {
    const [connection, ...rest] = args;
    await routing(connection).ending(async (d, c) => d.rollbackToSavepoint?.(c, ...rest), false);
  }

  async releaseSavepoint(
    ...args: Parameters<NonNullable<Driver['releaseSavepoint']>>
  ): Promise<void> {
    const [connection, ...rest] = args;
    await routing(connection).ending(async (d, c) => d.releaseSavepoint?.(c, ...rest), false);
  }

  async releaseConnection(
    connection: DatabaseConnection,
    options?: AbortableOperationOptions,
  ): Promise<void> {
    await routing(connection).unbind(options);
  }

  async destroy(options?: AbortableOperationOptions): Promise<void> {
    await this.primary.destroy(options);
    await this.replica.close();
  }
}
