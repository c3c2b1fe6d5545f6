import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { createS3Harness, type StoreHarness } from '../../platform/storage/testing/harnesses.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { createFileRecord } from './media.service.js';
import type { UploadReader } from './upload-reader.js';
import {
  buildZip,
  generate,
  listKeys,
  loadFile,
  probeObject,
  processNow,
  readObject,
  setUpMedia,
  sine,
  submitFile,
  type MediaFixture,
} from './media.test-helpers.js';

let fx: MediaFixture;
let s3: StoreHarness;
before(async () => {
  [fx, s3] = await Promise.all([setUpMedia(), createS3Harness()]);
});
after(async () => {
  await Promise.all([fx.close(), s3.close()]);
});

// Every kind on both drivers: the filesystem store and S3 (s3rver in a child process).
const drivers: [string, () => ObjectStore][] = [
  ['filesystem store', () => fx.t.runtime.storage],
  ['S3 store', () => s3.store],
];

for (const [driver, store] of drivers) {
  describe(`processing each kind of file (${driver})`, () => {
    test('a 40-second MP3 gets metadata, an AAC stream, a 30 s preview a third in and peaks', async () => {
      const mp3 = await generate(fx.work, 'long.mp3', [
        ...sine(40), '-metadata', 'title=Tide', '-metadata', 'artist=The Shore', '-b:a', '128k',
      ]); // prettier-ignore
      const id = await submitFile(fx, store(), {
        path: mp3,
        name: 'Tide.mp3',
        declaredType: 'audio/mpeg',
      });
      await processNow(fx, store(), id);
      const { file, renditions } = await loadFile(fx, id);
      assert.equal(file.status, 'ready', file.error ?? '');
      assert.equal(file.kind, 'audio');
      assert.equal(file.mime, 'audio/mpeg');
      assert.equal(file.upload_key, null);
      assert.equal(file.attempts, 1);
      assert.match(file.sha256 ?? '', /^[0-9a-f]{64}$/);
      assert.ok(Math.abs((file.duration_ms ?? 0) - 40_000) < 300, `duration ${file.duration_ms}`);
      const meta = file.metadata as {
        tags: Record<string, string>;
        audio: { sampleRate: number; codec: string };
      };
      assert.equal(meta.tags.title, 'Tide');
      assert.equal(meta.tags.artist, 'The Shore');
      assert.equal(meta.audio.codec, 'mp3');
      assert.equal(meta.audio.sampleRate, 44100);

      assert.deepEqual(Object.keys(renditions).sort(), ['preview', 'stream', 'waveform']);
      const stream = await probeObject(store(), `files/${id}/stream.m4a`, fx.work);
      assert.equal(stream.audio?.codec_name, 'aac');
      assert.ok(Math.abs(stream.durationS - 40) < 0.3);
      const preview = await probeObject(store(), `files/${id}/preview.m4a`, fx.work);
      assert.equal(preview.audio?.codec_name, 'aac');
      assert.ok(Math.abs(preview.durationS - 30) < 0.3, `preview ${preview.durationS}`);
      // a third of 40 s is 13.3 s, but the clip must end inside the track: it starts at 10 s
      assert.ok(Math.abs(Number(renditions.preview?.metadata.start_ms) - 10_000) < 300);
      const waveform = JSON.parse(
        (await readObject(store(), `files/${id}/waveform.json`)).toString(),
      ) as { peaks: number[] };
      assert.equal(waveform.peaks.length, 1000);
      assert.ok(waveform.peaks.every((p) => p >= 0 && p <= 1));
      assert.equal(Math.max(...waveform.peaks), 1);
      assert.equal(renditions.waveform?.mime, 'application/json');
      assert.deepEqual(await listKeys(store(), `files/${id}/`), [
        `files/${id}/original`, `files/${id}/preview.m4a`, `files/${id}/stream.m4a`, `files/${id}/waveform.json`,
      ]); // prettier-ignore
      assert.deepEqual(await listKeys(store(), 'tmp/'), []);
    });

    for (const [ext, args] of [
      ['wav', []],
      ['flac', ['-ar', '96000']], // a hi-res master
      ['ogg', ['-c:a', 'libopus']],
      ['m4a', ['-c:a', 'aac']],
      ['aiff', []],
    ] as const) {
      test(`a short ${ext.toUpperCase()} is whole in its preview, starting where the creator chose`, async () => {
        const input = await generate(fx.work, `short.${ext}`, [...sine(4), ...args]);
        const id = await submitFile(fx, store(), {
          path: input,
          name: `take.${ext}`,
          previewStartMs: 2_000,
        });
        await processNow(fx, store(), id);
        const { file, renditions } = await loadFile(fx, id);
        assert.equal(file.status, 'ready', file.error ?? '');
        assert.equal(file.kind, 'audio');
        assert.ok(Math.abs((file.duration_ms ?? 0) - 4_000) < 200, `duration ${file.duration_ms}`);
        // shorter than 30 s: the preview is the whole track, so it starts at 0
        assert.equal(renditions.preview?.metadata.start_ms, 0);
        const preview = await probeObject(store(), `files/${id}/preview.m4a`, fx.work);
        assert.ok(Math.abs(preview.durationS - 4) < 0.3);
        const peaks = JSON.parse(
          (await readObject(store(), `files/${id}/waveform.json`)).toString(),
        ) as { peaks: number[] };
        assert.equal(peaks.peaks.length, 1000);
      });
    }

    test('a 1080p video becomes an H.264/AAC MP4 no larger than 720p, a preview and a WebP poster', async () => {
      const mp4 = await generate(fx.work, 'clip.mov', [
        '-f', 'lavfi', '-i', 'testsrc=size=1920x1080:rate=25:duration=2', ...sine(2),
        '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest',
      ]); // prettier-ignore
      const id = await submitFile(fx, store(), {
        path: mp4,
        name: 'clip.mov',
        declaredType: 'video/quicktime',
      });
      await processNow(fx, store(), id);
      const { file, renditions } = await loadFile(fx, id);
      assert.equal(file.status, 'ready', file.error ?? '');
      assert.equal(file.kind, 'video');
      assert.ok(Math.abs((file.duration_ms ?? 0) - 2_000) < 200);
      assert.deepEqual(Object.keys(renditions).sort(), ['poster', 'preview', 'stream']);
      const preview = await probeObject(store(), `files/${id}/preview.mp4`, fx.work);
      assert.equal(preview.video?.codec_name, 'h264');
      assert.ok(Math.abs(preview.durationS - 2) < 0.3, `preview ${preview.durationS} s`);
      const stream = await probeObject(store(), `files/${id}/stream.mp4`, fx.work);
      assert.ok(stream.video);
      assert.equal(stream.video.codec_name, 'h264');
      assert.equal(stream.audio?.codec_name, 'aac');
      assert.deepEqual([stream.video.width, stream.video.height], [1280, 720]);
      const poster = await sharp(await readObject(store(), `files/${id}/poster.webp`)).metadata();
      assert.equal(poster.format, 'webp');
      assert.equal(poster.height, 720);
    });

    test('a small video is never scaled up', async () => {
      const webm = await generate(fx.work, 'small.webm', [
        '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=1', '-c:v', 'libvpx', '-deadline', 'realtime',
      ]); // prettier-ignore
      const id = await submitFile(fx, store(), { path: webm, name: 'small.webm' });
      await processNow(fx, store(), id);
      const { file } = await loadFile(fx, id);
      assert.equal(file.status, 'ready', file.error ?? '');
      const stream = await probeObject(store(), `files/${id}/stream.mp4`, fx.work);
      assert.ok(stream.video);
      assert.deepEqual([stream.video.width, stream.video.height], [320, 240]);
      assert.equal(stream.audio, undefined);
    });

    test('an image gets WebP web sizes without its metadata', async () => {
      const png = path.join(fx.work, 'photo.jpg');
      await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#336699' } })
        .jpeg()
        .withExif({ IFD0: { Copyright: 'secret camera owner' } })
        .toFile(png);
      const id = await submitFile(fx, store(), {
        path: png,
        name: 'photo.jpg',
        declaredType: 'image/jpeg',
      });
      await processNow(fx, store(), id);
      const { file, renditions } = await loadFile(fx, id);
      assert.equal(file.status, 'ready', file.error ?? '');
      assert.equal(file.kind, 'image');
      assert.deepEqual(file.metadata, { width: 1600, height: 900 });
      assert.deepEqual(Object.keys(renditions).sort(), ['w1280', 'w640']);
      const w640 = await sharp(await readObject(store(), `files/${id}/w640.webp`)).metadata();
      assert.equal(w640.width, 640);
      assert.equal(w640.exif, undefined);
    });

    test('a ZIP archive is listed in the metadata', async () => {
      const zip = path.join(fx.work, 'pack.zip');
      await writeFile(zip, buildZip([
        { name: 'readme.txt', data: Buffer.from('hello') },
        { name: 'samples/', data: Buffer.alloc(0), stored: true },
        { name: 'samples/kick.wav', data: Buffer.alloc(1000, 1) },
      ])); // prettier-ignore
      const id = await submitFile(fx, store(), {
        path: zip,
        name: 'pack.zip',
        declaredType: 'application/zip',
      });
      await processNow(fx, store(), id);
      const { file, renditions } = await loadFile(fx, id);
      assert.equal(file.status, 'ready', file.error ?? '');
      assert.equal(file.kind, 'archive');
      const archive = (file.metadata as { archive: Record<string, unknown> }).archive;
      assert.equal(archive.entries, 3);
      assert.equal(archive.files, 2);
      assert.equal(archive.total_bytes, 1005);
      assert.deepEqual(archive.listing, [
        { name: 'readme.txt', size: 5 },
        { name: 'samples/', size: 0 },
        { name: 'samples/kick.wav', size: 1000 },
      ]);
      assert.deepEqual(renditions, {});
    });

    test('anything else is stored as it is', async () => {
      const pdf = path.join(fx.work, 'score.pdf');
      await writeFile(pdf, '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
      const id = await submitFile(fx, store(), {
        path: pdf,
        name: 'score.pdf',
        declaredType: 'application/pdf',
      });
      await processNow(fx, store(), id);
      const { file } = await loadFile(fx, id);
      assert.equal(file.status, 'ready', file.error ?? '');
      assert.equal(file.kind, 'other');
      assert.equal(file.mime, 'application/pdf');
      assert.deepEqual(await listKeys(store(), `files/${id}/`), [`files/${id}/original`]);
      const original = await store().head(`files/${id}/original`);
      assert.equal(original?.contentType, 'application/pdf');
    });

    test('an upload stored in parts is read through the reader the uploads module supplies', async () => {
      const mp3 = await readFile(
        await generate(fx.work, 'parts.mp3', [...sine(3), '-b:a', '128k']),
      );
      const file = await createFileRecord(fx.t.runtime.db, {
        itemId: fx.itemId,
        creatorId: fx.creatorId,
        originalName: 'parts.mp3',
        uploadKey: 'uploads/0123abcd/',
      });
      const half = Math.floor(mp3.length / 2);
      await store().put('uploads/0123abcd/part-000000', mp3.subarray(0, half));
      await store().put('uploads/0123abcd/part-000001', mp3.subarray(half));
      const parts: UploadReader = {
        async open({ uploadKey }) {
          const keys = await listKeys(store(), uploadKey);
          if (keys.length === 0) return undefined;
          return Readable.from(
            (async function* () {
              for (const key of keys) yield await readObject(store(), key);
            })(),
          );
        },
        async remove({ uploadKey }) {
          for (const key of await listKeys(store(), uploadKey)) await store().delete(key);
        },
      };
      await processNow(fx, store(), file.id, undefined, 1, parts);
      const { file: row } = await loadFile(fx, file.id);
      assert.equal(row.status, 'ready', row.error ?? '');
      assert.equal(row.size, mp3.length);
      assert.equal(row.sha256, createHash('sha256').update(mp3).digest('hex'));
      assert.deepEqual(await listKeys(store(), 'uploads/'), []);
    });
  });
}
