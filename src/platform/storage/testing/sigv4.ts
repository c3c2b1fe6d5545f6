// An independent check of AWS Signature Version 4 query-string signatures (presigned URLs).
// s3rver accepts any SigV4 signature, so the storage tests recompute it here from the URL and
// the credentials, exactly as S3 does: canonical request, string to sign, derived signing key.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** RFC 3986 encoding as SigV4 wants it: encodeURIComponent plus !'()* */
const uriEncode = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

function canonicalQuery(params: URLSearchParams): string {
  return [...params.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

/** The signature S3 would expect for this presigned URL, or undefined if it is malformed. */
export function expectedSignature(
  url: string,
  credentials: SigV4Credentials,
  method = 'GET',
): string | undefined {
  const parsed = new URL(url);
  const params = parsed.searchParams;
  const amzDate = params.get('X-Amz-Date') ?? '';
  const [accessKeyId, date, region, service, terminator, ...rest] = (
    params.get('X-Amz-Credential') ?? ''
  ).split('/');
  const wellFormed =
    params.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' &&
    // This verifier signs the host header only, which is what the SDK's presigner does.
    params.get('X-Amz-SignedHeaders') === 'host' &&
    accessKeyId === credentials.accessKeyId &&
    date !== undefined &&
    date === amzDate.slice(0, 8) &&
    region !== undefined &&
    service !== undefined &&
    terminator === 'aws4_request' &&
    rest.length === 0;
  if (!wellFormed) return undefined;
  const canonicalRequest = [
    method,
    parsed.pathname, // S3 uses the path as sent: already URI-encoded once, never normalized
    canonicalQuery(params),
    `host:${parsed.host}\n`,
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    `${date}/${region}/${service}/aws4_request`,
    sha256Hex(canonicalRequest),
  ].join('\n');
  return hmac(
    signingKey(credentials.secretAccessKey, date, region, service),
    stringToSign,
  ).toString('hex');
}

/** true when the URL's X-Amz-Signature is the one its parameters and the credentials give */
export function verifyPresignedUrl(url: string, credentials: SigV4Credentials): boolean {
  const given = new URL(url).searchParams.get('X-Amz-Signature') ?? '';
  const expected = expectedSignature(url, credentials);
  return (
    expected !== undefined &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}
