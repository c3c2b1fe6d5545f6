// Signing out everywhere means every way in that is not a password: every session AND every
// personal access token, except the one credential the request came with. A password reset,
// "Sign out everywhere else", a password change that asks for it and the operator's
// `sessions end` all go through here, so a token an attacker made cannot outlive the owner's
// recovery (docs/security.md "Signing out everywhere").
import type { Executor } from '../../db/database.js';
import type { Principal } from '../../platform/http/auth.js';
import { revokeAllApiTokens } from './api-tokens.repository.js';
import { deleteSessionsOfUser } from './sessions.repository.js';

/** The credential that stays: the caller's own session or token. */
export interface KeptCredential {
  sessionId?: string | undefined;
  tokenId?: string | undefined;
}

export interface SignedOut {
  sessions: number;
  tokens: number;
}

export function keptCredentialOf(principal: Principal): KeptCredential {
  return principal.via === 'session'
    ? { sessionId: principal.credentialId }
    : { tokenId: principal.credentialId };
}

export async function signOutEverywhere(
  executor: Executor,
  userId: string,
  keep: KeptCredential = {},
): Promise<SignedOut> {
  const sessions = await deleteSessionsOfUser(executor, userId, keep.sessionId);
  const tokens = await revokeAllApiTokens(executor, userId, keep.tokenId);
  return { sessions, tokens };
}
