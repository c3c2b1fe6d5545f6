// The refusals a user may see when an image is not accepted. Codes are stable; tests and clients
// match on them, not on the message.
import { AppError } from '../errors.js';

export const imageTooLarge = (maxBytes: number): AppError =>
  new AppError(
    'IMAGE_TOO_LARGE',
    413,
    `This image is too large. The limit is ${Math.floor(maxBytes / (1024 * 1024))} MB.`,
  );

export const imageTypeNotAllowed = (): AppError =>
  new AppError(
    'IMAGE_TYPE_NOT_ALLOWED',
    422,
    'This file is not an image we accept. Use JPEG, PNG, WebP, GIF or AVIF.',
  );

export const imageTooManyPixels = (maxPixels: number, cause?: unknown): AppError =>
  new AppError(
    'IMAGE_TOO_MANY_PIXELS',
    422,
    `This image has too many pixels. The limit is ${Math.floor(maxPixels / 1_000_000)} megapixels.`,
    { cause },
  );

export const imageUnreadable = (cause?: unknown): AppError =>
  new AppError('IMAGE_UNREADABLE', 422, 'This image is damaged or incomplete.', { cause });
