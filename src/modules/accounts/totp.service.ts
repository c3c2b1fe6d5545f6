// Authenticator-app codes: setting them up (a secret shown as a QR code, on only after a code
// proves the app has it), turning them off, backup codes, and checking a code at sign-in.
// Callers check the password first where one is needed (disable, new backup codes).
import type { Executor } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { AccountsDeps } from './accounts.service.js';
import { recordEvent, type RequestMeta } from './security-log.js';
import { encodeBase32, matchTotp, newTotpSecret, otpauthUri } from './totp.algorithm.js';
import {
  claimTotpStep,
  clearTotp,
  countUnusedBackupCodes,
  findTotpState,
  markTotpEnabled,
  replaceBackupCodes,
  savePendingSecret,
  spendBackupCode,
} from './totp.repository.js';
import {
  hashBackupCode,
  looksLikeBackupCode,
  newBackupCodes,
  openTotpSecret,
  sealTotpSecret,
} from './totp.secrets.js';

export interface TotpStatus {
  enabledAt: Date | null;
  backupCodesLeft: number;
}

export interface TotpSetup {
  /** base32, for typing into the app by hand */
  secret: string;
  /** otpauth:// URI, for the QR code */
  uri: string;
}

/** The name authenticator apps list the account under. */
const ISSUER = 'Makenot.work';

const alreadyEnabled = () =>
  new AppError('TOTP_ALREADY_ENABLED', 409, 'Two-factor authentication is already on.');
const notEnabled = () =>
  new AppError('TOTP_NOT_ENABLED', 409, 'Two-factor authentication is not on.');

export async function totpStatus(deps: AccountsDeps, userId: string): Promise<TotpStatus> {
  const state = await findTotpState(deps.db, userId);
  const enabledAt = state?.totp_enabled_at ?? null;
  return {
    enabledAt,
    backupCodesLeft: enabledAt ? await countUnusedBackupCodes(deps.db, userId) : 0,
  };
}

/**
 * The secret being set up: the one already pending (so reloading the page does not invalidate
 * a code the app was just given), or a new one.
 */
export async function startTotpSetup(
  deps: AccountsDeps,
  user: { id: string; email: string },
): Promise<TotpSetup> {
  const { appSecret } = deps.config;
  const state = await findTotpState(deps.db, user.id);
  if (state?.totp_enabled_at) throw alreadyEnabled();
  let secret: Buffer | undefined;
  if (state?.totp_secret) {
    try {
      secret = openTotpSecret(appSecret, user.id, state.totp_secret);
    } catch {
      secret = undefined; // sealed under an older APP_SECRET: start again with a new one
    }
  }
  if (!secret) {
    secret = newTotpSecret();
    if (!(await savePendingSecret(deps.db, user.id, sealTotpSecret(appSecret, user.id, secret)))) {
      throw alreadyEnabled();
    }
  }
  return {
    secret: encodeBase32(secret),
    uri: otpauthUri({ secret, issuer: ISSUER, account: user.email }),
  };
}

const codeInvalid = () =>
  new AppError('TOTP_CODE_INVALID', 422, 'That code is not right.', {
    fields: {
      code: 'That code is not right. Enter the 6-digit code your app shows now.',
    },
  });

/** Turns TOTP on when the code matches the pending secret; returns the new backup codes. */
export async function confirmTotpSetup(
  deps: AccountsDeps,
  userId: string,
  code: string,
  meta: RequestMeta,
): Promise<string[]> {
  const state = await findTotpState(deps.db, userId);
  if (state?.totp_enabled_at) throw alreadyEnabled();
  if (!state?.totp_secret) {
    throw new AppError('TOTP_SETUP_MISSING', 409, 'Start the setup again.');
  }
  let step: number | undefined;
  try {
    const secret = openTotpSecret(deps.config.appSecret, userId, state.totp_secret);
    step = matchTotp(secret, code.replace(/\s/g, ''), Date.now());
  } catch {
    step = undefined;
  }
  if (step === undefined) throw codeInvalid();
  const enabledStep = step;
  return deps.db.transaction().execute(async (trx) => {
    if (!(await markTotpEnabled(trx, userId, enabledStep))) throw alreadyEnabled();
    const codes = await issueBackupCodes(trx, deps.config.appSecret, userId);
    await recordEvent(trx, userId, 'totp_enabled', meta);
    return codes;
  });
}

async function issueBackupCodes(
  executor: Executor,
  appSecret: string,
  userId: string,
): Promise<string[]> {
  const codes = newBackupCodes();
  await replaceBackupCodes(
    executor,
    userId,
    codes.map((code) => hashBackupCode(appSecret, userId, code)),
  );
  return codes;
}

/** Turns TOTP off (and forgets a pending setup); true when it was on. */
export async function disableTotp(
  deps: AccountsDeps,
  userId: string,
  meta: RequestMeta,
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const state = await findTotpState(trx, userId);
    await clearTotp(trx, userId);
    if (!state?.totp_enabled_at) return false;
    await recordEvent(trx, userId, 'totp_disabled', meta);
    return true;
  });
}

/** Ten new backup codes; the old ones stop working. */
export async function regenerateBackupCodes(
  deps: AccountsDeps,
  userId: string,
  meta: RequestMeta,
): Promise<string[]> {
  return deps.db.transaction().execute(async (trx) => {
    const state = await findTotpState(trx, userId);
    if (!state?.totp_enabled_at) throw notEnabled();
    const codes = await issueBackupCodes(trx, deps.config.appSecret, userId);
    await recordEvent(trx, userId, 'backup_codes_renewed', meta);
    return codes;
  });
}

export type SecondFactorKind = 'totp' | 'backup_code';

/**
 * Checks the second step of a sign-in: a 6-digit code not used before, or an unused backup
 * code (which is then spent and logged). Undefined when neither.
 */
export async function verifySecondFactor(
  executor: Executor,
  appSecret: string,
  userId: string,
  input: string,
  meta: RequestMeta,
): Promise<SecondFactorKind | undefined> {
  const code = input.replace(/\s/g, '');
  const state = await findTotpState(executor, userId);
  if (!state?.totp_enabled_at || !state.totp_secret) return undefined;
  if (/^\d{6}$/.test(code)) {
    let step: number | undefined;
    try {
      step = matchTotp(openTotpSecret(appSecret, userId, state.totp_secret), code, Date.now());
    } catch {
      return undefined;
    }
    // A code is good once: the step must be later than the last one used.
    if (step !== undefined && (await claimTotpStep(executor, userId, step))) return 'totp';
    return undefined;
  }
  if (!looksLikeBackupCode(code)) return undefined;
  if (!(await spendBackupCode(executor, userId, hashBackupCode(appSecret, userId, code)))) {
    return undefined;
  }
  const left = await countUnusedBackupCodes(executor, userId);
  await recordEvent(executor, userId, 'backup_code_used', meta, { remaining: left });
  return 'backup_code';
}
