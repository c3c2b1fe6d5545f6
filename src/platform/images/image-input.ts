// Getting the bytes in and deciding what they are, before any decoder sees them.
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors.js';
import { imageTooLarge, imageTypeNotAllowed } from './image-errors.js';
import { ACCEPTED_IMAGE_TYPES } from './image-policy.js';

/**
 * The whole input as one Buffer, refusing with 413 as soon as it passes maxBytes: a stream is
 * destroyed at that point rather than drained, so an oversized upload costs at most maxBytes of
 * memory. Decoders need random access, so an image is held whole; the limit keeps that small.
 */
export async function readBounded(input: Buffer | Readable, maxBytes: number): Promise<Buffer> {
  if (Buffer.isBuffer(input)) {
    if (input.length > maxBytes) throw imageTooLarge(maxBytes);
    return input;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of input as AsyncIterable<unknown>) {
      const bytes = toBuffer(chunk);
      total += bytes.length;
      if (total > maxBytes) throw imageTooLarge(maxBytes);
      chunks.push(bytes);
    }
  } catch (error) {
    input.destroy();
    if (error instanceof AppError) throw error;
    throw new AppError('IMAGE_UPLOAD_FAILED', 400, 'The image upload did not complete.', {
      cause: error,
    });
  }
  return Buffer.concat(chunks, total);
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('image streams must yield bytes');
}

export interface SniffedImage {
  mime: string;
  /** the sharp decoder the bytes must also be recognised by */
  format: string;
}

/**
 * The real type from the magic bytes; anything not on the allow-list (SVG, HTML, PDF, archives,
 * unknown bytes) is refused with 422 whatever its name or declared type said.
 */
export async function sniffImage(bytes: Buffer): Promise<SniffedImage> {
  const detected = await fileTypeFromBuffer(bytes);
  const format = detected === undefined ? undefined : ACCEPTED_IMAGE_TYPES.get(detected.mime);
  if (detected === undefined || format === undefined) throw imageTypeNotAllowed();
  return { mime: detected.mime, format };
}
