// Single-use links sent by mail (verify, reset, unlock, confirm a new email). The token is in
// the link only; the database keeps its hash, its purpose, the address and an expiry.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { EmailTokenPurpose } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { hashToken, randomToken } from '../../platform/secrets.js';

export const LINK_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * 3600 * 1000,
  reset_password: 30 * 60 * 1000,
  unlock_account: 60 * 60 * 1000,
  change_email: 24 * 3600 * 1000,
};

export const LINK_PATHS: Record<EmailTokenPurpose, string> = {
  verify_email: '/verify-email',
  reset_password: '/reset-password',
  unlock_account: '/unlock',
  change_email: '/confirm-email',
};

export async function issueLink(
  executor: Executor,
  publicUrl: URL,
  values: { userId: string; purpose: EmailTokenPurpose; email: string },
): Promise<string> {
  const token = randomToken();
  // A new link replaces older unused ones for the same purpose.
  await executor
    .updateTable('email_tokens')
    .set({ used_at: new Date() })
    .where('user_id', '=', values.userId)
    .where('purpose', '=', values.purpose)
    .where('used_at', 'is', null)
    .execute();
  await executor
    .insertInto('email_tokens')
    .values({
      user_id: values.userId,
      purpose: values.purpose,
      email: values.email,
      token_hash: hashToken(token),
      expires_at: new Date(Date.now() + LINK_LIFETIME_MS[values.purpose]),
    })
    .execute();
  const url = new URL(LINK_PATHS[values.purpose], publicUrl);
  url.searchParams.set('token', token);
  return url.href;
}

export const invalidLink = () =>
  new AppError(
    'LINK_INVALID',
    400,
    'This link is invalid, expired or already used. Ask for a new one.',
  );

/** Marks the link used and returns it; one use only, even under concurrent clicks. */
export async function consumeLink(executor: Executor, purpose: EmailTokenPurpose, token: string) {
  if (token.length < 20 || token.length > 100) throw invalidLink();
  const row = await executor
    .updateTable('email_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning(['user_id', 'email'])
    .executeTakeFirst();
  if (!row) throw invalidLink();
  return row;
}

/** Checks a link without using it (to show the reset form before the new password arrives). */
export async function peekLink(executor: Executor, purpose: EmailTokenPurpose, token: string) {
  if (token.length < 20 || token.length > 100) return undefined;
  return executor
    .selectFrom('email_tokens')
    .select(['user_id', 'email'])
    .where('token_hash', '=', hashToken(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}
