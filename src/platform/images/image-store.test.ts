import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { test } from 'node:test';
import type { GetResult, ObjectInfo, ObjectStore, SignedUrl } from '../storage/store.js';
import type { ProcessedImage } from './image-processor.js';
import { deleteImage, storeImage } from './image-store.js';

/** Just enough of an ObjectStore to see what was put and deleted. */
class MemoryStore implements ObjectStore {
  readonly driver = 'fs';
  readonly objects = new Map<string, { body: Buffer; contentType: string }>();
  failPutAfter = Infinity;

  async put(
    key: string,
    body: Readable | Buffer,
    options?: { contentType?: string },
  ): Promise<ObjectInfo> {
    if (this.objects.size >= this.failPutAfter) throw new Error('store is down');
    assert.ok(Buffer.isBuffer(body));
    const contentType = options?.contentType ?? 'application/octet-stream';
    this.objects.set(key, { body, contentType });
    return { key, size: body.length, etag: 'e', contentType, lastModified: new Date() };
  }
  get(): Promise<GetResult> {
    throw new Error('not used');
  }
  async head(): Promise<ObjectInfo | undefined> {
    return undefined;
  }
  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
  list(): AsyncIterable<ObjectInfo> {
    throw new Error('not used');
  }
  signedUrl(): Promise<SignedUrl> {
    throw new Error('not used');
  }
  async check(): Promise<void> {
    return undefined;
  }
}

const processed: ProcessedImage = {
  width: 700,
  height: 500,
  sourceType: 'image/png',
  sha256: 'ab'.repeat(32),
  variants: [320, 640].map((size) => ({
    name: String(size),
    width: size,
    height: size,
    contentType: 'image/webp',
    body: Buffer.from(`webp ${size}`),
    bytes: 8,
  })),
};

const KEY =
  /^covers\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\/(320|640)\.webp$/;

test('variants go under generated keys with their content type', async () => {
  const store = new MemoryStore();
  const stored = await storeImage(store, 'covers/', processed);
  assert.equal(stored.variants.length, 2);
  for (const variant of stored.variants) {
    assert.match(variant.key, KEY);
    assert.ok(variant.key.includes(stored.id));
    assert.equal(store.objects.get(variant.key)?.contentType, 'image/webp');
  }
  assert.deepEqual(
    stored.srcset.map((entry) => entry.width),
    [320, 640],
  );
  assert.deepEqual([stored.width, stored.height, stored.sha256], [700, 500, 'ab'.repeat(32)]);

  const again = await storeImage(store, 'covers', processed);
  assert.notEqual(again.id, stored.id);
  assert.equal(store.objects.size, 4);

  await deleteImage(store, stored);
  await deleteImage(store, stored);
  assert.deepEqual([...store.objects.keys()].sort(), again.variants.map((v) => v.key).sort());
});

test('a failed put leaves nothing behind', async () => {
  const store = new MemoryStore();
  store.failPutAfter = 1;
  await assert.rejects(storeImage(store, 'covers', processed), /store is down/);
  assert.equal(store.objects.size, 0);
});

test('an unsafe prefix is refused', async () => {
  const store = new MemoryStore();
  await assert.rejects(storeImage(store, '../etc', processed), { code: 'INVALID_STORAGE_KEY' });
  assert.equal(store.objects.size, 0);
});
