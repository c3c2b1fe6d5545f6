/* eslint-disable @typescript-eslint/only-throw-error -- tus answers HTTP errors by throwing its
   {status_code, body} objects (ERRORS.*), which are not Error instances. */
// A tus Locker held in PostgreSQL, so two requests for one upload exclude each other on any
// instance. A lock is a lease row (30 s, renewed every 10 s while held), so a crashed instance
// frees its uploads within 30 s. A request that finds the upload locked asks the holder to let
// go (tus clients resume with a new request while the old one may still be half-open): it
// flags the row and NOTIFYs `upload_lock_release`; the holding instance cancels its request,
// which stores what it received and unlocks, and NOTIFYs `upload_lock_released`.
import { randomUUID } from 'node:crypto';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/utils';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Notifications } from '../../platform/notifications.js';

const LEASE_SECONDS = 30;
const RENEW_MS = 10_000;
/** how long a request waits for the lock before answering 500 (tus clients then retry) */
const ACQUIRE_TIMEOUT_MS = 20_000;
const RELEASE_CHANNEL = 'upload_lock_release';
const RELEASED_CHANNEL = 'upload_lock_released';

interface Held {
  holder: string;
  requestRelease: RequestRelease;
  renew: NodeJS.Timeout;
}

export class PgLocker implements Locker {
  /** locks this process holds, by upload id */
  private readonly held = new Map<string, Held>();
  /** requests of this process waiting for a lock, woken when one is released anywhere */
  private readonly waiters = new Map<string, Set<() => void>>();
  private listening: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly notifications: Notifications,
  ) {}

  newLock(id: string): Lock {
    return new PgLock(this, id);
  }

  /** Subscribes once per process to both channels. */
  listen(): Promise<void> {
    this.listening ??= (async () => {
      await this.notifications.subscribe(RELEASE_CHANNEL, (id) => {
        void this.held.get(id)?.requestRelease();
      });
      await this.notifications.subscribe(RELEASED_CHANNEL, (id) => this.wake(id));
    })();
    return this.listening;
  }

  wake(id: string) {
    for (const wake of this.waiters.get(id) ?? []) wake();
  }

  async tryAcquire(id: string, holder: string): Promise<boolean> {
    const row = await sql<{ holder: string }>`
      insert into upload_locks (upload_id, holder, expires_at)
      values (${id}, ${holder}, now() + make_interval(secs => ${LEASE_SECONDS}))
      on conflict (upload_id) do update
        set holder = excluded.holder, expires_at = excluded.expires_at, release_requested = false
        where upload_locks.expires_at < now()
      returning holder
    `.execute(this.db);
    return row.rows[0]?.holder === holder;
  }

  async askRelease(id: string): Promise<void> {
    await sql`
      with flagged as (
        update upload_locks set release_requested = true where upload_id = ${id} returning 1
      )
      select pg_notify(${RELEASE_CHANNEL}, ${id}) from flagged
    `.execute(this.db);
  }

  /** Resolves on the next release of `id` anywhere, or after `ms` (a lease may just expire). */
  waitForRelease(id: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  hold(id: string, holder: string, requestRelease: RequestRelease) {
    const renew = setInterval(() => {
      void this.renew(id, holder);
    }, RENEW_MS);
    renew.unref();
    this.held.set(id, { holder, requestRelease, renew });
  }

  private async renew(id: string, holder: string) {
    const result = await this.db
      .updateTable('upload_locks')
      .set({ expires_at: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
      .where('upload_id', '=', id)
      .where('holder', '=', holder)
      .returning('release_requested')
      .executeTakeFirst()
      .catch(() => undefined);
    // A release asked while the notification was lost is still seen here.
    if (result?.release_requested) await this.held.get(id)?.requestRelease();
  }

  async release(id: string, holder: string) {
    const held = this.held.get(id);
    if (held?.holder === holder) {
      clearInterval(held.renew);
      this.held.delete(id);
    }
    await sql`
      with gone as (
        delete from upload_locks where upload_id = ${id} and holder = ${holder} returning 1
      )
      select pg_notify(${RELEASED_CHANNEL}, ${id}) from gone
    `.execute(this.db);
    this.wake(id);
  }
}

class PgLock implements Lock {
  private readonly holder = randomUUID();

  constructor(
    private readonly locker: PgLocker,
    private readonly id: string,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    await this.locker.listen();
    const deadline = Date.now() + ACQUIRE_TIMEOUT_MS;
    let wait = 50;
    for (;;) {
      if (signal.aborted) throw ERRORS.ERR_LOCK_TIMEOUT;
      if (await this.locker.tryAcquire(this.id, this.holder)) {
        this.locker.hold(this.id, this.holder, requestRelease);
        return;
      }
      if (Date.now() >= deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
      await this.locker.askRelease(this.id);
      // Woken by the holder's release; the timeout covers lost notifications and dead holders.
      await this.locker.waitForRelease(this.id, wait, signal);
      wait = Math.min(1000, wait * 2);
    }
  }

  async unlock(): Promise<void> {
    await this.locker.release(this.id, this.holder);
  }
}
