// Half-finished password sign-ins waiting for their second factor (created by second-factor.ts).
import type { Executor } from '../../db/database.js';

export interface PendingLoginAttempt {
  id: string;
  user_id: string;
  attempts: number;
}

/**
 * Counts one attempt against a live pending login and returns it; undefined when the token is
 * unknown, expired or out of attempts. Counting first, in one statement, means parallel guesses
 * cannot exceed the limit.
 */
export function countPendingAttempt(
  executor: Executor,
  tokenHash: Buffer,
  maxAttempts: number,
): Promise<PendingLoginAttempt | undefined> {
  return executor
    .updateTable('pending_logins')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', new Date())
    .where('attempts', '<', maxAttempts)
    .returning(['id', 'user_id', 'attempts'])
    .executeTakeFirst();
}

/** Whether the token still names a pending login that may be tried. */
export async function isPendingLoginLive(
  executor: Executor,
  tokenHash: Buffer,
  maxAttempts: number,
): Promise<boolean> {
  const row = await executor
    .selectFrom('pending_logins')
    .select('id')
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', new Date())
    .where('attempts', '<', maxAttempts)
    .executeTakeFirst();
  return row !== undefined;
}

/** Ends a pending login; false when another request ended it first. */
export async function deletePendingLogin(executor: Executor, id: string): Promise<boolean> {
  const row = await executor
    .deleteFrom('pending_logins')
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
