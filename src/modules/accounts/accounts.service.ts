// Joining, verifying an email address, becoming a creator.
import { DatabaseError } from 'pg';
import type { Config } from '../../config.js';
import type { Db, Executor } from '../../db/database.js';
import type { CreatorTier } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { queueMail } from '../../platform/mail/mail.js';
import { verifyEmailMail } from './accounts.mail.js';
import { rememberDevice } from './devices.repository.js';
import { consumeLink, issueLink } from './email-links.js';
import { hashPassword, isCommonPassword } from './passwords.js';
import { recordEvent, type RequestMeta } from './security-log.js';
import { startSession, type NewSession } from './sessions.service.js';
import { findUserById, insertUser, updateUser, type UserRow } from './users.repository.js';

export interface AccountsDeps {
  db: Db;
  config: Readonly<Config>;
  /** told, inside the transaction, when an account's email becomes verified (guest orders) */
  onEmailVerified?: ((trx: Executor, userId: string, email: string) => Promise<void>) | undefined;
}

export function publicUser(user: UserRow) {
  return {
    id: user.id,
    handle: user.handle,
    email: user.email,
    display_name: user.display_name,
    is_creator: user.is_creator,
    creator_tier: user.creator_tier,
    email_verified: user.email_verified_at !== null,
  };
}

/** Rules a password must meet beyond its length; throws a 422 naming the field. */
export function assertAcceptablePassword(password: string, context: string[]): void {
  const lower = password.toLowerCase();
  if (isCommonPassword(password)) {
    throw new AppError('PASSWORD_TOO_COMMON', 422, 'Choose a less common password.', {
      fields: { password: 'This password is on a list of common passwords. Choose another.' },
    });
  }
  if (context.some((word) => word.length >= 3 && lower === word.toLowerCase())) {
    throw new AppError(
      'PASSWORD_TOO_PREDICTABLE',
      422,
      'Choose a password unlike your email or handle.',
      {
        fields: { password: 'Do not use your email address or handle as your password.' },
      },
    );
  }
}

function uniqueViolation(error: unknown): AppError | undefined {
  if (!(error instanceof DatabaseError) || error.code !== '23505') return undefined;
  if (error.constraint === 'users_handle_key') {
    return new AppError('HANDLE_TAKEN', 409, 'That handle is taken.', {
      fields: { handle: 'That handle is taken.' },
    });
  }
  if (error.constraint === 'users_email_key') {
    return new AppError('EMAIL_TAKEN', 409, 'An account already uses that email address.', {
      fields: { email: 'An account already uses this address. Sign in or reset your password.' },
    });
  }
  return undefined;
}

export async function signup(
  deps: AccountsDeps,
  input: { email: string; password: string; handle: string; display_name?: string | undefined },
  meta: RequestMeta,
  deviceId: string,
): Promise<{ user: UserRow; session: NewSession }> {
  assertAcceptablePassword(input.password, [
    input.email,
    input.email.split('@')[0] ?? '',
    input.handle,
  ]);
  const passwordHash = await hashPassword(input.password);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, {
        email: input.email,
        handle: input.handle,
        displayName: input.display_name ?? input.handle,
        passwordHash,
      });
      await recordEvent(trx, user.id, 'signed_up', meta);
      await rememberDevice(trx, user.id, deviceId);
      const link = await issueLink(trx, deps.config.publicUrl, {
        userId: user.id,
        purpose: 'verify_email',
        email: user.email,
      });
      await queueMail(trx, verifyEmailMail(user.email, user.display_name, link));
      const session = await startSession(trx, user.id, meta, 'signup');
      return { user, session };
    });
  } catch (error) {
    throw uniqueViolation(error) ?? error;
  }
}

export async function sendVerification(deps: AccountsDeps, user: UserRow): Promise<void> {
  if (user.email_verified_at !== null) return;
  await deps.db.transaction().execute(async (trx) => {
    const link = await issueLink(trx, deps.config.publicUrl, {
      userId: user.id,
      purpose: 'verify_email',
      email: user.email,
    });
    await queueMail(trx, verifyEmailMail(user.email, user.display_name, link));
  });
}

export async function verifyEmail(
  deps: AccountsDeps,
  token: string,
  meta: RequestMeta,
): Promise<UserRow> {
  return deps.db.transaction().execute(async (trx) => {
    const link = await consumeLink(trx, 'verify_email', token);
    const user = await findUserById(trx, link.user_id);
    // The address may have changed since the link was sent: only that address is verified.
    if (!user || user.email.toLowerCase() !== link.email.toLowerCase()) {
      throw new AppError(
        'LINK_INVALID',
        400,
        'This link is for an address the account no longer uses.',
      );
    }
    if (user.email_verified_at !== null) return user;
    await recordEvent(trx, user.id, 'email_verified', meta, { email: user.email });
    const verified = await updateUser(trx, user.id, { email_verified_at: new Date() });
    await deps.onEmailVerified?.(trx, user.id, user.email);
    return verified;
  });
}

export async function becomeCreator(
  deps: AccountsDeps,
  userId: string,
  tier: CreatorTier,
  meta: RequestMeta,
): Promise<UserRow> {
  return deps.db.transaction().execute(async (trx) => {
    const user = await updateUser(trx, userId, { is_creator: true, creator_tier: tier });
    await recordEvent(trx, userId, 'became_creator', meta, { tier });
    return user;
  });
}
