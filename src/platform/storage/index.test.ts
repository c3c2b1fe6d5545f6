import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../config.js';
import { createObjectStore, FsObjectStore, S3ObjectStore } from './index.js';

let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'makenot-storage-index-'));
});
after(() => rm(dataDir, { recursive: true, force: true }));

const secret = 'a-test-app-secret-that-is-long-enough';

test('the embedded default is the fs store in DATA_DIR/objects, linking to PUBLIC_URL', async () => {
  const config = loadConfig({
    DATA_DIR: dataDir,
    APP_SECRET: secret,
    PUBLIC_URL: 'https://mnw.example/',
  });
  const store = createObjectStore(config);
  assert.ok(store.inner instanceof FsObjectStore);
  assert.equal(store.inner.root, path.join(dataDir, 'objects'));
  await store.check();
  assert.ok((await stat(path.join(dataDir, 'objects', 'data'))).isDirectory());
  const { url } = await store.signedUrl('a/b.mp3', { expiresInSeconds: 60 });
  assert.match(url, /^https:\/\/mnw\.example\/storage\/a\/b\.mp3\?exp=\d+&sig=[\w-]{43}$/);
});

test('S3 settings switch to the S3 store', () => {
  const config = loadConfig({
    DATA_DIR: dataDir,
    APP_SECRET: secret,
    S3_ENDPOINT: 'http://127.0.0.1:9000',
    S3_BUCKET: 'media',
    S3_ACCESS_KEY_ID: 'id',
    S3_SECRET_ACCESS_KEY: 'secret',
  });
  const store = createObjectStore(config);
  assert.ok(store.inner instanceof S3ObjectStore);
  assert.equal(store.driver, 's3');
  store.inner.destroy();
});
