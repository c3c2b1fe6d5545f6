// What can act as the account, and what happened to it: sessions, personal access tokens and
// the security log, as the settings pages and the /me API show and end them. Every lookup is
// scoped to the owner, so another account's id behaves exactly like an unknown one.
import type { SessionMethod, TokenScope } from '../../db/schema.js';
import { listApiTokens, revokeUserApiToken } from './api-tokens.repository.js';
import { createApiToken } from './api-tokens.service.js';
import type { AccountsDeps } from './accounts.service.js';
import { describeDevice, deviceKind, type DeviceKind } from './device-label.js';
import { describePlace, type Place } from './ip-place.js';
import { listEvents, recordEvent, type RequestMeta } from './security-log.js';
import { deleteUserSession, listSessionsOfUser } from './sessions.repository.js';
import { SESSION_IDLE_MS } from './sessions.service.js';
import { signOutEverywhere, type KeptCredential, type SignedOut } from './sign-out-everywhere.js';

export interface SessionView {
  id: string;
  current: boolean;
  device: string;
  kind: DeviceKind;
  place: Place;
  ip: string | null;
  userAgent: string | null;
  method: SessionMethod;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** The account's live sessions, the caller's own first, then the most recently used. */
export async function listSessions(
  deps: AccountsDeps,
  userId: string,
  currentSessionId: string | undefined,
): Promise<SessionView[]> {
  const idleCutoff = Date.now() - SESSION_IDLE_MS;
  const rows = await listSessionsOfUser(deps.db, userId);
  return rows
    .filter((row) => row.last_seen_at.getTime() > idleCutoff)
    .map((row) => ({
      id: row.id,
      current: row.id === currentSessionId,
      device: describeDevice(row.user_agent),
      kind: deviceKind(row.user_agent),
      place: describePlace(row.ip),
      ip: row.ip,
      userAgent: row.user_agent,
      method: row.method,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/** Ends one of the account's sessions; false when the id is not one of them. */
export async function revokeSession(
  deps: AccountsDeps,
  userId: string,
  sessionId: string,
  meta: RequestMeta,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const removed = await deleteUserSession(trx, userId, sessionId);
    if (removed) await recordEvent(trx, userId, 'session_revoked', meta);
    return removed;
  });
}

/** "Sign out everywhere else": every session and token of the account but the caller's. */
export async function revokeOtherSessions(
  deps: AccountsDeps,
  userId: string,
  keep: KeptCredential,
  meta: RequestMeta,
): Promise<SignedOut> {
  return deps.db.transaction().execute(async (trx) => {
    const ended = await signOutEverywhere(trx, userId, keep);
    await recordEvent(trx, userId, 'other_sessions_revoked', meta, {
      count: ended.sessions,
      tokens: ended.tokens,
    });
    return ended;
  });
}

export interface TokenView {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function listTokens(deps: AccountsDeps, userId: string): Promise<TokenView[]> {
  const rows = await listApiTokens(deps.db, userId);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  }));
}

/** Creates a token; the secret is in the answer only, never stored or logged. */
export async function createToken(
  deps: AccountsDeps,
  userId: string,
  input: { name: string; scopes: TokenScope[] },
  meta: RequestMeta,
): Promise<{ id: string; token: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const created = await createApiToken(trx, userId, input.name, input.scopes);
    await recordEvent(trx, userId, 'token_created', meta, {
      name: input.name,
      scopes: input.scopes,
      from: 'settings',
    });
    return created;
  });
}

/** Revokes one of the account's tokens; false when the id is not one of its live tokens. */
export async function revokeToken(
  deps: AccountsDeps,
  userId: string,
  tokenId: string,
  meta: RequestMeta,
  details: Record<string, unknown> = {},
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const revoked = await revokeUserApiToken(trx, userId, tokenId);
    if (revoked) {
      await recordEvent(trx, userId, 'token_revoked', meta, { name: revoked.name, ...details });
    }
    return revoked !== undefined;
  });
}

export interface SecurityEventView {
  id: number;
  type: string;
  createdAt: Date;
  device: string;
  place: Place;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

export const SECURITY_LOG_LIMIT = 100;

/** The account's most recent security events, newest first. */
export async function listSecurityLog(
  deps: AccountsDeps,
  userId: string,
): Promise<SecurityEventView[]> {
  const rows = await listEvents(deps.db, userId, SECURITY_LOG_LIMIT);
  return rows.map((row) => ({
    id: row.id,
    type: row.type,
    createdAt: row.created_at,
    device: describeDevice(row.user_agent),
    place: describePlace(row.ip),
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
  }));
}
