// What an uploaded image may be and what we make of it. Formats are decided by the bytes (sniffed
// with file-type), never by a file name or a client's Content-Type. Every accepted image is
// decoded and re-encoded, so whatever rode along (EXIF, GPS, a polyglot's trailing payload) is
// dropped.
//
// Output: WebP only, quality 80, for every size. Every browser we support decodes WebP (since
// 2020), it keeps alpha, and it encodes quickly enough to run in a request; AVIF is smaller but
// several times slower to encode, and a JPEG fallback would only serve browsers we do not target.
import sharp from 'sharp';

/** sharp's name for the decoder each sniffed MIME type must match (AVIF and HEIC are both heif). */
type SharpInputFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'heif';

// HEIC needs a HEVC decoder, which sharp's prebuilt libvips leaves out for patent reasons; a
// libvips built with libde265 lists `.heic` among the heif suffixes and then it is accepted.
const heicDecodable = sharp.format.heif.input.fileSuffix?.includes('.heic') === true;

/** Sniffed MIME type → the sharp decoder that must recognise the same bytes. */
export const ACCEPTED_IMAGE_TYPES: ReadonlyMap<string, SharpInputFormat> = new Map<
  string,
  SharpInputFormat
>([
  ['image/jpeg', 'jpeg'],
  ['image/png', 'png'],
  // An animated PNG is still a PNG; like GIF and WebP we keep its first frame only.
  ['image/apng', 'png'],
  ['image/webp', 'webp'],
  ['image/gif', 'gif'],
  ['image/avif', 'heif'],
  ...(heicDecodable
    ? ([
        ['image/heic', 'heif'],
        ['image/heif', 'heif'],
      ] as const)
    : []),
]);

/** Bytes read before giving up with 413; small images are processed within the request. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/**
 * Decoded pixels allowed (40 megapixels, about 160 MB as RGBA). Checked from the header before
 * any pixel is decoded, so a small file claiming huge dimensions (a decompression bomb) costs
 * nothing.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

export const WEBP_QUALITY = 80;
export const OUTPUT_CONTENT_TYPE = 'image/webp';

export interface ImagePreset {
  /**
   * `square`: centre-cropped squares `size` pixels wide. `width`: scaled to `size` pixels wide,
   * aspect ratio kept. Neither ever enlarges the source.
   */
  readonly fit: 'square' | 'width';
  /** ascending */
  readonly sizes: readonly number[];
}

export const IMAGE_PRESETS = {
  avatar: { fit: 'square', sizes: [64, 128, 256, 512] },
  /** album and project covers */
  cover: { fit: 'square', sizes: [320, 640, 1280] },
  /** images inside markdown */
  inline: { fit: 'width', sizes: [640, 1280] },
} as const satisfies Record<string, ImagePreset>;

export type ImagePresetName = keyof typeof IMAGE_PRESETS;

export interface ImageLimits {
  maxBytes: number;
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = Object.freeze({
  maxBytes: MAX_IMAGE_BYTES,
  maxPixels: MAX_IMAGE_PIXELS,
});

export interface PlannedVariant {
  /** the preset size it stands for; also the object name (`640.webp`) */
  name: string;
  width: number;
  height: number;
}

/**
 * The sizes to make from an upright source of `width`×`height`. Sizes larger than the source are
 * skipped rather than enlarged; a source smaller than every size still yields one variant at its
 * own size, named after the smallest.
 */
export function planVariants(preset: ImagePreset, width: number, height: number): PlannedVariant[] {
  const available = preset.fit === 'square' ? Math.min(width, height) : width;
  const fitting = preset.sizes.filter((size) => size <= available);
  const sizes = fitting.length > 0 ? fitting : [available];
  const names = fitting.length > 0 ? fitting : preset.sizes.slice(0, 1);
  return sizes.map((size, index) => ({
    name: String(names[index] ?? size),
    width: size,
    height: preset.fit === 'square' ? size : Math.max(1, Math.round((height * size) / width)),
  }));
}
