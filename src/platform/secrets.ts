// Random tokens, their stored hashes, and purpose-bound keys derived from APP_SECRET.
// Tokens are shown once; only sha256(token) is stored, so a database leak reveals no token.
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits of randomness, URL-safe. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

// HKDF is cheap but not free, and a receipt or a signed link derives its key on every use.
const derived = new Map<string, Buffer>();

/** A key for one purpose, so a signature made for one use is worthless for another. */
export function deriveKey(appSecret: string, purpose: string): Buffer {
  const id = `${purpose}\u0000${appSecret}`;
  let key = derived.get(id);
  if (!key) {
    key = Buffer.from(
      hkdfSync('sha256', appSecret, Buffer.alloc(0), `makenot.work/${purpose}`, 32),
    );
    derived.set(id, key);
  }
  return Buffer.from(key); // a copy: the caller may not change what others use
}

export function hmac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
