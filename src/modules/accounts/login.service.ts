// Password sign-in. Wrong email and wrong password look the same (same answer, same argon2
// work). Five failures from devices the account has not used lock it against new devices for
// 15 minutes; devices that signed in before keep working, and the owner gets an unlock link,
// so an attacker cannot keep the real owner out (docs/security.md). The per-account rate limit
// is split the same way (accountLimitSubject).
import type { Db, Executor } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { queueMail } from '../../platform/mail/mail.js';
import { newSignInMail, unlockMail } from './accounts.mail.js';
import type { AccountsDeps } from './accounts.service.js';
import { isKnownDevice, isKnownDeviceOfEmail, rememberDevice } from './devices.repository.js';
import { consumeLink, issueLink } from './email-links.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { recordEvent, type RequestMeta } from './security-log.js';
import { deleteSession } from './sessions.repository.js';
import { startSession, type NewSession } from './sessions.service.js';
import { startSecondFactor } from './second-factor.js';
import {
  findUserByEmail,
  findUserById,
  incrementFailedLogins,
  updateUser,
  type UserRow,
} from './users.repository.js';

export const LOCK_AFTER_FAILURES = 5;
export const LOCK_DURATION_MS = 15 * 60 * 1000;

export const invalidCredentials = () =>
  new AppError('INVALID_CREDENTIALS', 401, 'The email or password is incorrect.', {
    fields: { password: 'The email or password is incorrect.' },
  });

/**
 * What a per-account limit (sign-in, token creation) counts this attempt against: each device
 * the account has signed in from has a count of its own, every other device shares one. So
 * guesses from elsewhere throttle only elsewhere, and the owner's own browser still gets in.
 * An email without an account behaves like an account no device knows.
 */
export async function accountLimitSubject(
  db: Db,
  email: string,
  deviceId: string | undefined,
): Promise<string> {
  const address = email.toLowerCase();
  const known = deviceId !== undefined && (await isKnownDeviceOfEmail(db, address, deviceId));
  return known ? `${address}:device:${deviceId}` : address;
}

export type LoginResult =
  | { kind: 'signed_in'; user: UserRow; session: NewSession }
  | { kind: 'second_factor'; user: UserRow; pendingToken: string };

function describeDevice(meta: RequestMeta): string {
  return [meta.userAgent ?? 'an unknown browser', meta.ip ? `from ${meta.ip}` : '']
    .filter(Boolean)
    .join(' ');
}

/** Everything that follows proof of identity: device, notice, session, log. */
export async function completeSignIn(
  trx: Executor,
  user: UserRow,
  meta: RequestMeta,
  deviceId: string,
  method: 'password' | 'passkey' | 'email_link',
): Promise<NewSession> {
  if (user.status === 'deactivated') {
    await updateUser(trx, user.id, { status: 'active' });
    await recordEvent(trx, user.id, 'reactivated', meta);
  }
  if (user.failed_logins > 0) await updateUser(trx, user.id, { failed_logins: 0 });
  const isNew = await rememberDevice(trx, user.id, deviceId);
  if (isNew)
    await queueMail(
      trx,
      newSignInMail(user.email, user.display_name, describeDevice(meta), new Date()),
    );
  await recordEvent(trx, user.id, 'signed_in', meta, { method, new_device: isNew });
  return startSession(trx, user.id, meta, method);
}

async function registerFailure(
  deps: AccountsDeps,
  user: UserRow,
  meta: RequestMeta,
  known: boolean,
) {
  await deps.db.transaction().execute(async (trx) => {
    await recordEvent(trx, user.id, 'sign_in_failed', meta, { known_device: known });
    if (known) return; // the owner's own devices never lock the account
    const failures = await incrementFailedLogins(trx, user.id);
    if (failures < LOCK_AFTER_FAILURES) return;
    await updateUser(trx, user.id, {
      failed_logins: 0,
      locked_until: new Date(Date.now() + LOCK_DURATION_MS),
    });
    await recordEvent(trx, user.id, 'account_locked', meta);
    const link = await issueLink(trx, deps.config.publicUrl, {
      userId: user.id,
      purpose: 'unlock_account',
      email: user.email,
    });
    await queueMail(trx, unlockMail(user.email, user.display_name, link));
  });
}

/**
 * Checks an email and password with the lockout rules; returns the account or throws the one
 * answer for every failure. Used by sign-in and by token creation.
 */
export async function checkPassword(
  deps: AccountsDeps,
  input: { email: string; password: string },
  meta: RequestMeta,
  deviceId: string | undefined,
): Promise<UserRow> {
  const user = await findUserByEmail(deps.db, input.email);
  if (!user?.password_hash || user.status === 'deleted') {
    await verifyAgainstDummy(input.password);
    throw invalidCredentials();
  }
  const known = deviceId !== undefined && (await isKnownDevice(deps.db, user.id, deviceId));
  const locked = !known && user.locked_until !== null && user.locked_until.getTime() > Date.now();
  // While locked, a new device is refused even with the right password, and the answer is the
  // same as for a wrong one.
  const ok = locked
    ? await verifyAgainstDummy(input.password)
    : await verifyPassword(user.password_hash, input.password);
  if (!ok) {
    if (!locked) await registerFailure(deps, user, meta, known);
    throw invalidCredentials();
  }
  if (user.status === 'suspended') {
    throw new AppError(
      'ACCOUNT_SUSPENDED',
      403,
      'This account is suspended. Contact support to appeal.',
    );
  }
  return user;
}

export async function passwordLogin(
  deps: AccountsDeps,
  input: { email: string; password: string },
  meta: RequestMeta,
  deviceId: string,
): Promise<LoginResult> {
  const user = await checkPassword(deps, input, meta, deviceId);
  if (user.totp_enabled_at !== null) {
    return { kind: 'second_factor', user, pendingToken: await startSecondFactor(deps.db, user.id) };
  }
  const session = await deps.db
    .transaction()
    .execute((trx) => completeSignIn(trx, user, meta, deviceId, 'password'));
  return { kind: 'signed_in', user, session };
}

/** The emailed unlock link: lifts the lock and makes this browser a known device. */
export async function unlockAccount(
  deps: AccountsDeps,
  token: string,
  meta: RequestMeta,
  deviceId: string,
) {
  await deps.db.transaction().execute(async (trx) => {
    const link = await consumeLink(trx, 'unlock_account', token);
    const user = await findUserById(trx, link.user_id);
    if (!user) return;
    await updateUser(trx, user.id, { locked_until: null, failed_logins: 0 });
    await rememberDevice(trx, user.id, deviceId);
    await recordEvent(trx, user.id, 'account_unlocked', meta);
  });
}

/** Ends one browser session: the row goes, so the cookie's token stops working everywhere. */
export async function signOut(
  deps: AccountsDeps,
  session: { id: string; userId: string },
  meta: RequestMeta,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await deleteSession(trx, session.id);
    await recordEvent(trx, session.userId, 'signed_out', meta);
  });
}
