// One contract for every ObjectStore driver, run against the fs driver (behind a real Fastify
// server) and the S3 driver (against s3rver). Whatever the app relies on is asserted here.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  InvalidStorageKeyError,
  RangeNotSatisfiableError,
  StorageNotFoundError,
  StorageUnavailableError,
  type ObjectStore,
} from './index.js';
import { createFsHarness, createS3Harness, type StoreHarness } from './testing/harnesses.js';
import { alteredUrls, randomStream, readAll, sha256Of } from './testing/streams.js';

export function runObjectStoreContract(driver: string, createHarness: () => Promise<StoreHarness>) {
  describe(`ObjectStore contract: ${driver}`, () => {
    let h: StoreHarness;
    let store: ObjectStore;
    before(async () => {
      h = await createHarness();
      store = h.store;
    });
    after(() => h.close());
    // Every test writes under its own prefix, so tests never see each other's objects.
    const prefix = () => `contract/${randomUUID()}`;

    test('put a Buffer, then head and get it back', async () => {
      const key = `${prefix()}/original.bin`;
      const bytes = randomBytes(1000);
      const put = await store.put(key, bytes, { contentType: 'audio/mpeg' });
      assert.equal(put.key, key);
      assert.equal(put.size, 1000);
      assert.equal(put.contentType, 'audio/mpeg');
      assert.ok(put.etag.length > 0 && !put.etag.includes('"'));
      const head = await store.head(key);
      assert.deepEqual(head && { ...head, lastModified: undefined }, {
        ...put,
        lastModified: undefined,
      });
      const got = await store.get(key);
      assert.equal(got.contentType, 'audio/mpeg');
      assert.equal(got.size, 1000);
      assert.equal(got.etag, put.etag);
      assert.equal(got.range, undefined);
      assert.ok(Math.abs(got.lastModified.getTime() - Date.now()) < 60_000);
      assert.deepEqual(await readAll(got.body), bytes);
    });

    test('put streams a multi-megabyte body', async () => {
      const key = `${prefix()}/large.bin`;
      const size = 12 * 1024 * 1024 + 123; // several S3 multipart parts, an odd tail
      const source = randomStream(size);
      const put = await store.put(key, source.stream, { contentType: 'video/mp4' });
      assert.equal(put.size, size);
      const got = await store.get(key);
      assert.deepEqual(await sha256Of(got.body), { sha256: source.sha256(), size });
    });

    test('a body that fails midway leaves no object and keeps its error', async () => {
      const key = `${prefix()}/aborted.bin`;
      const body = Readable.from(
        (async function* () {
          yield randomBytes(1024 * 1024);
          await Promise.resolve();
          throw new Error('client went away');
        })(),
      );
      await assert.rejects(store.put(key, body), (error: unknown) => {
        assert.ok(!(error instanceof StorageUnavailableError));
        assert.match(String(error), /client went away/);
        return true;
      });
      assert.equal(await store.head(key), undefined);
    });

    test('the content type defaults to application/octet-stream', async () => {
      const key = `${prefix()}/untyped`;
      await store.put(key, Buffer.from('x'));
      assert.equal((await store.head(key))?.contentType, 'application/octet-stream');
    });

    test('overwriting a key replaces the bytes and the etag', async () => {
      const key = `${prefix()}/again.txt`;
      const first = await store.put(key, Buffer.from('first'), { contentType: 'text/plain' });
      const second = await store.put(key, Buffer.from('second!'), { contentType: 'text/csv' });
      assert.notEqual(first.etag, second.etag);
      const got = await store.get(key);
      assert.equal(got.contentType, 'text/csv');
      assert.equal((await readAll(got.body)).toString(), 'second!');
    });

    test('ranged gets: first bytes, middle, to the end, clipped end', async () => {
      const key = `${prefix()}/ranged.bin`;
      const bytes = randomBytes(1000);
      await store.put(key, bytes);
      const cases = [
        { range: { start: 0, end: 9 }, span: { start: 0, end: 9 } },
        { range: { start: 100, end: 199 }, span: { start: 100, end: 199 } },
        { range: { start: 990 }, span: { start: 990, end: 999 } },
        { range: { start: 500, end: 5000 }, span: { start: 500, end: 999 } },
      ];
      for (const { range, span } of cases) {
        const got = await store.get(key, range);
        assert.deepEqual(got.range, span, JSON.stringify(range));
        assert.equal(got.size, 1000);
        assert.deepEqual(await readAll(got.body), bytes.subarray(span.start, span.end + 1));
      }
    });

    test('unsatisfiable ranges are refused', async () => {
      const key = `${prefix()}/short.bin`;
      await store.put(key, randomBytes(100));
      await store.put(`${key}.empty`, Buffer.alloc(0));
      for (const range of [{ start: 100 }, { start: 5000, end: 6000 }, { start: 10, end: 5 }]) {
        await assert.rejects(
          store.get(key, range),
          RangeNotSatisfiableError,
          JSON.stringify(range),
        );
      }
      await assert.rejects(store.get(key, { start: -1 }), RangeNotSatisfiableError);
      await assert.rejects(store.get(`${key}.empty`, { start: 0 }), RangeNotSatisfiableError);
      const empty = await store.get(`${key}.empty`);
      assert.equal((await readAll(empty.body)).length, 0);
    });

    test('a missing object: head is undefined, get is not found', async () => {
      const key = `${prefix()}/missing.bin`;
      assert.equal(await store.head(key), undefined);
      await assert.rejects(store.get(key), StorageNotFoundError);
      await assert.rejects(store.get(key, { start: 0, end: 1 }), StorageNotFoundError);
    });

    test('delete removes the object and is idempotent', async () => {
      const key = `${prefix()}/deleted.bin`;
      await store.put(key, Buffer.from('bye'));
      await store.delete(key);
      assert.equal(await store.head(key), undefined);
      await store.delete(key);
      await store.delete(`${prefix()}/never/existed`);
    });

    test('list returns every object under a prefix, across pages', async () => {
      const base = prefix();
      // No key here sorts between `ab` and `ab/` (like `ab-5`): s3rver lists by walking
      // directories, so such keys come out of S3's byte order and its pagination drops them.
      const inside = [
        `${base}/ab/1.bin`,
        `${base}/ab/2.bin`,
        `${base}/ab/deep/er/3.bin`,
        `${base}/abc/4.bin`,
        `${base}/abz-5.bin`,
        `${base}/ab/6.bin`,
        `${base}/ab/7.bin`,
      ];
      for (const key of [...inside, `${base}/b/8.bin`, `${base}/a/9.bin`]) {
        await store.put(key, Buffer.from(key), { contentType: 'text/plain' });
      }
      const listed = [];
      for await (const info of store.list(`${base}/ab`)) listed.push(info);
      assert.deepEqual(listed.map((i) => i.key).sort(), [...inside].sort());
      const one = listed.find((i) => i.key === `${base}/ab/1.bin`);
      assert.ok(one);
      assert.equal(one.size, Buffer.byteLength(`${base}/ab/1.bin`));
      assert.equal(one.contentType, 'text/plain');
      const dir = [];
      for await (const info of store.list(`${base}/ab/`)) dir.push(info.key);
      assert.equal(dir.length, 5);
      for await (const info of store.list(`${base}/nothing/`)) assert.fail(info.key);
    });

    test('keys with spaces and non-ASCII characters work everywhere', async () => {
      const base = prefix();
      const key = `${base}/Ünïcødé fïle (1) ✓.mp3`;
      await store.put(key, Buffer.from('unicode'), { contentType: 'audio/mpeg' });
      assert.equal((await store.head(key))?.size, 7);
      assert.equal((await readAll((await store.get(key)).body)).toString(), 'unicode');
      const listed = [];
      for await (const info of store.list(`${base}/Ünï`)) listed.push(info.key);
      assert.deepEqual(listed, [key]);
      const { url } = await store.signedUrl(key, { expiresInSeconds: 60 });
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'unicode');
      await store.delete(key);
      assert.equal(await store.head(key), undefined);
    });

    test('unsafe keys are refused by every operation', async () => {
      const bad = [
        '',
        '/abs',
        'a/../b',
        'a/./b',
        'a//b',
        'a/',
        'a\\b',
        'a\u0000b',
        'x'.repeat(1025),
      ];
      for (const key of bad) {
        const label = JSON.stringify(key);
        await assert.rejects(store.put(key, Buffer.from('x')), InvalidStorageKeyError, label);
        await assert.rejects(store.get(key), InvalidStorageKeyError, label);
        await assert.rejects(store.head(key), InvalidStorageKeyError, label);
        await assert.rejects(store.delete(key), InvalidStorageKeyError, label);
        await assert.rejects(
          store.signedUrl(key, { expiresInSeconds: 60 }),
          InvalidStorageKeyError,
        );
      }
      await assert.rejects(async () => {
        for await (const info of store.list('../')) assert.fail(info.key);
      }, InvalidStorageKeyError);
    });

    test('a signed URL serves the bytes over HTTP with the asked-for headers', async () => {
      const key = `${prefix()}/song.mp3`;
      const bytes = randomBytes(2000);
      await store.put(key, bytes, { contentType: 'audio/mpeg' });
      const before = Date.now();
      const signed = await store.signedUrl(key, {
        expiresInSeconds: 600,
        disposition: 'attachment',
        filename: 'Ünïcødé "song".mp3',
        contentType: 'audio/ogg',
      });
      const expiresIn = signed.expiresAt.getTime() - before;
      assert.ok(expiresIn > 598_000 && expiresIn <= 600_000, `expires in ${expiresIn} ms`);
      assert.equal(await h.signatureAccepted(signed.url), true);
      const full = await fetch(signed.url);
      assert.equal(full.status, 200);
      assert.equal(full.headers.get('content-type'), 'audio/ogg');
      assert.equal(
        full.headers.get('content-disposition'),
        `attachment; filename="_n_c_d_ _song_.mp3"; filename*=UTF-8''%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20%22song%22.mp3`,
      );
      assert.deepEqual(Buffer.from(await full.arrayBuffer()), bytes);
      const part = await fetch(signed.url, { headers: { range: 'bytes=100-199' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), 'bytes 100-199/2000');
      assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(100, 200));
    });

    test('an expired signed URL is refused with 403', async () => {
      const key = `${prefix()}/old.mp3`;
      await store.put(key, Buffer.from('old'));
      const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
      const signed = await h.storeAt(() => twoHoursAgo).signedUrl(key, { expiresInSeconds: 60 });
      assert.ok(signed.expiresAt.getTime() < Date.now());
      const response = await fetch(signed.url);
      await response.arrayBuffer();
      assert.equal(response.status, 403);
    });

    test('an altered signed URL is refused', async () => {
      const key = `${prefix()}/abc.mp3`;
      await store.put(key, Buffer.from('abc'));
      const { url } = await store.signedUrl(key, { expiresInSeconds: 600 });
      assert.equal(await h.signatureAccepted(url), true);
      for (const [what, altered] of Object.entries(alteredUrls(url, h))) {
        assert.notEqual(altered, url, what);
        assert.equal(await h.signatureAccepted(altered), false, `altered ${what}: ${altered}`);
      }
    });

    test('signed URL options and content types are checked', async () => {
      const key = `${prefix()}/x.bin`;
      await assert.rejects(store.signedUrl(key, { expiresInSeconds: 0 }), RangeError);
      await assert.rejects(store.signedUrl(key, { expiresInSeconds: 8 * 86400 }), RangeError);
      const badType = { expiresInSeconds: 60, contentType: 'text/html\r\nx: y' };
      await assert.rejects(store.signedUrl(key, badType), RangeError);
      const put = store.put(key, Buffer.from('x'), { contentType: 'text/html\nx: y' });
      await assert.rejects(put, RangeError);
    });

    test('check passes while the backend is up', async () => {
      await store.check();
    });

    test('check and reads fail with StorageUnavailableError once the backend is gone', async () => {
      const own = await createHarness();
      try {
        await own.store.put('gone/soon.bin', Buffer.from('x'));
        await own.store.check();
        await own.breakBackend();
        await assert.rejects(own.store.check(), StorageUnavailableError);
        await assert.rejects(own.store.get('gone/soon.bin'), StorageUnavailableError);
        await assert.rejects(own.store.head('gone/soon.bin'), StorageUnavailableError);
        await assert.rejects(
          own.store.put('gone/new.bin', Buffer.from('x')),
          StorageUnavailableError,
        );
      } finally {
        await own.close();
      }
    });
  });
}

runObjectStoreContract('fs', createFsHarness);
runObjectStoreContract('s3', () => createS3Harness({ pageSize: 3 }));
