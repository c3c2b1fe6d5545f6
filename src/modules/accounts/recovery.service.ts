// Password reset and re-sending the verification mail. Both answer the same whether or not the
// address has an account: the request only queues a job, and the job decides whether to mail.
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';
import { queueMail } from '../../platform/mail/mail.js';
import { passwordChangedNotice, resetPasswordMail } from './accounts.mail.js';
import {
  assertAcceptablePassword,
  sendVerification,
  type AccountsDeps,
} from './accounts.service.js';
import { consumeLink, issueLink, peekLink } from './email-links.js';
import { hashPassword } from './passwords.js';
import { recordEvent, type RequestMeta } from './security-log.js';
import { signOutEverywhere } from './sign-out-everywhere.js';
import { findUserByEmail, findUserById, updateUser } from './users.repository.js';

const byEmail = z.object({ email: z.string().max(320) });
export const sendResetJob = defineJob('accounts:send_password_reset', byEmail);
export const sendVerificationJob = defineJob('accounts:send_verification', byEmail);

export async function requestPasswordReset(db: Db, email: string): Promise<void> {
  await sendResetJob.add(db, { email: email.toLowerCase() });
}

export async function requestVerificationResend(db: Db, email: string): Promise<void> {
  await sendVerificationJob.add(db, { email: email.toLowerCase() });
}

export function recoveryTasks(deps: AccountsDeps) {
  return [
    sendResetJob.task(async ({ email }) => {
      const user = await findUserByEmail(deps.db, email);
      if (!user || user.status === 'deleted' || user.status === 'suspended') return;
      await deps.db.transaction().execute(async (trx) => {
        const link = await issueLink(trx, deps.config.publicUrl, {
          userId: user.id,
          purpose: 'reset_password',
          email: user.email,
        });
        await queueMail(trx, resetPasswordMail(user.email, user.display_name, link));
      });
    }),
    sendVerificationJob.task(async ({ email }) => {
      const user = await findUserByEmail(deps.db, email);
      if (!user || user.status !== 'active') return;
      await sendVerification(deps, user);
    }),
  ];
}

/**
 * Whether an emailed link can still be used, without using it: pages show the form that acts
 * on a link only while it works (mail scanners fetch links, so a GET never consumes these).
 */
export async function isLinkUsable(
  deps: AccountsDeps,
  purpose: 'reset_password' | 'unlock_account',
  token: string,
): Promise<boolean> {
  return (await peekLink(deps.db, purpose, token)) !== undefined;
}

/** Sets a new password from a reset link; every session and token ends, the lock lifts. */
export async function resetPassword(
  deps: AccountsDeps,
  token: string,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  await deps.db.transaction().execute(async (trx) => {
    const link = await consumeLink(trx, 'reset_password', token);
    const user = await findUserById(trx, link.user_id);
    if (!user) return;
    assertAcceptablePassword(password, [user.email, user.handle]);
    // Receiving the link proves control of the address, so it is verified too.
    await updateUser(trx, user.id, {
      password_hash: passwordHash,
      failed_logins: 0,
      locked_until: null,
      email_verified_at: user.email_verified_at ?? new Date(),
    });
    if (user.email_verified_at === null) await deps.onEmailVerified?.(trx, user.id, user.email);
    const ended = await signOutEverywhere(trx, user.id);
    await recordEvent(trx, user.id, 'password_reset', meta, {
      sessions_ended: ended.sessions,
      tokens_revoked: ended.tokens,
    });
    await queueMail(trx, passwordChangedNotice(user.email, user.display_name, ended));
  });
}
