// Passkeys: registering one for the signed-in account, naming and removing them, and signing in
// with one alone. Sign-in asks for a discoverable credential (no allowCredentials), so the
// authenticator says whose it is; user verification is required there, which makes a passkey
// two factors in one and lets it skip TOTP.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { DatabaseError } from 'pg';
import { AppError, notFound } from '../../platform/errors.js';
import type { AccountsDeps } from './accounts.service.js';
import { completeSignIn } from './login.service.js';
import { defaultPasskeyName } from './passkeys.names.js';
import {
  countPasskeysOf,
  deletePasskeyOf,
  findPasskeyByCredentialId,
  insertPasskey,
  listPasskeysOf,
  lockPasskeysOf,
  recordPasskeyUse,
  renamePasskeyOf,
  type PasskeyRow,
} from './passkeys.repository.js';
import { recordEvent, type RequestMeta } from './security-log.js';
import type { NewSession } from './sessions.service.js';
import { findUserById, type UserRow } from './users.repository.js';
import { insertChallenge, takeChallenge } from './webauthn-challenges.repository.js';
import { CHALLENGE_TTL_MS, relyingPartyOf } from './webauthn-relying-party.js';

export const MAX_PASSKEYS = 20;

/**
 * EdDSA, ES256 and RS256: what authenticators actually use. Left to itself the library would
 * also offer ML-DSA-44, whose verification in Node 24 is still experimental, and a passkey
 * must keep working across Node upgrades.
 */
const ALGORITHMS = [-8, -7, -257];

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** synced by its provider (iCloud Keychain, a password manager) rather than bound to one device */
  backedUp: boolean;
}

export function passkeyView(row: PasskeyRow): PasskeyView {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    backedUp: row.backed_up,
  };
}

const limitReached = () =>
  new AppError(
    'PASSKEY_LIMIT_REACHED',
    409,
    `An account can have at most ${MAX_PASSKEYS} passkeys. Remove one first.`,
  );
const challengeExpired = () =>
  new AppError('CHALLENGE_EXPIRED', 400, 'The passkey request expired. Please try again.');
const registrationFailed = (cause?: unknown) =>
  new AppError('PASSKEY_INVALID', 400, 'The passkey could not be verified. Please try again.', {
    cause,
  });
const notRecognized = (cause?: unknown) =>
  new AppError('PASSKEY_NOT_RECOGNIZED', 401, 'That passkey is not recognised here.', { cause });

export async function listPasskeys(deps: AccountsDeps, userId: string): Promise<PasskeyView[]> {
  return (await listPasskeysOf(deps.db, userId)).map(passkeyView);
}

export interface CeremonyOptions<T> {
  challengeId: string;
  options: T;
}

export async function passkeyRegistrationOptions(
  deps: AccountsDeps,
  user: { id: string; email: string; displayName: string },
): Promise<CeremonyOptions<PublicKeyCredentialCreationOptionsJSON>> {
  const existing = await listPasskeysOf(deps.db, user.id);
  if (existing.length >= MAX_PASSKEYS) throw limitReached();
  const rp = relyingPartyOf(deps.config);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.displayName,
    // The user handle authenticators store and hand back at sign-in: our id, nothing personal.
    userID: new TextEncoder().encode(user.id),
    timeout: CHALLENGE_TTL_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    supportedAlgorithmIDs: ALGORITHMS,
  });
  const challengeId = await insertChallenge(deps.db, {
    userId: user.id,
    purpose: 'register',
    challenge: options.challenge,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
  return { challengeId, options };
}

export async function registerPasskey(
  deps: AccountsDeps,
  userId: string,
  input: { challengeId: string; response: RegistrationResponseJSON; name?: string | undefined },
  meta: RequestMeta,
): Promise<PasskeyView> {
  const challenge = await takeChallenge(deps.db, input.challengeId, 'register', userId);
  if (!challenge) throw challengeExpired();
  const rp = relyingPartyOf(deps.config);
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The session already proved who this is; verification is demanded when it signs in.
      requireUserVerification: false,
      supportedAlgorithmIDs: ALGORITHMS,
    });
  } catch (error) {
    throw registrationFailed(error);
  }
  if (!verified.verified) throw registrationFailed();
  const info = verified.registrationInfo;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      await lockPasskeysOf(trx, userId);
      const count = await countPasskeysOf(trx, userId);
      if (count >= MAX_PASSKEYS) throw limitReached();
      const row = await insertPasskey(trx, {
        userId,
        credentialId: info.credential.id,
        publicKey: info.credential.publicKey,
        counter: info.credential.counter,
        transports: info.credential.transports ?? input.response.response.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name: input.name ?? defaultPasskeyName(info.aaguid, count),
      });
      await recordEvent(trx, userId, 'passkey_added', meta, { name: row.name });
      return passkeyView(row);
    });
  } catch (error) {
    if (error instanceof DatabaseError && error.code === '23505') {
      throw new AppError('PASSKEY_EXISTS', 409, 'This passkey is already registered.');
    }
    throw error;
  }
}

export async function renamePasskey(
  deps: AccountsDeps,
  userId: string,
  id: string,
  name: string,
  meta: RequestMeta,
): Promise<PasskeyView> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await renamePasskeyOf(trx, userId, id, name);
    if (!row) throw notFound('passkey');
    await recordEvent(trx, userId, 'passkey_renamed', meta, { name });
    return passkeyView(row);
  });
}

/** Removes one of the account's passkeys; the caller has checked the password. */
export async function removePasskey(
  deps: AccountsDeps,
  userId: string,
  id: string,
  meta: RequestMeta,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await deletePasskeyOf(trx, userId, id);
    if (!row) throw notFound('passkey');
    await recordEvent(trx, userId, 'passkey_removed', meta, { name: row.name });
  });
}

export async function passkeySignInOptions(
  deps: AccountsDeps,
): Promise<CeremonyOptions<PublicKeyCredentialRequestOptionsJSON>> {
  const options = await generateAuthenticationOptions({
    rpID: relyingPartyOf(deps.config).id,
    timeout: CHALLENGE_TTL_MS,
    userVerification: 'preferred',
  });
  const challengeId = await insertChallenge(deps.db, {
    userId: null,
    purpose: 'authenticate',
    challenge: options.challenge,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
  return { challengeId, options };
}

function userHandleMatches(response: AuthenticationResponseJSON, userId: string): boolean {
  const handle = response.response.userHandle;
  return handle === undefined || Buffer.from(handle, 'base64url').toString('utf8') === userId;
}

export async function signInWithPasskey(
  deps: AccountsDeps,
  input: { challengeId: string; response: AuthenticationResponseJSON },
  meta: RequestMeta,
  deviceId: string,
): Promise<{ user: UserRow; session: NewSession }> {
  const challenge = await takeChallenge(deps.db, input.challengeId, 'authenticate', null);
  if (!challenge) throw challengeExpired();
  const passkey = await findPasskeyByCredentialId(deps.db, input.response.id);
  if (!passkey || !userHandleMatches(input.response, passkey.user_id)) throw notRecognized();
  const user = await findUserById(deps.db, passkey.user_id);
  if (!user || user.status === 'deleted') throw notRecognized();
  const rp = relyingPartyOf(deps.config);
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credential_id,
        publicKey: new Uint8Array(passkey.public_key),
        counter: passkey.counter,
        transports: passkey.transports,
      },
      requireUserVerification: true,
    });
  } catch (error) {
    await recordEvent(deps.db, user.id, 'sign_in_failed', meta, {
      method: 'passkey',
      name: passkey.name,
    });
    throw notRecognized(error);
  }
  if (!verified.verified) throw notRecognized();
  if (user.status === 'suspended') {
    throw new AppError(
      'ACCOUNT_SUSPENDED',
      403,
      'This account is suspended. Contact support to appeal.',
    );
  }
  const { newCounter, credentialBackedUp } = verified.authenticationInfo;
  const session = await deps.db.transaction().execute(async (trx) => {
    await recordPasskeyUse(trx, passkey.id, { counter: newCounter, backedUp: credentialBackedUp });
    return completeSignIn(trx, user, meta, deviceId, 'passkey');
  });
  return { user, session };
}
