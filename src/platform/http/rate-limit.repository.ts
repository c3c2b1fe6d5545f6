import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/** Counts one hit in the current fixed window and returns the count so far. */
export async function countHit(
  db: Db,
  key: string,
  windowSeconds: number,
): Promise<{ count: number; windowStart: Date }> {
  const result = await sql<{ count: number; window_start: Date }>`
    insert into rate_limits (key, window_start, count, expires_at)
    values (
      ${key},
      date_bin(make_interval(secs => ${windowSeconds}), now(), timestamptz '2000-01-01'),
      1,
      date_bin(make_interval(secs => ${windowSeconds}), now(), timestamptz '2000-01-01')
        + make_interval(secs => ${windowSeconds})
    )
    on conflict (key, window_start) do update set count = rate_limits.count + 1
    returning count, window_start`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('rate limit upsert returned nothing');
  return { count: row.count, windowStart: row.window_start };
}

export async function clearHits(db: Db, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

export async function deleteExpiredWindows(db: Db, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('rate_limits')
    .where('expires_at', '<', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
