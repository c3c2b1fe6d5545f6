// The uploads module's public face: tus at /api/v1/uploads, and reading a finished upload.
import type { AppModule } from '../../platform/module.js';
import { uploadsCleanupStep } from './uploads.cleanup.js';
import { uploadsOperations } from './uploads.openapi.js';
import { uploadsRoutes, type UploadsDeps } from './uploads.routes.js';

/** Resumable uploads (tus at /api/v1/uploads): its routes, their description, its cleanup. */
export function createUploadsModule(deps: UploadsDeps): AppModule {
  return {
    name: 'uploads',
    // tus answers at its absolute path (UPLOADS_PATH), outside the /api/v1 JSON prefix's plugins
    routes: (app) => uploadsRoutes(app, { deps }),
    operations: uploadsOperations,
    cleanupSteps: [uploadsCleanupStep(deps.db, deps.store)],
  };
}

export { UPLOADS_PATH, type UploadsDeps } from './uploads.routes.js';
export {
  deleteUploadObjects,
  openUploadStream,
  PART_SIZE,
  partKey,
  uploadPrefix,
} from './upload-parts.js';
export { TIER_LIMITS, checkTierLimit, MAX_FILE_BYTES } from './tier-limits.js';
export type { UploadRow } from './uploads.repository.js';
export { uploadReader } from './upload-reader.js';

// What other modules use of this one (their only way in).
export { assertUploadableItem, assertWithinTier } from './uploads.service.js';
