// Images: web sizes through platform/images (sniffed again, pixel limit checked from the header
// before decoding, metadata dropped, WebP). The original is kept as uploaded for download.
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../platform/errors.js';
import {
  DEFAULT_IMAGE_LIMITS,
  processImage,
  type ImageLimits,
} from '../../platform/images/index.js';
import { fileFailed, fileQuarantined } from './media-errors.js';
import type { LocalRendition, ProcessedFile, ProcessorContext } from './renditions.js';
import type { Sniffed } from './sniff.js';

export const ORIGINAL_ONLY_IMAGE =
  'We could not make web sizes of this image format: only the original is available.';

export async function processImageFile(
  context: ProcessorContext,
  sniffed: Sniffed,
  size: number,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<ProcessedFile> {
  const originalOnly = (notice: string): ProcessedFile => ({
    kind: 'image',
    durationMs: null,
    metadata: {},
    renditions: [],
    notice,
  });
  if (!sniffed.webImage) return originalOnly(ORIGINAL_ONLY_IMAGE);
  // Web sizes are made in memory (decoders need random access); past the byte limit the
  // original is still delivered, just not resized.
  if (size > limits.maxBytes) {
    return originalOnly('This image is too large for web sizes: only the original is available.');
  }
  let processed;
  try {
    processed = await processImage(createReadStream(context.source), 'inline', limits);
  } catch (error) {
    if (error instanceof AppError && error.code === 'IMAGE_TYPE_NOT_ALLOWED') {
      throw fileQuarantined('This image is not what its first bytes say it is.', error);
    }
    if (error instanceof AppError && error.status < 500) throw fileFailed(error.message, error);
    throw error;
  }
  const renditions: LocalRendition[] = [];
  for (const variant of processed.variants) {
    const name = `w${variant.name}`;
    const file = path.join(context.dir, `${name}.webp`);
    await writeFile(file, variant.body);
    renditions.push({
      name,
      ext: 'webp',
      file,
      mime: variant.contentType,
      metadata: { width: variant.width, height: variant.height },
    });
  }
  return {
    kind: 'image',
    durationMs: null,
    metadata: { width: processed.width, height: processed.height },
    renditions,
    notice: null,
  };
}
