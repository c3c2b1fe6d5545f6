import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createS3Harness, type StoreHarness } from '../../platform/storage/testing/harnesses.js';
import {
  generate,
  listKeys,
  loadFile,
  probeObject,
  processNow,
  setUpMedia,
  sine,
  submitFile,
  type MediaFixture,
} from './media.test-helpers.js';

let fx: MediaFixture;
let s3: StoreHarness;
before(async () => {
  [fx, s3] = await Promise.all([setUpMedia(), createS3Harness({ pageSize: 2 })]);
});
after(async () => {
  await Promise.all([fx.close(), s3.close()]);
});

describe('processing on the S3 driver', () => {
  test('audio processes to its renditions, twice without duplicates', async () => {
    const flac = await generate(fx.work, 'take.flac', sine(35));
    const id = await submitFile(fx, s3.store, {
      path: flac,
      name: 'take.flac',
      declaredType: 'audio/flac',
    });
    await processNow(fx, s3.store, id);
    await processNow(fx, s3.store, id);
    const { file, renditions } = await loadFile(fx, id);
    assert.equal(file.status, 'ready', file.error ?? '');
    assert.equal(file.mime, 'audio/flac');
    assert.equal(renditions.stream?.size, (await s3.store.head(`files/${id}/stream.m4a`))?.size);
    const preview = await probeObject(s3.store, `files/${id}/preview.m4a`, fx.work);
    assert.ok(Math.abs(preview.durationS - 30) < 0.3);
    assert.deepEqual(
      await listKeys(s3.store, `files/${id}/`),
      ['original', 'preview.m4a', 'stream.m4a', 'waveform.json'].map((n) => `files/${id}/${n}`),
    );
    assert.deepEqual(await listKeys(s3.store, 'tmp/'), []);
  });

  test('a program renamed .mp3 is quarantined and removed', async () => {
    const fake = path.join(fx.work, 'fake.mp3');
    await copyFile('/bin/true', fake);
    const id = await submitFile(fx, s3.store, { path: fake, name: 'fake.mp3' });
    await processNow(fx, s3.store, id);
    assert.equal((await loadFile(fx, id)).file.status, 'quarantined');
    assert.deepEqual(await listKeys(s3.store, `files/${id}/`), []);
    assert.deepEqual(await listKeys(s3.store, 'tmp/'), []);
  });
});
