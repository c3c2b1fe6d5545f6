// Signed URLs of the fs driver. The app serves its own objects, so a link has to carry proof that
// the API authorized exactly this object, these response headers and this expiry:
//
//   <public url>/storage/<key>?exp=<unix s>&disp=<inline|attachment>&fn=<name>&ct=<type>&sig=<mac>
//
// sig = base64url(HMAC-SHA256(k, JSON ["GET", key, exp, disp, fn, ct])) with null for absent
// parameters; JSON keeps the fields unambiguous whatever characters they hold. k is derived
// from APP_SECRET with HKDF and a purpose label, so a leaked URL key reveals nothing about the
// secret that signs cookies. HEAD is verified as GET (it is the same read without a body).
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { isValidKey } from './object-key.js';
import { SignedUrlExpiredError, SignedUrlInvalidError, type SignedUrlOptions } from './store.js';

export interface UrlGrant {
  key: string;
  /** unix seconds after which the link is refused */
  expires: number;
  disposition?: 'inline' | 'attachment';
  filename?: string;
  contentType?: string;
}

const PURPOSE = 'makenot.work/storage-url/v1';
const PARAMS = new Set(['exp', 'disp', 'fn', 'ct', 'sig']);
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

export const encodeKeyPath = (key: string): string =>
  key.split('/').map(encodeURIComponent).join('/');

export class UrlSigner {
  private readonly macKey: Buffer;
  private readonly base: string;

  constructor(secret: string, publicUrl: URL) {
    this.macKey = Buffer.from(hkdfSync('sha256', secret, '', PURPOSE, 32));
    // A PUBLIC_URL with a path (behind a proxy that strips it) keeps that path.
    this.base = `${publicUrl.origin}${publicUrl.pathname.replace(/\/+$/, '')}/storage/`;
  }

  sign(key: string, expires: number, options: Omit<SignedUrlOptions, 'expiresInSeconds'>): string {
    const grant: UrlGrant = { key, expires, ...options };
    const query = new URLSearchParams({ exp: String(expires) });
    if (grant.disposition !== undefined) query.set('disp', grant.disposition);
    if (grant.filename !== undefined) query.set('fn', grant.filename);
    if (grant.contentType !== undefined) query.set('ct', grant.contentType);
    query.set('sig', this.mac(grant));
    return `${this.base}${encodeKeyPath(key)}?${query.toString()}`;
  }

  /** The grant a request carries; throws SignedUrlInvalidError or SignedUrlExpiredError. */
  verify(key: string, query: URLSearchParams, nowSeconds: number): UrlGrant {
    const grant = parseGrant(key, query);
    const given = query.get('sig') ?? '';
    const expected = this.mac(grant);
    // Compare the encoded strings: base64url's last character has spare bits, so comparing
    // decoded bytes would accept a link with that character altered.
    const valid =
      SIGNATURE.test(given) && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!valid) throw new SignedUrlInvalidError();
    // Expiry is checked after the signature, so an altered exp reads as invalid, not expired.
    if (nowSeconds >= grant.expires) throw new SignedUrlExpiredError();
    return grant;
  }

  private mac(grant: UrlGrant): string {
    const fields = [
      'GET',
      grant.key,
      String(grant.expires),
      grant.disposition ?? null,
      grant.filename ?? null,
      grant.contentType ?? null,
    ];
    return createHmac('sha256', this.macKey).update(JSON.stringify(fields)).digest('base64url');
  }
}

function parseGrant(key: string, query: URLSearchParams): UrlGrant {
  const names = [...query.keys()];
  // Every parameter is signed; an unknown or repeated one means the link was tampered with.
  const wellFormed =
    isValidKey(key) &&
    names.every((name) => PARAMS.has(name)) &&
    new Set(names).size === names.length &&
    /^\d{1,12}$/.test(query.get('exp') ?? '');
  const disposition = query.get('disp') ?? undefined;
  if (!wellFormed || !(disposition === undefined || isDisposition(disposition))) {
    throw new SignedUrlInvalidError();
  }
  const filename = query.get('fn') ?? undefined;
  const contentType = query.get('ct') ?? undefined;
  return {
    key,
    expires: Number(query.get('exp')),
    ...(disposition !== undefined && { disposition }),
    ...(filename !== undefined && { filename }),
    ...(contentType !== undefined && { contentType }),
  };
}

const isDisposition = (value: string): value is 'inline' | 'attachment' =>
  value === 'inline' || value === 'attachment';
