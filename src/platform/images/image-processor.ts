// Accepting an image: bounded read, type sniffed from the bytes, decoded under a pixel limit,
// turned upright, re-encoded to the preset's sizes with every piece of metadata left behind.
//
// sharp is CPU-bound but runs on libvips' own thread pool (sized by sharp.concurrency(), one
// thread per core by default), so the event loop only waits on a promise. Avatars and covers are
// small enough to process in the request; large images move to the processing worker with the
// media issue.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import sharp, { type SharpOptions } from 'sharp';
import { AppError } from '../errors.js';
import { imageTooManyPixels, imageTypeNotAllowed, imageUnreadable } from './image-errors.js';
import { readBounded, sniffImage } from './image-input.js';
import {
  DEFAULT_IMAGE_LIMITS,
  IMAGE_PRESETS,
  OUTPUT_CONTENT_TYPE,
  planVariants,
  WEBP_QUALITY,
  type ImageLimits,
  type ImagePresetName,
  type PlannedVariant,
} from './image-policy.js';

export interface ImageVariant {
  name: string;
  width: number;
  height: number;
  contentType: string;
  body: Buffer;
  bytes: number;
}

export interface ProcessedImage {
  /** the upright source's dimensions */
  width: number;
  height: number;
  /** the sniffed type of the original */
  sourceType: string;
  /** hex SHA-256 of the original bytes, for deduplication and audit */
  sha256: string;
  /** ascending by width */
  variants: ImageVariant[];
}

export async function processImage(
  input: Buffer | Readable,
  presetName: ImagePresetName,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<ProcessedImage> {
  const bytes = await readBounded(input, limits.maxBytes);
  const sniffed = await sniffImage(bytes);
  const options: SharpOptions = {
    // sharp checks width × height from the header before decoding a single pixel.
    limitInputPixels: limits.maxPixels,
    // Fail on truncated or corrupt data instead of rendering a half-grey image.
    failOn: 'error',
    // One frame of a GIF, APNG or animated WebP; never a page count multiplied into memory.
    pages: 1,
    autoOrient: true,
  };
  const metadata = await sharp(bytes, options)
    .metadata()
    .catch((error: unknown) => {
      throw toImageError(error, limits.maxPixels);
    });
  // Defence in depth against polyglots: the decoder libvips picks must agree with the sniffer.
  if (metadata.format !== sniffed.format) throw imageTypeNotAllowed();
  const { width, height } = metadata.autoOrient;
  if (width * height > limits.maxPixels) throw imageTooManyPixels(limits.maxPixels);

  const plan = planVariants(IMAGE_PRESETS[presetName], width, height);
  const variants: ImageVariant[] = [];
  // One at a time: each variant already uses every libvips thread.
  for (const planned of plan) {
    variants.push(await renderVariant(bytes, options, planned, limits.maxPixels));
  }
  return {
    width,
    height,
    sourceType: sniffed.mime,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    variants,
  };
}

async function renderVariant(
  bytes: Buffer,
  options: SharpOptions,
  planned: PlannedVariant,
  maxPixels: number,
): Promise<ImageVariant> {
  try {
    // Without withMetadata()/keepMetadata() sharp writes no EXIF, XMP, IPTC or ICC; the
    // pixels are converted to sRGB first, so an untagged WebP displays as intended.
    const { data, info } = await sharp(bytes, options)
      .resize(planned.width, planned.height, {
        fit: 'cover',
        position: 'centre',
        withoutEnlargement: true,
      })
      .toColourspace('srgb')
      .webp({ quality: WEBP_QUALITY })
      .toBuffer({ resolveWithObject: true });
    return {
      name: planned.name,
      width: info.width,
      height: info.height,
      contentType: OUTPUT_CONTENT_TYPE,
      body: data,
      bytes: data.length,
    };
  } catch (error) {
    throw toImageError(error, maxPixels);
  }
}

function toImageError(error: unknown, maxPixels: number): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && /exceeds pixel limit/i.test(error.message)) {
    return imageTooManyPixels(maxPixels, error);
  }
  return imageUnreadable(error);
}
