// Account settings: the display name, the password and the email address. Callers check
// re-authentication first (reauth.ts); these functions only carry out the change.
import { DatabaseError } from 'pg';
import { AppError } from '../../platform/errors.js';
import { queueMail } from '../../platform/mail/mail.js';
import { confirmNewEmailMail, emailChangedNotice, passwordChangedNotice } from './accounts.mail.js';
import { assertAcceptablePassword, type AccountsDeps } from './accounts.service.js';
import { consumeLink, invalidLink, issueLink, peekLink } from './email-links.js';
import { hashPassword } from './passwords.js';
import { recordEvent, type RequestMeta } from './security-log.js';
import { signOutEverywhere, type KeptCredential, type SignedOut } from './sign-out-everywhere.js';
import { findUserByEmail, findUserById, updateUser, type UserRow } from './users.repository.js';

const accountGone = () => new AppError('NOT_SIGNED_IN', 401, 'Please sign in first.');

const emailTaken = () =>
  new AppError('EMAIL_TAKEN', 409, 'Another account already uses that email address.', {
    fields: { email: 'Another account already uses this address.' },
  });

async function loadUser(deps: AccountsDeps, userId: string): Promise<UserRow> {
  const user = await findUserById(deps.db, userId);
  if (!user || user.status === 'deleted') throw accountGone();
  return user;
}

export async function changeDisplayName(
  deps: AccountsDeps,
  userId: string,
  displayName: string,
): Promise<UserRow> {
  return updateUser(deps.db, userId, { display_name: displayName });
}

/** The password rules of sign-up, reported on the `new_password` field. */
function assertNewPassword(user: UserRow, password: string): void {
  try {
    assertAcceptablePassword(password, [user.email, user.email.split('@')[0] ?? '', user.handle]);
  } catch (error) {
    if (error instanceof AppError && error.fields?.password) {
      throw new AppError(error.code, error.status, error.message, {
        fields: { new_password: error.fields.password },
      });
    }
    throw error;
  }
}

export interface PasswordChange {
  newPassword: string;
  /** sign out everywhere else: the other sessions and every token (sign-out-everywhere.ts) */
  endOtherSessions: boolean;
  /** the session or token making the change, which stays */
  keep: KeptCredential;
}

/** Sets a new password, mails a notice, and signs out everywhere else when asked. */
export async function changePassword(
  deps: AccountsDeps,
  userId: string,
  change: PasswordChange,
  meta: RequestMeta,
): Promise<SignedOut> {
  const user = await loadUser(deps, userId);
  assertNewPassword(user, change.newPassword);
  const passwordHash = await hashPassword(change.newPassword);
  return deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, userId, { password_hash: passwordHash });
    const ended = change.endOtherSessions
      ? await signOutEverywhere(trx, userId, change.keep)
      : undefined;
    await recordEvent(trx, userId, 'password_changed', meta, {
      other_sessions_ended: ended?.sessions ?? 0,
      tokens_revoked: ended?.tokens ?? 0,
    });
    await queueMail(trx, passwordChangedNotice(user.email, user.display_name, ended));
    return ended ?? { sessions: 0, tokens: 0 };
  });
}

/** Sends a confirmation link to the new address; nothing changes until it is opened. */
export async function requestEmailChange(
  deps: AccountsDeps,
  userId: string,
  newEmail: string,
  meta: RequestMeta,
): Promise<void> {
  const user = await loadUser(deps, userId);
  if (user.email.toLowerCase() === newEmail.toLowerCase()) {
    throw new AppError('EMAIL_UNCHANGED', 422, 'That is already your email address.', {
      fields: { email: 'That is already your email address.' },
    });
  }
  const owner = await findUserByEmail(deps.db, newEmail);
  if (owner && owner.id !== userId) throw emailTaken();
  await deps.db.transaction().execute(async (trx) => {
    const link = await issueLink(trx, deps.config.publicUrl, {
      userId,
      purpose: 'change_email',
      email: newEmail,
    });
    await queueMail(trx, confirmNewEmailMail(newEmail, user.display_name, link));
    await recordEvent(trx, userId, 'email_change_requested', meta, { new_email: newEmail });
  });
}

/** The address a change-of-email link would set, while the link is usable. */
export async function peekEmailChange(
  deps: AccountsDeps,
  token: string,
): Promise<string | undefined> {
  return (await peekLink(deps.db, 'change_email', token))?.email;
}

/**
 * Applies a change-of-email link: the new address becomes the account's, verified (the link
 * proved it), and the old address is told. If another account took the address meanwhile,
 * EMAIL_TAKEN, and nothing changes (the link stays unused).
 */
export async function confirmEmailChange(
  deps: AccountsDeps,
  token: string,
  meta: RequestMeta,
): Promise<UserRow> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const link = await consumeLink(trx, 'change_email', token);
      const user = await findUserById(trx, link.user_id);
      if (!user || user.status === 'deleted') throw invalidLink();
      const previous = user.email;
      const updated = await updateUser(trx, user.id, {
        email: link.email,
        email_verified_at: new Date(),
      });
      await deps.onEmailVerified?.(trx, user.id, link.email);
      await recordEvent(trx, user.id, 'email_changed', meta, {
        previous_email: previous,
        new_email: link.email,
      });
      if (previous.toLowerCase() !== link.email.toLowerCase()) {
        await queueMail(trx, emailChangedNotice(previous, user.display_name, link.email));
      }
      return updated;
    });
  } catch (error) {
    if (error instanceof DatabaseError && error.code === '23505') throw emailTaken();
    throw error;
  }
}
