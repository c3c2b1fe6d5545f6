// The fs driver's own HTTP surface, over real HTTP: what browsers, media elements and download
// managers send (HEAD, conditional requests, If-Range, suffix ranges, compression), and the JSON
// errors of API.md. The behaviour shared with S3 is in store.contract.test.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FsObjectStore, StorageUnavailableError } from './index.js';
import { createFsHarness, TEST_SECRET } from './testing/harnesses.js';

const json = { accept: 'application/json' };

async function errorCode(response: Response): Promise<unknown> {
  const body: unknown = await response.json();
  assert.ok(typeof body === 'object' && body !== null && 'error' in body);
  const { error } = body;
  assert.ok(typeof error === 'object' && error !== null && 'code' in error && 'message' in error);
  return error.code;
}

describe('fs storage route', () => {
  let h: Awaited<ReturnType<typeof createFsHarness>>;
  const bytes = randomBytes(5000);
  const key = 'originals/2026/ab/track one.mp3';
  let url: string;
  let etag: string;
  let lastModified: string;

  before(async () => {
    h = await createFsHarness();
    await h.store.put(key, bytes, { contentType: 'audio/mpeg' });
    ({ url } = await h.store.signedUrl(key, { expiresInSeconds: 300 }));
    const response = await fetch(url, { method: 'HEAD' });
    etag = response.headers.get('etag') ?? '';
    lastModified = response.headers.get('last-modified') ?? '';
  });
  after(() => h.close());

  test('HEAD and GET send the media headers and no compression', async () => {
    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '5000');
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    const get = await fetch(url, { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('content-encoding'), null);
    assert.equal(get.headers.get('content-length'), '5000');
    assert.equal(get.headers.get('accept-ranges'), 'bytes');
    assert.equal(get.headers.get('content-type'), 'audio/mpeg');
    assert.equal(get.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(get.headers.get('content-disposition'), null);
    assert.match(get.headers.get('cache-control') ?? '', /^private, max-age=(29\d|300)$/);
    assert.match(etag, /^"[0-9a-f]{64}"$/);
    assert.equal(get.headers.get('etag'), etag);
    assert.deepEqual(Buffer.from(await get.arrayBuffer()), bytes);
  });

  test('conditional GET answers 304 while the copy is current', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ 'if-none-match': etag }, 304],
      [{ 'if-none-match': `"other", W/${etag}` }, 304],
      [{ 'if-none-match': '"other"' }, 200],
      [{ 'if-modified-since': lastModified }, 304],
      [{ 'if-modified-since': new Date(Date.parse(lastModified) - 5000).toUTCString() }, 200],
      [{ 'if-none-match': '"other"', 'if-modified-since': lastModified }, 200],
    ];
    for (const [headers, status] of cases) {
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      assert.equal(response.status, status, JSON.stringify(headers));
      if (status === 304) assert.equal(response.headers.get('etag'), etag);
    }
  });

  test('ranges: suffix, open, If-Range, several ranges', async () => {
    const expect = async (headers: Record<string, string>, status: number, slice?: number[]) => {
      const response = await fetch(url, { headers });
      const body = Buffer.from(await response.arrayBuffer());
      assert.equal(response.status, status, JSON.stringify(headers));
      assert.deepEqual(body, bytes.subarray(slice?.[0] ?? 0, slice?.[1] ?? bytes.length));
      return response;
    };
    const suffix = await expect({ range: 'bytes=-100' }, 206, [4900, 5000]);
    assert.equal(suffix.headers.get('content-range'), 'bytes 4900-4999/5000');
    await expect({ range: 'bytes=4990-' }, 206, [4990, 5000]);
    await expect({ range: 'bytes=0-0' }, 206, [0, 1]);
    await expect({ range: 'bytes=-9999' }, 206, [0, 5000]);
    await expect({ range: 'bytes=10-20', 'if-range': etag }, 206, [10, 21]);
    await expect({ range: 'bytes=10-20', 'if-range': lastModified }, 206, [10, 21]);
    await expect({ range: 'bytes=10-20', 'if-range': '"stale"' }, 200);
    await expect({ range: 'bytes=0-1,5-6' }, 200);
    await expect({ range: 'bytes=9-3' }, 200);
    await expect({ range: 'pages=1-2' }, 200);
  });

  test('an unsatisfiable range is 416 with the size', async () => {
    for (const range of ['bytes=5000-', 'bytes=-0']) {
      const response = await fetch(url, { headers: { range, ...json } });
      assert.equal(response.status, 416, range);
      assert.equal(response.headers.get('content-range'), 'bytes */5000');
      assert.equal(await errorCode(response), 'RANGE_NOT_SATISFIABLE');
    }
  });

  test('refusals carry the API error codes', async () => {
    const refused = async (target: string, status: number, code: string) => {
      const response = await fetch(target, { headers: json });
      assert.equal(response.status, status, target);
      assert.equal(await errorCode(response), code, target);
    };
    const expired = await h
      .storeAt(() => new Date(Date.now() - 3_600_000))
      .signedUrl(key, { expiresInSeconds: 60 });
    await refused(expired.url, 403, 'SIGNED_URL_EXPIRED');
    await refused(`${url}&extra=1`, 403, 'SIGNED_URL_INVALID');
    await refused(url.replace(/&sig=[^&]+/, ''), 403, 'SIGNED_URL_INVALID');
    // Fastify itself refuses a malformed percent-encoding as a bad request.
    const malformed = await fetch(url.replace('/originals/', '/originals/%E0%A4%A/'));
    await malformed.arrayBuffer();
    assert.equal(malformed.status, 400);
    // fetch would normalize dot segments away; inject sends the path as written.
    const query = new URL(url).search;
    for (const traversal of ['/storage/a/%2E%2E/b', '/storage/a/../b', '/storage/%2Fetc/passwd']) {
      const response = await h.server.inject({ url: `${traversal}${query}`, headers: json });
      assert.equal(response.statusCode, 403, traversal);
    }
    const missing = await h.store.signedUrl('originals/none.mp3', { expiresInSeconds: 60 });
    await refused(missing.url, 404, 'NOT_FOUND');
  });

  test('signed disposition and content type, sanitized filenames', async () => {
    const signed = await h.store.signedUrl(key, {
      expiresInSeconds: 60,
      disposition: 'inline',
      filename: 'a/b\r\nc.mp3',
      contentType: 'application/octet-stream',
    });
    const response = await fetch(signed.url);
    await response.arrayBuffer();
    assert.equal(response.headers.get('content-disposition'), 'inline; filename="a_b__c.mp3"');
    assert.equal(response.headers.get('content-type'), 'application/octet-stream');
  });
});

describe('fs store on a broken root', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'makenot-fs-broken-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('check fails when the root lies under a regular file', async () => {
    // Tests run as root, where permissions do not stop writes; a file in the path always does.
    await writeFile(path.join(dir, 'file'), 'not a directory');
    const store = new FsObjectStore({
      root: path.join(dir, 'file', 'objects'),
      secret: TEST_SECRET,
      publicUrl: new URL('http://localhost:3000'),
    });
    await assert.rejects(store.check(), StorageUnavailableError);
    await assert.rejects(store.put('a/b', Buffer.from('x')), StorageUnavailableError);
    await assert.rejects(store.get('a/b'), StorageUnavailableError);
  });

  test('metadata that does not match its data file is not trusted', async () => {
    const root = path.join(dir, 'objects');
    const store = new FsObjectStore({
      root,
      secret: TEST_SECRET,
      publicUrl: new URL('http://localhost:3000'),
    });
    const put = await store.put('x/y.txt', Buffer.from('hello'), { contentType: 'text/plain' });
    // As if a crash had come between the sidecar rename and the data rename of a new version.
    await writeFile(path.join(root, 'data', 'x', 'y.txt'), 'HELLO!');
    const head = await store.head('x/y.txt');
    assert.ok(head);
    assert.equal(head.size, 6);
    assert.equal(head.contentType, 'application/octet-stream');
    assert.notEqual(head.etag, put.etag);
  });
});
