import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import {
  buildZip,
  generate,
  listKeys,
  listenToFileStatus,
  loadFile,
  processNow,
  setUpMedia,
  sine,
  submitFile,
  TOOLS,
  type MediaFixture,
} from './media.test-helpers.js';
import type { MediaOptions } from './media-options.js';

let fx: MediaFixture;
before(async () => {
  fx = await setUpMedia();
});
after(async () => {
  await fx.close();
});

const store = () => fx.t.runtime.storage;

async function refused(
  file: string,
  name: string,
  options: MediaOptions = { tools: TOOLS },
  declaredType?: string,
) {
  const id = await submitFile(fx, store(), {
    path: file,
    name,
    ...(declaredType && { declaredType }),
  });
  await processNow(fx, store(), id, options);
  const { file: row, renditions } = await loadFile(fx, id);
  // nothing of a refused file is kept: no original, no renditions, no upload
  assert.deepEqual(await listKeys(store(), `files/${id}/`), []);
  assert.deepEqual(await listKeys(store(), `tmp/uploads/${id}`), []);
  assert.deepEqual(renditions, {});
  assert.equal(row.original_key, null);
  assert.ok(row.error && row.error.length > 10, 'a reason the creator can read');
  return row;
}

async function writeZip(name: string, entries: Parameters<typeof buildZip>[0]) {
  const file = path.join(fx.work, name);
  await writeFile(file, buildZip(entries));
  return file;
}

describe('refusing bad files with a reason', () => {
  test('a program renamed .mp3 is quarantined, and the status change is announced', async () => {
    const listener = await listenToFileStatus(fx);
    try {
      const fake = path.join(fx.work, 'song.mp3');
      await copyFile('/bin/true', fake);
      const row = await refused(fake, 'song.mp3', undefined, 'audio/mpeg');
      assert.equal(row.status, 'quarantined');
      assert.equal(row.mime, 'application/x-elf');
      assert.match(row.error ?? '', /audio or video.*a program/);
      await listener.settle();
      assert.deepEqual(
        listener.events.filter((e) => e.id === row.id).map((e) => e.status),
        ['pending', 'processing', 'quarantined'],
      );
      const last = listener.events.at(-1);
      assert.deepEqual(last, {
        id: row.id,
        item_id: fx.itemId,
        creator_id: fx.creatorId,
        status: 'quarantined',
        error: row.error,
      });
    } finally {
      await listener.close();
    }
  });

  test('a shell script named .mp3 is quarantined too, but a program named as one is kept', async () => {
    const script = path.join(fx.work, 'script.mp3');
    await writeFile(script, '#!/bin/sh\nrm -rf ~\n');
    assert.equal((await refused(script, 'beat.mp3')).status, 'quarantined');

    const program = path.join(fx.work, 'tool');
    await copyFile('/bin/true', program);
    const id = await submitFile(fx, store(), { path: program, name: 'mytool.AppImage' });
    await processNow(fx, store(), id);
    const { file } = await loadFile(fx, id);
    assert.equal(file.status, 'ready');
    assert.equal(file.kind, 'other');
  });

  test('a program under a document name is quarantined', async () => {
    const program = path.join(fx.work, 'manual.pdf');
    await copyFile('/bin/true', program);
    const row = await refused(program, 'manual.pdf', undefined, 'application/pdf');
    assert.equal(row.status, 'quarantined');
  });

  test('a truncated MP3 fails and says it is incomplete', async () => {
    const mp3 = await generate(fx.work, 'whole.mp3', [...sine(12), '-b:a', '128k']);
    const bytes = await readFile(mp3);
    const cut = path.join(fx.work, 'cut.mp3');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const row = await refused(cut, 'cut.mp3');
    assert.equal(row.status, 'failed');
    assert.match(row.error ?? '', /incomplete/);
  });

  test('audio bytes that no decoder can read fail', async () => {
    const mp3 = await generate(fx.work, 'garbled.mp3', [...sine(3), '-b:a', '128k']);
    const bytes = await readFile(mp3);
    // keep the tag and first frame header (so it sniffs as MP3), then noise
    const garbled = Buffer.concat([bytes.subarray(0, 600), Buffer.alloc(20_000, 0xff)]);
    await writeFile(mp3, garbled);
    const row = await refused(mp3, 'garbled.mp3');
    assert.equal(row.status, 'failed');
  });

  test('an image past the pixel limit fails before it is decoded', async () => {
    const png = path.join(fx.work, 'wide.png');
    await sharp({ create: { width: 2000, height: 1000, channels: 3, background: '#000' } })
      .png()
      .toFile(png);
    const row = await refused(png, 'wide.png', {
      tools: TOOLS,
      imageLimits: { maxPixels: 1_000_000 },
    });
    assert.equal(row.status, 'failed');
    assert.match(row.error ?? '', /too many pixels/);
  });

  test('an empty file fails', async () => {
    const empty = path.join(fx.work, 'empty.wav');
    await writeFile(empty, '');
    const row = await refused(empty, 'empty.wav');
    assert.equal(row.status, 'failed');
    assert.equal(row.error, 'The file is empty.');
  });

  test('a .zip that is not a zip is quarantined', async () => {
    const notZip = path.join(fx.work, 'notzip.zip');
    await writeFile(notZip, 'just some text pretending');
    const row = await refused(notZip, 'samples.zip');
    assert.equal(row.status, 'quarantined');
    assert.match(row.error ?? '', /ZIP archive/);
  });

  test('a zip bomb made of one huge run of zeros is quarantined', async () => {
    const zip = await writeZip('zeros.zip', [
      { name: 'zeros.bin', data: Buffer.alloc(40 * 1024 * 1024) },
    ]);
    const row = await refused(zip, 'zeros.zip');
    assert.equal(row.status, 'quarantined');
    assert.match(row.error ?? '', /compressed more than 200 to 1/);
  });

  test('an archive that unpacks past the total limit is quarantined', async () => {
    const entries = Array.from({ length: 12 }, (_, i) => ({
      name: `part${i}.bin`,
      data: Buffer.alloc(1024 * 1024, i),
    }));
    const zip = await writeZip('big.zip', entries);
    const row = await refused(zip, 'big.zip', {
      tools: TOOLS,
      archiveLimits: { maxTotalBytes: 10 * 1024 * 1024 },
    });
    assert.equal(row.status, 'quarantined');
    assert.match(row.error ?? '', /unpacks to more than 10 MB/);
  });

  test('an archive with too many entries is quarantined', async () => {
    const entries = Array.from({ length: 10_001 }, (_, i) => ({
      name: `f${i}`,
      data: Buffer.alloc(0),
      stored: true,
    }));
    const row = await refused(await writeZip('many.zip', entries), 'many.zip');
    assert.equal(row.status, 'quarantined');
    assert.match(row.error ?? '', /more than 10000 files/);
  });

  test('archives nested too deep are quarantined, one level is fine', async () => {
    let inner = buildZip([{ name: 'deep.txt', data: Buffer.from('bottom') }]);
    for (let level = 0; level < 3; level++)
      inner = buildZip([{ name: `level${level}.zip`, data: inner }]);
    const row = await refused(
      await writeZip('nested.zip', [{ name: 'outer.zip', data: inner }]),
      'nested.zip',
    );
    assert.equal(row.status, 'quarantined');
    assert.match(row.error ?? '', /nests archives/);

    const once = buildZip([
      { name: 'inner.zip', data: buildZip([{ name: 'a.txt', data: Buffer.from('a') }]) },
    ]);
    const ok = path.join(fx.work, 'once.zip');
    await writeFile(ok, once);
    const id = await submitFile(fx, store(), { path: ok, name: 'once.zip' });
    await processNow(fx, store(), id);
    const { file } = await loadFile(fx, id);
    assert.equal(file.status, 'ready', file.error ?? '');
    const archive = (file.metadata as { archive: { nested_archives: number; entries: number } })
      .archive;
    assert.equal(archive.nested_archives, 1);
    assert.equal(archive.entries, 2);
  });

  for (const name of ['../../etc/cron.d/evil', '/etc/passwd', 'C:/Windows/evil.dll']) {
    test(`an entry named ${name} is quarantined`, async () => {
      const zip = await writeZip('escape.zip', [{ name, data: Buffer.from('x') }]);
      const row = await refused(zip, 'escape.zip');
      assert.equal(row.status, 'quarantined');
      assert.match(row.error ?? '', /outside the folder/);
    });
  }
});
