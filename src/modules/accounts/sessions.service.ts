// Sessions: 256-bit random tokens, stored as SHA-256 hashes, with an idle timeout and an
// absolute lifetime (docs/security.md). The cookie holds the token; the database the truth.
import type { Db, Executor } from '../../db/database.js';
import type { SessionMethod } from '../../db/schema.js';
import type { Principal } from '../../platform/http/auth.js';
import { toAuthUser } from './auth-user.js';
import { hashToken, randomToken } from '../../platform/secrets.js';
import type { RequestMeta } from './security-log.js';
import {
  findSessionWithUser,
  insertSession,
  replaceSessionToken,
  touchSession,
} from './sessions.repository.js';

export const SESSION_IDLE_MS = 7 * 24 * 3600 * 1000;
export const SESSION_ABSOLUTE_MS = 30 * 24 * 3600 * 1000;
/** sensitive changes (email, password, passkeys, deletion) need a sign-in this recent */
export const REAUTH_WINDOW_MS = 10 * 60 * 1000;
/** last_seen_at is written at most this often per session */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export interface NewSession {
  id: string;
  token: string;
  expiresAt: Date;
}

export async function startSession(
  executor: Executor,
  userId: string,
  meta: RequestMeta,
  method: SessionMethod,
): Promise<NewSession> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_MS);
  const id = await insertSession(executor, {
    userId,
    tokenHash: hashToken(token),
    expiresAt,
    ip: meta.ip,
    userAgent: meta.userAgent,
    method,
  });
  return { id, token, expiresAt };
}

export async function resolveSession(
  db: Db,
  token: string,
  ip: string | null,
): Promise<Principal | undefined> {
  const row = await findSessionWithUser(db, hashToken(token));
  if (!row || row.status !== 'active') return undefined;
  const now = Date.now();
  if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + SESSION_IDLE_MS <= now) {
    return undefined;
  }
  if (now - row.last_seen_at.getTime() > TOUCH_EVERY_MS) await touchSession(db, row.session_id, ip);
  return {
    user: toAuthUser(row),
    via: 'session',
    credentialId: row.session_id,
    scopes: ['read', 'write'],
    reauthenticatedAt: row.reauthenticated_at,
  };
}

/** A fresh token for the same session (after a privilege change); the old one stops working. */
export async function rotateSessionToken(
  executor: Executor,
  sessionId: string,
): Promise<{ token: string; expiresAt: Date } | undefined> {
  const token = randomToken();
  const expiresAt = await replaceSessionToken(executor, sessionId, hashToken(token));
  return expiresAt && { token, expiresAt };
}

export function recentlyReauthenticated(principal: Principal, now = Date.now()): boolean {
  return (
    principal.via === 'session' &&
    principal.reauthenticatedAt !== undefined &&
    now - principal.reauthenticatedAt.getTime() < REAUTH_WINDOW_MS
  );
}
