// Granting and revoking the admin role (operators only, through `npm run cli`).
import type { Db } from '../../db/database.js';
import { recordEvent } from './security-log.js';
import { deleteSessionsOfUser } from './sessions.repository.js';
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

/** Ends every session of one account (by email), or of every account; returns how many. */
export async function endSessions(db: Db, who: { email: string } | 'everyone'): Promise<number> {
  if (who === 'everyone') {
    const result = await db.deleteFrom('sessions').executeTakeFirst();
    return Number(result.numDeletedRows);
  }
  const user = await findUserByEmail(db, who.email);
  if (!user) throw new UnknownAccountError(`no account uses ${who.email}`);
  return deleteSessionsOfUser(db, user.id);
}
