// Granting and revoking the admin role (operators only, through `npm run cli`).
import type { Db } from '../../db/database.js';
import { revokeEveryApiToken } from './api-tokens.repository.js';
import { recordEvent } from './security-log.js';
import { deleteSessionsOfUser } from './sessions.repository.js';
import { signOutEverywhere, type SignedOut } from './sign-out-everywhere.js';
import { findUserByEmail, updateUser } from './users.repository.js';

export class UnknownAccountError extends Error {
  override name = 'UnknownAccountError';
}

/**
 * Sets the role and ends the account's sessions: a privilege change gets fresh sessions, so
 * a session token taken before the change never carries the new role.
 */
export async function setAdmin(
  db: Db,
  email: string,
  isAdmin: boolean,
): Promise<{ handle: string }> {
  return db.transaction().execute(async (trx) => {
    const user = await findUserByEmail(trx, email);
    if (!user) throw new UnknownAccountError(`no account uses ${email}`);
    if (user.is_admin === isAdmin) return { handle: user.handle };
    await updateUser(trx, user.id, { is_admin: isAdmin });
    await deleteSessionsOfUser(trx, user.id);
    await recordEvent(
      trx,
      user.id,
      'admin_granted',
      { ip: null, userAgent: 'cli' },
      { is_admin: isAdmin },
    );
    return { handle: user.handle };
  });
}

/**
 * Signs one account (by email), or every account, out everywhere: sessions and personal access
 * tokens (sign-out-everywhere.ts); returns how many of each ended.
 */
export async function endSessions(db: Db, who: { email: string } | 'everyone'): Promise<SignedOut> {
  return db.transaction().execute(async (trx) => {
    if (who === 'everyone') {
      const result = await trx.deleteFrom('sessions').executeTakeFirst();
      return { sessions: Number(result.numDeletedRows), tokens: await revokeEveryApiToken(trx) };
    }
    const user = await findUserByEmail(trx, who.email);
    if (!user) throw new UnknownAccountError(`no account uses ${who.email}`);
    const ended = await signOutEverywhere(trx, user.id);
    await recordEvent(
      trx,
      user.id,
      'other_sessions_revoked',
      { ip: null, userAgent: 'cli' },
      { count: ended.sessions, tokens: ended.tokens, from: 'operator' },
    );
    return ended;
  });
}
