// Leaving: deactivation (reversible by signing in again, see completeSignIn) and deletion
// (irreversible: the account row stays only as an anonymous tombstone, so ids that other
// tables reference keep pointing somewhere, and everything personal goes in one transaction).
import type { Executor } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { deleteMailTo } from '../../platform/mail/outbox.repository.js';
import { revokeAllApiTokens } from './api-tokens.repository.js';
import type { AccountsDeps } from './accounts.service.js';
import { recordEvent, type RequestMeta } from './security-log.js';
import { deleteSessionsOfUser } from './sessions.repository.js';
import {
  erasePersonalData,
  findUserByHandle,
  findUserById,
  updateUser,
} from './users.repository.js';

export const DELETED_DISPLAY_NAME = 'Deleted account';

/** Ends every session and token; the account sleeps until its owner signs in again. */
export async function deactivateAccount(
  deps: AccountsDeps,
  userId: string,
  meta: RequestMeta,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, userId, { status: 'deactivated' });
    await deleteSessionsOfUser(trx, userId);
    await revokeAllApiTokens(trx, userId);
    await recordEvent(trx, userId, 'deactivated', meta);
  });
}

/**
 * `deleted-` and the first 12 hex digits of the id; in the unlikely case someone chose that
 * handle, more digits (handles allow 30 characters: `deleted-` + 22).
 */
async function tombstoneHandle(executor: Executor, userId: string): Promise<string> {
  const hex = userId.replace(/-/g, '');
  for (const length of [12, 22]) {
    const handle = `deleted-${hex.slice(0, length)}`;
    const holder = await findUserByHandle(executor, handle);
    if (!holder || holder.id === userId) return handle;
  }
  throw new Error(`no free tombstone handle for ${userId}`);
}

/**
 * Deletes the account after the owner typed their handle: the email, name, handle, password
 * and second factors are replaced or cleared, and every session, token, passkey, device, link
 * and security event is deleted. The address and handle are free for anyone afterwards.
 */
export async function deleteAccount(
  deps: AccountsDeps,
  userId: string,
  confirmHandle: string,
): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user || user.status === 'deleted') {
    throw new AppError('NOT_SIGNED_IN', 401, 'Please sign in first.');
  }
  if (confirmHandle.trim().replace(/^@/, '').toLowerCase() !== user.handle.toLowerCase()) {
    throw new AppError('HANDLE_MISMATCH', 422, 'Type your handle to confirm.', {
      fields: { confirm_handle: `Type ${user.handle} exactly to confirm.` },
    });
  }
  await deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, userId, {
      email: `deleted-${userId}@deleted.invalid`,
      email_verified_at: null,
      display_name: DELETED_DISPLAY_NAME,
      handle: await tombstoneHandle(trx, userId),
      password_hash: null,
      totp_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
      status: 'deleted',
      is_admin: false,
      failed_logins: 0,
      locked_until: null,
      bio: '',
      links: '[]',
      avatar_image_id: null,
      tips_enabled: false,
    });
    await erasePersonalData(trx, userId);
    // Mail we sent them holds their name and address too.
    await deleteMailTo(trx, user.email);
  });
}
