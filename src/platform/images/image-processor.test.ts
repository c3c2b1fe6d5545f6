import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { AppError } from '../errors.js';
import { processImage } from './image-processor.js';

function rejectsWith(code: string, status: number) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    return true;
  };
}

const solid = (width: number, height: number, rgb: [number, number, number]) =>
  sharp({
    create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } },
  });

/** 800×400 stored sideways: red on the left, blue on the right; orientation 6 turns it upright. */
async function sidewaysJpegWithGps(): Promise<Buffer> {
  const red = await solid(400, 400, [255, 0, 0]).png().toBuffer();
  return solid(800, 400, [0, 0, 255])
    .composite([{ input: red, left: 0, top: 0 }])
    .withExif({
      IFD0: { Copyright: 'SECRET-MARKER' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 31/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3')
    .jpeg()
    .toBuffer();
}

test('a sideways JPEG comes out upright with EXIF, GPS and ICC stripped', async () => {
  const input = await sidewaysJpegWithGps();
  const before = await sharp(input).metadata();
  assert.equal(before.orientation, 6);
  assert.ok(before.exif !== undefined && before.icc !== undefined);
  assert.ok(input.includes('SECRET-MARKER'));
  // The GPS IFD pointer, tag 0x8825, in either byte order.
  const gpsTag = [Buffer.from([0x88, 0x25]), Buffer.from([0x25, 0x88])];
  assert.ok(
    gpsTag.some((tag) => before.exif?.includes(tag)),
    'input carries a GPS IFD',
  );

  const result = await processImage(input, 'inline');
  assert.equal(result.width, 400);
  assert.equal(result.height, 800);
  assert.equal(result.sourceType, 'image/jpeg');
  assert.match(result.sha256, /^[0-9a-f]{64}$/);
  assert.equal(result.variants.length, 1); // 400 wide: both 640 and 1280 would enlarge
  const variant = result.variants[0];
  assert.ok(variant !== undefined);
  assert.deepEqual([variant.width, variant.height, variant.contentType], [400, 800, 'image/webp']);
  assert.equal(variant.bytes, variant.body.length);
  assert.ok(!variant.body.includes('SECRET-MARKER'));

  const meta = await sharp(variant.body).metadata();
  assert.equal(meta.format, 'webp');
  assert.equal(meta.exif, undefined);
  assert.equal(meta.icc, undefined);
  assert.equal(meta.xmp, undefined);
  assert.equal(meta.iptc, undefined);
  assert.equal(meta.orientation, undefined);
  // Upright: the former left (red) edge is now the top.
  const { data } = await sharp(variant.body).raw().toBuffer({ resolveWithObject: true });
  const top = [...data.subarray(0, 3)];
  const bottom = [...data.subarray(data.length - 3)];
  assert.ok(top[0] !== undefined && top[0] > 200 && (top[2] ?? 255) < 60, `top ${top.join()}`);
  assert.ok(bottom[2] !== undefined && bottom[2] > 200 && (bottom[0] ?? 255) < 60);
});

test('a transparent PNG keeps its alpha channel in every WebP size', async () => {
  const png = await sharp({
    create: {
      width: 700,
      height: 700,
      channels: 4,
      background: { r: 0, g: 128, b: 0, alpha: 0.3 },
    },
  })
    .png()
    .toBuffer();
  const result = await processImage(png, 'cover');
  assert.deepEqual(
    result.variants.map((v) => [v.name, v.width, v.height]),
    [
      ['320', 320, 320],
      ['640', 640, 640],
    ],
  );
  for (const variant of result.variants) {
    const meta = await sharp(variant.body).metadata();
    assert.equal(meta.hasAlpha, true);
  }
});

test('JPEG, PNG, WebP, GIF and AVIF are accepted by their bytes', async () => {
  const base = solid(300, 200, [10, 20, 30]);
  for (const [encoded, type] of [
    [await base.clone().jpeg().toBuffer(), 'image/jpeg'],
    [await base.clone().png().toBuffer(), 'image/png'],
    [await base.clone().webp().toBuffer(), 'image/webp'],
    [await base.clone().gif().toBuffer(), 'image/gif'],
    [await base.clone().avif({ effort: 0 }).toBuffer(), 'image/avif'],
  ] as const) {
    const result = await processImage(encoded, 'avatar');
    assert.equal(result.sourceType, type);
    assert.deepEqual(
      result.variants.map((v) => v.width),
      [64, 128],
    );
  }
});

test('a PNG with a payload appended is re-encoded without it', async () => {
  const png = await solid(100, 100, [1, 2, 3]).png().toBuffer();
  const payload = Buffer.from('<html><script>alert(1)</script></html>');
  const result = await processImage(Buffer.concat([png, payload]), 'avatar');
  for (const variant of result.variants) assert.ok(!variant.body.includes('<script>'));
});

/** A real 1×1 PNG whose header is rewritten to claim width × height, with a valid CRC. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await solid(1, 1, [0, 0, 0]).png().toBuffer());
  // Signature (8) + length (4) + "IHDR" (4), then width and height; the CRC covers type + data.
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

test('a header claiming 20000×20000 pixels is refused before decoding', async () => {
  const bomb = await pngClaiming(20_000, 20_000);
  assert.ok(bomb.length < 200);
  await assert.rejects(processImage(bomb, 'cover'), rejectsWith('IMAGE_TOO_MANY_PIXELS', 422));
});

test('the pixel limit is configurable and counts real pixels', async () => {
  const png = await solid(100, 100, [0, 0, 0]).png().toBuffer();
  const limits = { maxBytes: 1024 * 1024, maxPixels: 9_999 };
  await assert.rejects(
    processImage(png, 'avatar', limits),
    rejectsWith('IMAGE_TOO_MANY_PIXELS', 422),
  );
});

test('a truncated JPEG is unreadable', async () => {
  const noise = Buffer.alloc(256 * 256 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 7919) % 251;
  const jpeg = await sharp(noise, { raw: { width: 256, height: 256, channels: 3 } })
    .jpeg()
    .toBuffer();
  const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
  await assert.rejects(processImage(truncated, 'avatar'), rejectsWith('IMAGE_UNREADABLE', 422));
});

test('SVG, HTML, PDF, ZIP and random bytes are refused by content', async () => {
  const random = Buffer.alloc(4096);
  for (let i = 0; i < random.length; i++) random[i] = (i * 131 + 17) % 256;
  const inputs = {
    svg: '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    bareSvg: '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    html: '<!doctype html><html><body><img src=x onerror=alert(1)></body></html>',
    pdf: '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF',
    zip: Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(60)]),
    random,
    empty: Buffer.alloc(0),
  };
  for (const [name, content] of Object.entries(inputs)) {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    await assert.rejects(
      processImage(bytes, 'inline'),
      rejectsWith('IMAGE_TYPE_NOT_ALLOWED', 422),
      name,
    );
  }
});

test('a stream over the byte limit is refused with 413 without reading it all', async () => {
  let chunksRead = 0;
  const endless = Readable.from(
    (function* () {
      for (;;) {
        chunksRead++;
        yield Buffer.alloc(64 * 1024);
      }
    })(),
  );
  const limits = { maxBytes: 1024 * 1024, maxPixels: 40_000_000 };
  await assert.rejects(
    processImage(endless, 'avatar', limits),
    rejectsWith('IMAGE_TOO_LARGE', 413),
  );
  assert.ok(chunksRead <= 20, `read ${chunksRead} chunks`);
  assert.equal(endless.destroyed, true);

  const buffer = Buffer.alloc(1024 * 1024 + 1);
  await assert.rejects(processImage(buffer, 'avatar', limits), rejectsWith('IMAGE_TOO_LARGE', 413));
});

test('a stream within the limit is processed', async () => {
  const png = await solid(128, 128, [0, 0, 0]).png().toBuffer();
  const result = await processImage(
    Readable.from([png.subarray(0, 50), png.subarray(50)]),
    'avatar',
  );
  assert.deepEqual(
    result.variants.map((v) => v.name),
    ['64', '128'],
  );
});

test('an animated GIF keeps its first frame only', async () => {
  // Two 100×100 frames stacked: red above blue.
  const frames = Buffer.alloc(100 * 200 * 3);
  for (let pixel = 0; pixel < 100 * 200; pixel++)
    frames[pixel * 3 + (pixel < 100 * 100 ? 0 : 2)] = 255;
  const gif = await sharp(frames, {
    raw: { width: 100, height: 200, channels: 3, pageHeight: 100 },
  })
    .gif()
    .toBuffer();
  assert.equal((await sharp(gif).metadata()).pages, 2);

  const result = await processImage(gif, 'avatar');
  assert.deepEqual([result.width, result.height], [100, 100]);
  const variant = result.variants[0];
  assert.ok(variant !== undefined);
  const meta = await sharp(variant.body).metadata();
  assert.equal(meta.pages ?? 1, 1);
  const { data } = await sharp(variant.body).raw().toBuffer({ resolveWithObject: true });
  assert.ok((data[0] ?? 0) > 200 && (data[2] ?? 255) < 60, 'first (red) frame');
});
