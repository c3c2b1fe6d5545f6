// Licence keys: `MNW-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`, 25 Crockford base32 characters (125 bits of
// randomness), easy to read aloud and type. Lookups use sha256 of the canonical form; the key
// itself is kept sealed with AES-256-GCM so its buyer can be shown it again.
//
// Why sealed rather than derived (e.g. HMAC(secret, order id)): a derived key changes for every
// customer the day APP_SECRET is rotated, and cannot be re-issued without a counter. A sealed key
// keeps validating by its hash whatever happens to the secret (only showing it again needs the
// secret), and a database leak alone reveals neither keys nor a way to make them.
import { createCipheriv, createDecipheriv, randomBytes, randomInt } from 'node:crypto';
import { deriveKey, hashToken } from '../../platform/secrets.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 5;
const GROUP_SIZE = 5;
const PREFIX = 'MNW';
const KEY_CHARS = GROUPS * GROUP_SIZE;

/** A new key's 25 characters (see displayKey for the form people see). */
export function generateCanonicalKey(): string {
  let chars = '';
  for (let i = 0; i < KEY_CHARS; i++) chars += ALPHABET.charAt(randomInt(ALPHABET.length));
  return chars;
}

function formatKey(canonical: string): string {
  const groups: string[] = [];
  for (let i = 0; i < canonical.length; i += GROUP_SIZE) {
    groups.push(canonical.slice(i, i + GROUP_SIZE));
  }
  return [PREFIX, ...groups].join('-');
}

/**
 * The 25 key characters of what someone typed (any case, spaces or dashes, O for 0, I or L for
 * 1), or undefined when it cannot be a key. Callers treat undefined exactly like an unknown key.
 */
export function canonicalKey(input: string): string | undefined {
  let text = input.toUpperCase().replace(/[\s-]/g, '');
  if (text.length === KEY_CHARS + PREFIX.length && text.startsWith(PREFIX)) {
    text = text.slice(PREFIX.length);
  }
  text = text.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (text.length !== KEY_CHARS) return undefined;
  for (const char of text) if (!ALPHABET.includes(char)) return undefined;
  return text;
}

export function keyHash(canonical: string): Buffer {
  return hashToken(canonical);
}

export function keySuffix(canonical: string): string {
  return canonical.slice(-GROUP_SIZE);
}

export function displayKey(canonical: string): string {
  return formatKey(canonical);
}

export interface KeySealer {
  seal(canonical: string, orderId: string): Buffer;
  open(sealed: Buffer, orderId: string): string;
}

/** AES-256-GCM under a key derived from APP_SECRET; the order id is bound in as AAD. */
export function createKeySealer(appSecret: string): KeySealer {
  const key = deriveKey(appSecret, 'licences/key-seal');
  return {
    seal(canonical, orderId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(orderId));
      const body = Buffer.concat([cipher.update(canonical, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed, orderId) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAAD(Buffer.from(orderId));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString();
    },
  };
}
