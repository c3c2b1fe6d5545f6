// Helpers of the storage contract tests: bodies that are never held whole, and signed URLs
// with one thing changed.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { StoreHarness } from './harnesses.js';

export const readAll = (body: Readable): Promise<Buffer> => buffer(body);

/** A stream of `size` random bytes and a promise of their SHA-256, never held whole. */
export function randomStream(size: number, chunkSize = 256 * 1024) {
  const hash = createHash('sha256');
  let left = size;
  const stream = Readable.from(
    (function* () {
      while (left > 0) {
        const chunk = randomBytes(Math.min(chunkSize, left));
        left -= chunk.length;
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
  return { stream, sha256: () => hash.digest('hex') };
}

export async function sha256Of(body: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body as AsyncIterable<unknown>) {
    assert.ok(chunk instanceof Uint8Array);
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Changes one character of a string (the first one that can change). */
const alter = (value: string, at = 0): string =>
  value.slice(0, at) + (value[at] === 'a' ? 'b' : 'a') + value.slice(at + 1);

export function alteredUrls(url: string, h: StoreHarness): Record<string, string> {
  const withParam = (name: string, change: (v: string) => string) => {
    const u = new URL(url);
    u.searchParams.set(name, change(u.searchParams.get(name) ?? ''));
    return u.href;
  };
  const keyChanged = new URL(url);
  const lastSlash = keyChanged.pathname.lastIndexOf('/');
  keyChanged.pathname = alter(keyChanged.pathname, lastSlash + 1);
  return {
    key: keyChanged.href,
    expiry: withParam(h.expiryParam, (v) => String(Number(v) + 1)),
    'signature, first char': withParam(h.signatureParam, (v) => alter(v, 0)),
    'signature, last char': withParam(h.signatureParam, (v) => alter(v, v.length - 1)),
  };
}
