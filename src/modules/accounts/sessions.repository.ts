import type { Executor } from '../../db/database.js';
import { AUTH_USER_COLUMNS } from './auth-user.js';
import type { SessionMethod } from '../../db/schema.js';

export async function insertSession(
  executor: Executor,
  values: {
    userId: string;
    tokenHash: Buffer;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
    method: SessionMethod;
  },
): Promise<string> {
  const row = await executor
    .insertInto('sessions')
    .values({
      user_id: values.userId,
      token_hash: values.tokenHash,
      expires_at: values.expiresAt,
      ip: values.ip,
      user_agent: values.userAgent,
      method: values.method,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findSessionWithUser(executor: Executor, tokenHash: Buffer) {
  return executor
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.reauthenticated_at',
      ...AUTH_USER_COLUMNS,
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function touchSession(
  executor: Executor,
  id: string,
  ip: string | null,
): Promise<void> {
  await executor
    .updateTable('sessions')
    .set({ last_seen_at: new Date(), ip })
    .where('id', '=', id)
    .execute();
}

/** Returns the session's expiry, or undefined when it is gone. */
export async function replaceSessionToken(
  executor: Executor,
  id: string,
  tokenHash: Buffer,
): Promise<Date | undefined> {
  const row = await executor
    .updateTable('sessions')
    .set({ token_hash: tokenHash })
    .where('id', '=', id)
    .returning('expires_at')
    .executeTakeFirst();
  return row?.expires_at;
}

export async function markReauthenticated(executor: Executor, id: string): Promise<void> {
  await executor
    .updateTable('sessions')
    .set({ reauthenticated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function deleteSession(executor: Executor, id: string): Promise<void> {
  await executor.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Deletes one of the user's sessions; returns false when it is not theirs (or gone). */
export async function deleteUserSession(
  executor: Executor,
  userId: string,
  id: string,
): Promise<boolean> {
  const result = await executor
    .deleteFrom('sessions')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function deleteSessionsOfUser(
  executor: Executor,
  userId: string,
  exceptId?: string,
): Promise<number> {
  let query = executor.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function listSessionsOfUser(executor: Executor, userId: string) {
  return executor
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent', 'method'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function deleteExpiredSessions(
  executor: Executor,
  idleCutoff: Date,
  now: Date,
): Promise<number> {
  const result = await executor
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', idleCutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
