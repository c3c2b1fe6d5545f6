// TOTP state on the users row (secret, when it took effect, the last step used) and the
// backup codes table. Kysely only. A secret with no totp_enabled_at is a setup in progress.
import type { Executor } from '../../db/database.js';

export interface TotpRow {
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
}

export function findTotpState(executor: Executor, userId: string): Promise<TotpRow | undefined> {
  return executor
    .selectFrom('users')
    .select(['totp_secret', 'totp_enabled_at', 'totp_last_step'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** Keeps a new secret while setup is in progress; never replaces the secret of an enabled TOTP. */
export async function savePendingSecret(
  executor: Executor,
  userId: string,
  sealed: string,
): Promise<boolean> {
  const row = await executor
    .updateTable('users')
    .set({ totp_secret: sealed, totp_last_step: null })
    .where('id', '=', userId)
    .where('totp_enabled_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Turns the pending secret on; the step of the confirming code counts as used. */
export async function markTotpEnabled(
  executor: Executor,
  userId: string,
  step: number,
): Promise<boolean> {
  const row = await executor
    .updateTable('users')
    .set({ totp_enabled_at: new Date(), totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_enabled_at', 'is', null)
    .where('totp_secret', 'is not', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records that a code of this step was used. False when this or a later step was used already:
 * one conditional update, so two requests racing with the same code cannot both win.
 */
export async function claimTotpStep(
  executor: Executor,
  userId: string,
  step: number,
): Promise<boolean> {
  const row = await executor
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where('totp_enabled_at', 'is not', null)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function clearTotp(executor: Executor, userId: string): Promise<void> {
  await executor
    .updateTable('users')
    .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null })
    .where('id', '=', userId)
    .execute();
  await executor.deleteFrom('totp_backup_codes').where('user_id', '=', userId).execute();
}

export async function replaceBackupCodes(
  executor: Executor,
  userId: string,
  hashes: readonly Buffer[],
): Promise<void> {
  await executor.deleteFrom('totp_backup_codes').where('user_id', '=', userId).execute();
  if (hashes.length === 0) return;
  await executor
    .insertInto('totp_backup_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

/** Uses up a backup code; false when it is unknown or was used before. */
export async function spendBackupCode(
  executor: Executor,
  userId: string,
  hash: Buffer,
): Promise<boolean> {
  const row = await executor
    .updateTable('totp_backup_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function countUnusedBackupCodes(executor: Executor, userId: string): Promise<number> {
  const row = await executor
    .selectFrom('totp_backup_codes')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.count;
}
