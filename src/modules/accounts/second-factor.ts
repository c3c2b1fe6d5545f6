// A password sign-in whose account has TOTP enabled ends here, half done: the browser holds a
// short-lived pending-login token until it proves the second factor.
import type { Db } from '../../db/database.js';
import { hashToken, randomToken } from '../../platform/secrets.js';

export const PENDING_LOGIN_MS = 5 * 60 * 1000;
export const PENDING_LOGIN_MAX_ATTEMPTS = 5;

export async function startSecondFactor(db: Db, userId: string): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('pending_logins')
    .values({
      user_id: userId,
      token_hash: hashToken(token),
      expires_at: new Date(Date.now() + PENDING_LOGIN_MS),
    })
    .execute();
  return token;
}
