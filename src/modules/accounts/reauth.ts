// Re-authentication before sensitive changes (email, password, tokens from settings,
// deactivation, deletion): the session must have proved its password within REAUTH_WINDOW_MS,
// or, for the API, the request carries `current_password`. Wrong passwords are limited per
// account and logged as failed sign-ins; they do not count toward the new-device lockout,
// because a signed-in session's browser is already a known device of the account.
import type { FastifyReply } from 'fastify';
import { AppError } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import type { RateLimiter } from '../../platform/http/rate-limit.js';
import type { AccountsDeps } from './accounts.service.js';
import { verifyPassword } from './passwords.js';
import { recordEvent, type RequestMeta } from './security-log.js';
import { SETTINGS_LIMITS } from './settings.rate-limits.js';
import { setSessionCookie } from './session-cookie.js';
import { markReauthenticated } from './sessions.repository.js';
import {
  REAUTH_WINDOW_MS,
  recentlyReauthenticated,
  rotateSessionToken,
} from './sessions.service.js';
import { findUserById } from './users.repository.js';

export const REAUTH_PATH = '/settings/reauth';

export const reauthRequired = () =>
  new AppError(
    'REAUTH_REQUIRED',
    403,
    'Confirm your password first: send current_password, or re-authenticate in settings.',
  );

export const wrongPassword = () =>
  new AppError('PASSWORD_INCORRECT', 403, 'That is not your current password.', {
    fields: { current_password: 'That is not your current password.' },
  });

/** A same-site path to return to; anything else (other hosts, `//x`, `/\x`) becomes /settings. */
export function safeNext(raw: unknown, fallback = '/settings'): string {
  if (typeof raw !== 'string' || raw.length > 500) return fallback;
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(raw)) return fallback;
  return raw;
}

export function reauthUrl(next: string): string {
  return `${REAUTH_PATH}?next=${encodeURIComponent(safeNext(next))}`;
}

/** Milliseconds the current session may still make sensitive changes (0 when none). */
export function reauthRemainingMs(principal: Principal, now = Date.now()): number {
  if (!recentlyReauthenticated(principal, now) || !principal.reauthenticatedAt) return 0;
  return principal.reauthenticatedAt.getTime() + REAUTH_WINDOW_MS - now;
}

/**
 * Checks the account's password, counting the attempt against the per-account limit.
 * Throws PASSWORD_INCORRECT (and logs a failed sign-in) when it is wrong, or when the account
 * has no password at all (passkey-only accounts re-authenticate by signing in again).
 */
export async function confirmPassword(
  deps: AccountsDeps,
  limiter: RateLimiter,
  reply: FastifyReply,
  userId: string,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  await limiter.enforce(reply, SETTINGS_LIMITS.reauthPerAccount, userId);
  const user = await findUserById(deps.db, userId);
  const ok = user?.password_hash ? await verifyPassword(user.password_hash, password) : false;
  if (!ok) {
    await recordEvent(deps.db, userId, 'sign_in_failed', meta, { during: 'reauthentication' });
    throw wrongPassword();
  }
}

/** Marks the session as just re-authenticated and gives it a new token (ASVS 7.2.4). */
export async function refreshSession(
  deps: AccountsDeps,
  reply: FastifyReply,
  sessionId: string,
): Promise<void> {
  await markReauthenticated(deps.db, sessionId);
  const rotated = await rotateSessionToken(deps.db, sessionId);
  if (rotated) setSessionCookie(reply, deps.config, rotated.token, rotated.expiresAt);
}

/**
 * For pages: true when the session may go on; otherwise sends the browser to the password
 * prompt, which returns it to `back` (the page whose form it submitted).
 */
export function ensureRecentReauth(
  reply: FastifyReply,
  principal: Principal,
  back: string,
): boolean {
  if (recentlyReauthenticated(principal)) return true;
  reply.redirect(reauthUrl(back), 303);
  return false;
}

/**
 * For the API: a session re-authenticated within the window passes; otherwise the body's
 * `current_password` must be right. Bearer tokens always need the password.
 */
export async function ensureApiReauth(
  deps: AccountsDeps,
  limiter: RateLimiter,
  reply: FastifyReply,
  principal: Principal,
  currentPassword: string | undefined,
  meta: RequestMeta,
): Promise<void> {
  if (currentPassword !== undefined) {
    await confirmPassword(deps, limiter, reply, principal.user.id, currentPassword, meta);
    return;
  }
  if (!recentlyReauthenticated(principal)) throw reauthRequired();
}
