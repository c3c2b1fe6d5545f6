// WebAuthn challenges, kept server-side for a few minutes and used once. Registration
// challenges belong to the signed-in user; sign-in challenges to nobody yet.
import type { Executor } from '../../db/database.js';

export type ChallengePurpose = 'register' | 'authenticate';

export async function insertChallenge(
  executor: Executor,
  values: { userId: string | null; purpose: ChallengePurpose; challenge: string; expiresAt: Date },
): Promise<string> {
  const row = await executor
    .insertInto('webauthn_challenges')
    .values({
      user_id: values.userId,
      purpose: values.purpose,
      challenge: values.challenge,
      expires_at: values.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Removes and returns a live challenge of this purpose (and user, for registration). Deleting
 * it before the response is checked means a challenge can never be answered twice.
 */
export async function takeChallenge(
  executor: Executor,
  id: string,
  purpose: ChallengePurpose,
  userId: string | null,
): Promise<string | undefined> {
  const row = await executor
    .deleteFrom('webauthn_challenges')
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .where((eb) => (userId === null ? eb('user_id', 'is', null) : eb('user_id', '=', userId)))
    .returning(['challenge', 'expires_at'])
    .executeTakeFirst();
  return row && row.expires_at.getTime() > Date.now() ? row.challenge : undefined;
}
