// The rows behind Idempotency-Key (idempotency.ts). Each statement of a request runs on its
// pinned transaction, as the owner's statement, so it commits with the request's effects.
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { PinnedTransaction } from '../../db/pinned-connection.js';

/** how long a key holds; older rows are ignored, then deleted by the hourly cleanup */
export const KEY_LIFETIME_HOURS = 24;

const expired = sql<Date>`now() - make_interval(hours => ${KEY_LIFETIME_HOURS})`;

export interface StoredKey {
  id: string;
  request_hash: Buffer;
  answer: Buffer | null;
}

/**
 * Inserts the key's row, or takes over one that expired, and answers its id; undefined when a
 * live row exists (an earlier request's, committed with its answer). While another
 * transaction holds an uncommitted row for the same caller and key, this waits for it to end.
 */
export async function claimKey(
  pinned: PinnedTransaction,
  db: Db,
  row: { caller: string; key: string; requestHash: Buffer },
): Promise<string | undefined> {
  const query = db
    .insertInto('idempotency_keys')
    .values({ caller: row.caller, key: row.key, request_hash: row.requestHash })
    .onConflict((conflict) =>
      conflict
        .columns(['caller', 'key'])
        .doUpdateSet({
          id: sql<string>`gen_random_uuid()`,
          request_hash: row.requestHash,
          answer: null,
          created_at: sql<Date>`now()`,
        })
        .where('idempotency_keys.created_at', '<', expired),
    )
    .returning('id')
    .compile();
  const { rows } = await pinned.execute(query);
  return rows[0]?.id;
}

export async function findKey(
  pinned: PinnedTransaction,
  db: Db,
  caller: string,
  key: string,
): Promise<StoredKey | undefined> {
  const query = db
    .selectFrom('idempotency_keys')
    .select(['id', 'request_hash', 'answer'])
    .where('caller', '=', caller)
    .where('key', '=', key)
    .where('created_at', '>=', expired)
    .compile();
  const { rows } = await pinned.execute(query);
  return rows[0];
}

export async function storeAnswer(
  pinned: PinnedTransaction,
  db: Db,
  id: string,
  answer: Buffer,
): Promise<void> {
  await pinned.execute(
    db.updateTable('idempotency_keys').set({ answer }).where('id', '=', id).compile(),
  );
}

export async function deleteKey(pinned: PinnedTransaction, db: Db, id: string): Promise<void> {
  await pinned.execute(db.deleteFrom('idempotency_keys').where('id', '=', id).compile());
}

/** The hourly cleanup: keys older than their lifetime. */
export async function deleteExpiredKeys(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - KEY_LIFETIME_HOURS * 3600_000);
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
