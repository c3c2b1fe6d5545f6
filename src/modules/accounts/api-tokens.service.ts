// Personal access tokens: `mnw_pat_` + 256 random bits, shown once, stored as a hash.
import type { Db, Executor } from '../../db/database.js';
import type { TokenScope } from '../../db/schema.js';
import type { Principal } from '../../platform/http/auth.js';
import { toAuthUser } from './auth-user.js';
import { hashToken, randomToken } from '../../platform/secrets.js';
import { findActiveTokenWithUser, insertApiToken, touchApiToken } from './api-tokens.repository.js';

export const TOKEN_PREFIX = 'mnw_pat_';
const TOUCH_EVERY_MS = 60 * 1000;

export async function createApiToken(
  executor: Executor,
  userId: string,
  name: string,
  scopes: TokenScope[],
): Promise<{ id: string; token: string }> {
  const token = TOKEN_PREFIX + randomToken();
  const unique = [...new Set(scopes)];
  const id = await insertApiToken(executor, {
    userId,
    name,
    tokenHash: hashToken(token),
    scopes: unique,
  });
  return { id, token };
}

export async function resolveApiToken(db: Db, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await findActiveTokenWithUser(db, hashToken(token));
  if (!row || row.status !== 'active') return undefined;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
    await touchApiToken(db, row.token_id);
  }
  return {
    user: toAuthUser(row),
    via: 'token',
    credentialId: row.token_id,
    scopes: row.scopes,
  };
}
