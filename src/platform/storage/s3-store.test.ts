// What the S3 driver does without a server: presigned URLs (checked against AWS's published
// example and our own SigV4 verifier) and the mapping of SDK errors to storage errors. The
// round trips against a server are in store.contract.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { toStorageError } from './s3-errors.js';
import { S3ObjectStore } from './s3-store.js';
import {
  RangeNotSatisfiableError,
  StorageNotFoundError,
  StorageUnavailableError,
} from './store.js';
import { verifyPresignedUrl } from './testing/sigv4.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

test('the SigV4 verifier agrees with the example of the S3 documentation', () => {
  // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
  const url =
    'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
    '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
    '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
    '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
  const aws = {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
  assert.equal(verifyPresignedUrl(url, aws), true);
  assert.equal(verifyPresignedUrl(url.replace('86400', '86401'), aws), false);
  assert.equal(verifyPresignedUrl(url, { ...aws, secretAccessKey: 'other' }), false);
});

test('presigned URLs carry the requested expiry, clock and response headers', async () => {
  const signedAt = new Date('2026-03-01T12:00:00.000Z');
  const store = new S3ObjectStore({
    config: {
      endpoint: 'http://127.0.0.1:9',
      bucket: 'media',
      region: 'eu-central-1',
      ...credentials,
      forcePathStyle: true,
    },
    now: () => signedAt,
  });
  const signed = await store.signedUrl('originals/2026/ab/Ünï côdé.mp3', {
    expiresInSeconds: 900,
    disposition: 'attachment',
    filename: 'Ünï côdé.mp3',
    contentType: 'audio/mpeg',
  });
  store.destroy();
  const url = new URL(signed.url);
  assert.equal(url.pathname, '/media/originals/2026/ab/%C3%9Cn%C3%AF%20c%C3%B4d%C3%A9.mp3');
  assert.equal(url.searchParams.get('X-Amz-Expires'), '900');
  assert.equal(url.searchParams.get('X-Amz-Date'), '20260301T120000Z');
  assert.equal(signed.expiresAt.toISOString(), '2026-03-01T12:15:00.000Z');
  assert.equal(url.searchParams.get('response-content-type'), 'audio/mpeg');
  assert.equal(
    url.searchParams.get('response-content-disposition'),
    `attachment; filename="_n_ c_d_.mp3"; filename*=UTF-8''%C3%9Cn%C3%AF%20c%C3%B4d%C3%A9.mp3`,
  );
  assert.equal(url.searchParams.has('x-amz-checksum-mode'), false);
  assert.equal(verifyPresignedUrl(signed.url, credentials), true);
  const tampered = new URL(signed.url);
  tampered.searchParams.set('response-content-type', 'text/html');
  assert.equal(verifyPresignedUrl(tampered.href, credentials), false);
});

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

test('SDK errors map to storage errors', () => {
  const key = 'a/b';
  assert.ok(toStorageError('get', key, s3Error('NoSuchKey', 404)) instanceof StorageNotFoundError);
  assert.ok(toStorageError('head', key, s3Error('NotFound', 404)) instanceof StorageNotFoundError);
  const range = toStorageError('get', key, s3Error('InvalidRange', 416));
  assert.ok(range instanceof RangeNotSatisfiableError);
  for (const error of [
    s3Error('NoSuchBucket', 404),
    s3Error('InternalError', 500),
    s3Error('SlowDown', 503),
    s3Error('InvalidAccessKeyId', 403),
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  ]) {
    const mapped = toStorageError('get', key, error);
    assert.ok(mapped instanceof StorageUnavailableError, error.name);
    assert.equal(mapped.status, 503);
    assert.equal(mapped.retryAfter, 30);
    assert.equal(mapped.cause, error);
  }
});
