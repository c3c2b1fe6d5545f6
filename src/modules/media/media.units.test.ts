import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { previewWindow } from './audio.processor.js';
import { cleanFileName } from './media.service.js';
import { FileRefusal } from './media-errors.js';
import { assertDeclarationMatches, type Sniffed } from './sniff.js';
import { PeakAccumulator } from './waveform.js';

function samples(values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => buffer.writeInt16LE(v, i * 2));
  return buffer;
}

describe('waveform peaks', () => {
  test('exactly the bucket count however the real length differs from the estimate', () => {
    for (const actual of [5_000, 10_000, 14_000]) {
      const peaks = new PeakAccumulator(10_000, 100);
      peaks.add(samples(Array.from({ length: actual }, (_, i) => (i % 7) * 1000)));
      assert.equal(peaks.peaks().length, 100);
    }
  });

  test('normalised so the loudest bucket is 1; silence stays 0', () => {
    const peaks = new PeakAccumulator(0, 4); // no estimate: one block per sample
    const runs = [0, -8000, 16000, 4000].flatMap((level) => Array<number>(100).fill(level));
    peaks.add(samples(runs));
    assert.deepEqual(peaks.peaks(), [0, 0.5, 1, 0.25]);
    const silent = new PeakAccumulator(10, 4);
    silent.add(samples(Array<number>(10).fill(0)));
    assert.deepEqual(silent.peaks(), [0, 0, 0, 0]);
  });
});

describe('preview window', () => {
  test('a third in by default, the creator’s start when given, always inside the track', () => {
    assert.deepEqual(previewWindow(180_000, null), { startMs: 60_000, lengthMs: 30_000 });
    assert.deepEqual(previewWindow(180_000, 5_000), { startMs: 5_000, lengthMs: 30_000 });
    assert.deepEqual(previewWindow(180_000, 170_000), { startMs: 150_000, lengthMs: 30_000 });
    assert.deepEqual(previewWindow(20_000, 10_000), { startMs: 0, lengthMs: 20_000 });
  });
});

describe('declared type against sniffed bytes', () => {
  const mp3: Sniffed = {
    mime: 'audio/mpeg',
    ext: 'mp3',
    treatment: 'media',
    webImage: false,
    executable: false,
  };
  const elf: Sniffed = {
    mime: 'application/x-elf',
    ext: 'elf',
    treatment: 'other',
    webImage: false,
    executable: true,
  };
  const refusal = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      return error instanceof FileRefusal ? error.status : 'other error';
    }
    return undefined;
  };

  test('within a family a different format is fine; across families it is quarantined', () => {
    assert.equal(
      refusal(() => assertDeclarationMatches(mp3, 'song.m4a', 'audio/mp4')),
      undefined,
    );
    assert.equal(
      refusal(() => assertDeclarationMatches(mp3, 'song.mp4', null)),
      undefined,
    );
    assert.equal(
      refusal(() => assertDeclarationMatches(mp3, 'song', 'application/octet-stream')),
      undefined,
    );
    assert.equal(
      refusal(() => assertDeclarationMatches(mp3, 'song.zip', null)),
      'quarantined',
    );
    assert.equal(
      refusal(() => assertDeclarationMatches(mp3, 'song.bin', 'image/png')),
      'quarantined',
    );
  });

  test('programs are kept only under a program’s name', () => {
    assert.equal(
      refusal(() => assertDeclarationMatches(elf, 'tool', null)),
      undefined,
    );
    assert.equal(
      refusal(() => assertDeclarationMatches(elf, 'Tool.AppImage', null)),
      undefined,
    );
    assert.equal(
      refusal(() => assertDeclarationMatches(elf, 'setup.exe', null)),
      undefined,
    );
    assert.equal(
      refusal(() => assertDeclarationMatches(elf, 'song.mp3', null)),
      'quarantined',
    );
    assert.equal(
      refusal(() => assertDeclarationMatches(elf, 'notes.txt', null)),
      'quarantined',
    );
  });
});

describe('file names', () => {
  test('only the last segment, without control or direction-override characters', () => {
    assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
    assert.equal(cleanFileName('C:\\Users\\me\\song.mp3'), 'song.mp3');
    assert.equal(cleanFileName('evil\u202e3pm.exe'), 'evil3pm.exe');
    assert.equal(cleanFileName('a\u0000b.wav'), 'ab.wav');
    assert.equal(cleanFileName('..'), 'file');
    assert.equal(cleanFileName('x'.repeat(300)).length, 255);
  });
});
