// What the database keeps of a user's second factor. The TOTP secret must be readable again to
// check codes, so it is encrypted (AES-256-GCM, a key derived from APP_SECRET, the user's id as
// associated data so a sealed secret cannot be moved to another account). Backup codes only
// need checking, so only a keyed hash of each is kept.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { deriveKey } from '../../platform/secrets.js';

const SEAL_VERSION = 'v1';
const IV_BYTES = 12;

export function sealTotpSecret(appSecret: string, userId: string, secret: Uint8Array): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(appSecret, 'totp'), iv);
  cipher.setAAD(Buffer.from(userId));
  const sealed = Buffer.concat([cipher.update(secret), cipher.final()]);
  return [SEAL_VERSION, iv, cipher.getAuthTag(), sealed]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The secret again; throws when the value was altered, belongs to another user, or another key. */
export function openTotpSecret(appSecret: string, userId: string, sealed: string): Buffer {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== SEAL_VERSION || !iv || !tag || data === undefined) {
    throw new Error('unknown sealed TOTP secret format');
  }
  const decipher = createDecipheriv(
    'aes-256-gcm',
    deriveKey(appSecret, 'totp'),
    Buffer.from(iv, 'base64url'),
  );
  decipher.setAAD(Buffer.from(userId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
}

export const BACKUP_CODE_COUNT = 10;
// 32 symbols (no 0/o or 1/l to confuse), so a random byte masked to 5 bits picks one unbiased.
const BACKUP_SYMBOLS = 'abcdefghijkmnpqrstuvwxyz23456789';
const BACKUP_LENGTH = 10; // 50 bits

/** Ten fresh codes, written "abcde-fghjk" for reading aloud and typing. */
export function newBackupCodes(count = BACKUP_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = [...randomBytes(BACKUP_LENGTH)].map((b) => BACKUP_SYMBOLS.charAt(b & 31));
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
}

/** A typed backup code as it was issued: case, spaces and dashes do not matter. */
export function normalizeBackupCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

export function looksLikeBackupCode(input: string): boolean {
  return /^[a-z2-9]{10}$/.test(normalizeBackupCode(input));
}

export function hashBackupCode(appSecret: string, userId: string, code: string): Buffer {
  return createHmac('sha256', deriveKey(appSecret, 'totp-backup-codes'))
    .update(`${userId}:${normalizeBackupCode(code)}`)
    .digest();
}
