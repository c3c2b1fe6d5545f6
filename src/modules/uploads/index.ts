// The uploads module's public face: tus at /api/v1/uploads, and reading a finished upload.
export { uploadsRoutes, UPLOADS_PATH, type UploadsDeps } from './uploads.routes.js';
export {
  deleteUploadObjects,
  openUploadStream,
  PART_SIZE,
  partKey,
  uploadPrefix,
} from './upload-parts.js';
export { TIER_LIMITS, checkTierLimit, MAX_FILE_BYTES } from './tier-limits.js';
export { uploadsOperations } from './uploads.openapi.js';
export type { UploadRow } from './uploads.repository.js';
export { uploadReader } from './upload-reader.js';
export { uploadsCleanupStep } from './uploads.cleanup.js';
