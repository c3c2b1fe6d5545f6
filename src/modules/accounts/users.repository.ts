import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { CreatorTier, UsersTable } from '../../db/schema.js';

export type UserRow = Selectable<UsersTable>;

export async function insertUser(
  executor: Executor,
  values: { email: string; handle: string; displayName: string; passwordHash: string },
): Promise<UserRow> {
  return executor
    .insertInto('users')
    .values({
      email: values.email,
      handle: values.handle,
      display_name: values.displayName,
      password_hash: values.passwordHash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findUserById(executor: Executor, id: string) {
  return executor.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Any account that still owns the address (deleted accounts gave theirs up). */
export function findUserByEmail(executor: Executor, email: string) {
  return executor
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .where('status', '<>', 'deleted')
    .executeTakeFirst();
}

export function findUserByHandle(executor: Executor, handle: string) {
  return executor
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(handle)`, '=', handle.toLowerCase())
    .executeTakeFirst();
}

export async function updateUser(
  executor: Executor,
  id: string,
  values: Partial<{
    email: string;
    email_verified_at: Date | null;
    display_name: string;
    password_hash: string | null;
    is_creator: boolean;
    creator_tier: CreatorTier | null;
    is_admin: boolean;
    status: UserRow['status'];
    failed_logins: number;
    locked_until: Date | null;
    handle: string;
    totp_secret: string | null;
    totp_enabled_at: Date | null;
    totp_last_step: number | null;
    bio: string;
    /** JSON of ProfileLink[] */
    links: string;
    avatar_image_id: string | null;
    tips_enabled: boolean;
  }>,
): Promise<UserRow> {
  return executor
    .updateTable('users')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Counts a failed sign-in; returns the new count. */
export async function incrementFailedLogins(executor: Executor, id: string): Promise<number> {
  const row = await executor
    .updateTable('users')
    .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
    .where('id', '=', id)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  return row.failed_logins;
}

/** The address a change of email waits on (its confirmation link still usable), if any. */
export function findPendingEmailChange(executor: Executor, userId: string) {
  return executor
    .selectFrom('email_tokens')
    .select(['email', 'created_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where('purpose', '=', 'change_email')
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/**
 * Deletes every row that describes the person behind an account or lets anyone act as it:
 * sessions, tokens, second factors, devices, links, pending sign-ins and the security log
 * (which holds IP addresses and user agents). The users row itself is anonymised apart.
 */
export async function erasePersonalData(executor: Executor, userId: string): Promise<void> {
  for (const table of [
    'sessions',
    'api_tokens',
    'passkeys',
    'totp_backup_codes',
    'known_devices',
    'email_tokens',
    'webauthn_challenges',
    'pending_logins',
    'security_events',
  ] as const) {
    await executor.deleteFrom(table).where('user_id', '=', userId).execute();
  }
  // Their uploaded images lose their owner; the hourly cleanup deletes the files and rows.
  await executor
    .updateTable('images')
    .set({ owner_id: null })
    .where('owner_id', '=', userId)
    .execute();
}
