// One PostgreSQL transaction that a whole piece of work runs in, whatever transactions the code
// inside it opens (platform/http/idempotency.ts runs a request with an Idempotency-Key this way,
// so its effects and its stored answer commit together or not at all).
//
// The app's Kysely instance (createDb) has a driver that asks an AsyncLocalStorage, once per
// connection it acquires, whether a pinned transaction is in force. Outside one nothing
// changes. Inside one:
// - every acquire leases the pinned connection instead of taking one from the pool;
// - `db.transaction()` becomes SAVEPOINT / RELEASE SAVEPOINT / ROLLBACK TO SAVEPOINT;
// - a query outside any transaction runs in a savepoint of its own, so a failing statement
//   (a unique violation a service catches, a malformed uuid) fails alone, as it would on its
//   own connection, instead of aborting the whole pinned transaction.
// Leases form a stack and only the newest one may speak: a transaction opened while another is
// open (nested in its callback, or beside it in a Promise.all) runs to its end before the older
// one goes on, so savepoints are always released in the order they were made. The owner's own
// statements and its COMMIT wait until every lease is returned.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  type AbortableOperationOptions,
  Kysely,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type pg from 'pg';
import { RoutingDriver, type ReadReplica } from './read-replica.js';

const pinnedScope = new AsyncLocalStorage<PinnedTransaction>();
const drivers = new WeakMap<object, PinningDriver>();

/**
 * A Kysely instance over the pool whose queries follow a pinned transaction when one runs
 * (and, with a read replica, whose anonymous public reads may go there: read-replica.ts).
 */
export function createPinnableKysely<T>(pool: pg.Pool, replica?: ReadReplica): Kysely<T> {
  let driver: PinningDriver | undefined;
  class PinnableDialect extends PostgresDialect {
    override createDriver(): Driver {
      const primary = super.createDriver();
      driver = new PinningDriver(replica ? new RoutingDriver(primary, replica) : primary);
      return driver;
    }
  }
  const db = new Kysely<T>({ dialect: new PinnableDialect({ pool }) });
  if (driver) drivers.set(db, driver);
  return db;
}

/**
 * Takes a connection from the pool and begins a transaction on it. Work run through `run()`
 * uses it for every query of `db`; the owner ends it with commit() or rollback().
 */
export async function openPinnedTransaction<T>(db: Kysely<T>): Promise<PinnedTransaction> {
  const driver = drivers.get(db);
  if (!driver) throw new Error('this Kysely instance was not made by createDb: it cannot pin');
  return driver.openPinned();
}

type Operation<R> = () => Promise<R>;

export class PinnedTransaction {
  #state: 'open' | 'closing' | 'closed' = 'open';
  readonly #leases: Lease[] = [];
  #savepoints = 0;
  /** the statement in flight: a lease's savepoint, query and release never interleave */
  #busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pinning: Driver,
    private readonly driver: Driver,
    private readonly connection: DatabaseConnection,
  ) {}

  /** @internal another database (a second Kysely instance) is never pinned by this one */
  pinnedBy(driver: Driver): boolean {
    return driver === this.pinning;
  }

  /** Runs work (and whatever it starts) with every query of the app's database in here. */
  run<R>(work: () => R): R {
    return pinnedScope.run(this, work);
  }

  /** Whether acquisitions still come here; false once commit or rollback has begun. */
  get open(): boolean {
    return this.#state === 'open';
  }

  /** The owner's own statement, once no lease is out. */
  execute<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> {
    return this.exclusive(undefined, () => this.connection.executeQuery<R>(query));
  }

  async commit(): Promise<void> {
    await this.end(async () => {
      try {
        await this.driver.commitTransaction(this.connection);
      } catch (error) {
        // a commit that failed on a live connection leaves nothing behind; a dead one is
        // discarded by the rollback's failure
        await this.driver.rollbackTransaction(this.connection).catch(() => undefined);
        throw error;
      }
    });
  }

  async rollback(): Promise<void> {
    await this.end(() => this.driver.rollbackTransaction(this.connection));
  }

  private async end(finish: Operation<void>): Promise<void> {
    if (this.#state !== 'open') throw new Error('the pinned transaction has already ended');
    this.#state = 'closing';
    try {
      await this.exclusive(undefined, finish);
    } finally {
      this.#state = 'closed';
      await this.driver.releaseConnection(this.connection);
    }
  }

  /** @internal the driver hands a lease to Kysely for each acquire */
  lease(): Lease {
    const lease = new Lease(this);
    this.#leases.push(lease);
    return lease;
  }

  /** @internal */
  returnLease(lease: Lease): void {
    const index = this.#leases.indexOf(lease);
    if (index !== -1) this.#leases.splice(index, 1);
  }

  /** @internal a fresh savepoint name, unique in this transaction */
  nextSavepoint(): string {
    return `mnw_pin_${++this.#savepoints}`;
  }

  /** @internal runs a statement on the connection */
  send<R>(query: CompiledQuery<R>): Promise<QueryResult<R>> {
    return this.connection.executeQuery<R>(query);
  }

  /**
   * Runs an operation once `lease` is the newest lease out (the owner: once none is) and no
   * other operation is in flight.
   */
  async exclusive<R>(lease: Lease | undefined, operation: Operation<R>): Promise<R> {
    for (;;) {
      const newest = this.#leases.at(-1);
      if (newest !== lease && newest !== undefined) {
        if (lease !== undefined && !this.#leases.includes(lease)) {
          throw new Error('a returned connection lease was used');
        }
        await newest.returned;
        continue;
      }
      const before = this.#busy;
      let done: () => void = () => undefined;
      this.#busy = new Promise<void>((resolve) => (done = resolve));
      await before;
      // a lease taken while this one waited for the statement in flight goes first
      if (this.#leases.at(-1) !== lease) {
        done();
        continue;
      }
      try {
        return await operation();
      } finally {
        done();
      }
    }
  }
}

/** What Kysely holds as "a connection" inside a pinned transaction. */
class Lease implements DatabaseConnection {
  readonly returned: Promise<void>;
  #markReturned: () => void = () => undefined;
  readonly #savepoints: string[] = [];

  constructor(private readonly owner: PinnedTransaction) {
    this.returned = new Promise<void>((resolve) => (this.#markReturned = resolve));
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.owner.exclusive(this, async () => {
      if (this.#savepoints.length > 0) return this.owner.send<R>(query);
      // a statement on its own: it fails alone, as it would on its own connection
      const name = this.owner.nextSavepoint();
      await this.owner.send(CompiledQuery.raw(`savepoint ${name}`));
      try {
        const result = await this.owner.send<R>(query);
        await this.owner.send(CompiledQuery.raw(`release savepoint ${name}`));
        return result;
      } catch (error) {
        await this.undo(name).catch(() => undefined);
        throw error;
      }
    });
  }

  // eslint-disable-next-line require-yield -- an async generator that refuses at once
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported inside a pinned transaction');
  }

  begin(settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel !== undefined || settings.accessMode !== undefined) {
      // a savepoint cannot change them; refusing is better than running with other guarantees
      return Promise.reject(
        new Error('a transaction with its own isolation or access mode cannot run pinned'),
      );
    }
    return this.owner.exclusive(this, async () => {
      const name = this.owner.nextSavepoint();
      await this.owner.send(CompiledQuery.raw(`savepoint ${name}`));
      this.#savepoints.push(name);
    });
  }

  commit(): Promise<void> {
    return this.owner.exclusive(this, async () => {
      const name = this.#savepoints.at(-1);
      if (name === undefined) throw new Error('no transaction to commit');
      // after a failed statement this throws (25P02), and Kysely rolls back
      await this.owner.send(CompiledQuery.raw(`release savepoint ${name}`));
      this.#savepoints.pop();
    });
  }

  rollback(): Promise<void> {
    return this.owner.exclusive(this, async () => {
      const name = this.#savepoints.pop();
      if (name === undefined) throw new Error('no transaction to roll back');
      await this.undo(name);
    });
  }

  release(): void {
    this.owner.returnLease(this);
    this.#markReturned();
  }

  private async undo(name: string): Promise<void> {
    await this.owner.send(CompiledQuery.raw(`rollback to savepoint ${name}`));
    await this.owner.send(CompiledQuery.raw(`release savepoint ${name}`));
  }
}

/** PostgresDriver with one question per acquire: is a pinned transaction in force here? */
class PinningDriver implements Driver {
  #initialized: Promise<void> | undefined;

  constructor(private readonly inner: Driver) {}

  init(options?: AbortableOperationOptions): Promise<void> {
    this.#initialized ??= this.inner.init(options).catch((error: unknown) => {
      this.#initialized = undefined; // tried again on the next use, as Kysely does
      throw error;
    });
    return this.#initialized;
  }

  async acquireConnection(options?: AbortableOperationOptions): Promise<DatabaseConnection> {
    const pinned = pinnedScope.getStore();
    if (pinned?.open === true && pinned.pinnedBy(this)) return pinned.lease();
    return this.inner.acquireConnection(options);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (connection instanceof Lease) return connection.begin(settings);
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof Lease) return connection.commit();
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof Lease) return connection.rollback();
    return this.inner.rollbackTransaction(connection);
  }

  // Kysely's named savepoints (controlled transactions) are plain statements on the lease.
  async savepoint(...args: Parameters<NonNullable<Driver['savepoint']>>): Promise<void> {
    await this.inner.savepoint?.(...args);
  }

  async rollbackToSavepoint(
    ...args: Parameters<NonNullable<Driver['rollbackToSavepoint']>>
  ): Promise<void> {
    await this.inner.rollbackToSavepoint?.(...args);
  }

  async releaseSavepoint(
    ...args: Parameters<NonNullable<Driver['releaseSavepoint']>>
  ): Promise<void> {
    await this.inner.releaseSavepoint?.(...args);
  }

  async releaseConnection(
    connection: DatabaseConnection,
    options?: AbortableOperationOptions,
  ): Promise<void> {
    if (connection instanceof Lease) connection.release();
    else await this.inner.releaseConnection(connection, options);
  }

  destroy(options?: AbortableOperationOptions): Promise<void> {
    return this.inner.destroy(options);
  }

  async openPinned(): Promise<PinnedTransaction> {
    await this.init();
    const connection = await this.inner.acquireConnection();
    try {
      await this.inner.beginTransaction(connection, {});
    } catch (error) {
      await this.inner.releaseConnection(connection);
      throw error;
    }
    return new PinnedTransaction(this, this.inner, connection);
  }
}
