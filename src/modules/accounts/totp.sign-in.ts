// The second half of a password sign-in for accounts with TOTP: the pending-login token from
// the first half plus a code from the app or a backup code. Each pending login allows
// PENDING_LOGIN_MAX_ATTEMPTS codes within PENDING_LOGIN_MS; the last wrong one ends it.
import { AppError } from '../../platform/errors.js';
import type { RateLimiter } from '../../platform/http/rate-limit.js';
import { hashToken } from '../../platform/secrets.js';
import type { AccountsDeps } from './accounts.service.js';
import { completeSignIn } from './login.service.js';
import { PENDING_LOGIN_MAX_ATTEMPTS } from './second-factor.js';
import { recordEvent, type RequestMeta } from './security-log.js';
import type { NewSession } from './sessions.service.js';
import {
  countPendingAttempt,
  deletePendingLogin,
  isPendingLoginLive,
} from './totp.pending-logins.repository.js';
import { TOTP_LIMITS } from './totp.rate-limits.js';
import { verifySecondFactor } from './totp.service.js';
import { findUserById, type UserRow } from './users.repository.js';

export const pendingLoginExpired = () =>
  new AppError(
    'SECOND_FACTOR_EXPIRED',
    401,
    'This sign-in has expired or had too many wrong codes. Sign in again.',
  );

/** A wrong code; `attemptsLeft` tells pages what to say (0: the sign-in is over). */
export class SecondFactorInvalid extends AppError {
  constructor(readonly attemptsLeft: number) {
    const message =
      attemptsLeft > 0
        ? `That code is not right. ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left.`
        : 'That code is not right, and that was the last try. Sign in again.';
    super('SECOND_FACTOR_INVALID', 401, message, { fields: { code: message } });
  }
}

export function isPendingLoginTokenLive(deps: AccountsDeps, token: string): Promise<boolean> {
  return isPendingLoginLive(deps.db, hashToken(token), PENDING_LOGIN_MAX_ATTEMPTS);
}

async function hitAccountLimit(limiter: RateLimiter, userId: string): Promise<void> {
  const result = await limiter.hit(TOTP_LIMITS.codesPerAccount, userId);
  if (result.allowed) return;
  throw new AppError('RATE_LIMITED', 429, 'Too many attempts. Please wait and try again.', {
    retryAfter: Math.max(1, Math.ceil((result.resetAt.getTime() - Date.now()) / 1000)),
  });
}

export async function completeSecondFactor(
  deps: AccountsDeps,
  limiter: RateLimiter,
  input: { pendingToken: string; code: string },
  meta: RequestMeta,
  deviceId: string,
): Promise<{ user: UserRow; session: NewSession }> {
  const pending = await countPendingAttempt(
    deps.db,
    hashToken(input.pendingToken),
    PENDING_LOGIN_MAX_ATTEMPTS,
  );
  if (!pending) throw pendingLoginExpired();
  const user = await findUserById(deps.db, pending.user_id);
  if (!user || user.status === 'deleted') {
    await deletePendingLogin(deps.db, pending.id);
    throw pendingLoginExpired();
  }
  await hitAccountLimit(limiter, user.id);
  if (user.status === 'suspended') {
    await deletePendingLogin(deps.db, pending.id);
    throw new AppError(
      'ACCOUNT_SUSPENDED',
      403,
      'This account is suspended. Contact support to appeal.',
    );
  }
  // The code is spent, the pending login ended and the session started together, or not at all.
  const session = await deps.db.transaction().execute(async (trx) => {
    const factor = await verifySecondFactor(trx, deps.config.appSecret, user.id, input.code, meta);
    if (!factor) return undefined;
    if (!(await deletePendingLogin(trx, pending.id))) throw pendingLoginExpired();
    return completeSignIn(trx, user, meta, deviceId, 'password');
  });
  if (session) return { user, session };

  const attemptsLeft = PENDING_LOGIN_MAX_ATTEMPTS - pending.attempts;
  await recordEvent(deps.db, user.id, 'sign_in_failed', meta, {
    second_factor: true,
    attempts_left: attemptsLeft,
  });
  if (attemptsLeft <= 0) await deletePendingLogin(deps.db, pending.id);
  throw new SecondFactorInvalid(attemptsLeft);
}
