// Stripe-style webhook signatures (API.md): `Stripe-Signature: t=<unix>,v1=<hex>` where v1 is
// HMAC-SHA256 of "<t>.<raw body>" with the endpoint secret, accepted within a tolerance of
// 300 s. The local processor signs its events this way and both processors are verified by it,
// so our webhook side runs the same code whichever processor is configured.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signPayload(payload: string | Buffer, secret: string, timestamp: number): string {
  const signed = createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex');
  return `t=${timestamp},v1=${signed}`;
}

export type SignatureProblem = 'missing' | 'malformed' | 'too_old' | 'mismatch';

/** undefined when the signature is good; otherwise why not (for logs, never for the caller). */
export function checkSignature(
  payload: Buffer,
  header: string | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): SignatureProblem | undefined {
  if (!header) return 'missing';
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (timestamp === undefined || candidates.length === 0) return 'malformed';
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'too_old';
  const expected = Buffer.from(
    createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex'),
  );
  // Any of several v1 values may match (Stripe sends one per active secret during a rollover).
  const matches = candidates.some((candidate) => timingSafeEqual(Buffer.from(candidate), expected));
  return matches ? undefined : 'mismatch';
}
