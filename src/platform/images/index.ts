// The image module's public face: accept an uploaded image for a preset, store its renditions,
// delete them again. Routes and services import only this file.
export {
  ACCEPTED_IMAGE_TYPES,
  DEFAULT_IMAGE_LIMITS,
  IMAGE_PRESETS,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_PIXELS,
  OUTPUT_CONTENT_TYPE,
  type ImageLimits,
  type ImagePreset,
  type ImagePresetName,
} from './image-policy.js';
export { processImage, type ImageVariant, type ProcessedImage } from './image-processor.js';
export { deleteImage, storeImage, type StoredImage, type StoredVariant } from './image-store.js';
