// The media module's public face: the processing job, recording and queueing uploaded files,
// the publishing check the catalogue uses, and whether the media tools are installed.
import type { TaskDefinition } from '../../platform/jobs/task.js';
import type { CleanupStep } from '../../platform/maintenance/cleanup.jobs.js';
import type { AppModule } from '../../platform/module.js';
import type { MediaOptions } from './media-options.js';
import { resolveMediaOptions } from './media-options.js';
import { mediaToolsAvailable } from './media-tools.js';
import { hasReadyFile } from './media.service.js';
import { orphanedFileObjectsStep } from './orphaned-objects.js';
import type { MediaDeps } from './media-deps.js';
import { processFileTask } from './process-file.job.js';
import { remakePreviewTask } from './preview-clip.job.js';

export interface MediaModule extends AppModule {
  tasks: TaskDefinition[];
  /** for the catalogue's publishing rule (CatalogOptions.hasReadyFile) */
  hasReadyFile: (itemId: string) => Promise<boolean>;
  /** for /readyz: false means audio and video are kept as originals only */
  toolsAvailable: () => Promise<boolean>;
  /** steps of the hourly cleanup job */
  cleanupSteps: CleanupStep[];
}

export function createMediaModule(deps: MediaDeps, options: MediaOptions = {}): MediaModule {
  const resolved = resolveMediaOptions(options);
  return {
    name: 'media',
    tasks: [processFileTask(deps, options), remakePreviewTask(deps, options)],
    hasReadyFile: hasReadyFile(deps.db),
    toolsAvailable: () => mediaToolsAvailable(resolved.tools),
    cleanupSteps: [orphanedFileObjectsStep(deps.db, deps.store)],
  };
}

export {
  DEFAULT_ARCHIVE_LIMITS,
  type ArchiveLimits,
  type ArchiveSummary,
} from './archive.inspector.js';
export {
  FILE_STATUS_CHANNEL,
  findFileById,
  listRenditions,
  type FileRow,
  type FileStatusEvent,
} from './files.repository.js';
export { fileObjectPrefix, originalKeyOf, renditionKeyOf, uploadKeyOf } from './media-keys.js';
export type { MediaDeps } from './media-deps.js';
export type { MediaOptions } from './media-options.js';
export { removeOrphanedFileObjects } from './orphaned-objects.js';
export { DEFAULT_MEDIA_TOOLS, mediaToolsAvailable, type MediaTools } from './media-tools.js';
export {
  cleanFileName,
  createFileRecord,
  enqueueFileProcessing,
  hasReadyFile,
  type NewFile,
} from './media.service.js';
export {
  GAVE_UP,
  PROCESS_FILE_MAX_ATTEMPTS,
  processFileJob,
  processFileTask,
  type ProcessFilePayload,
} from './process-file.job.js';
export { TOOLS_MISSING_NOTICE } from './process-file.steps.js';
export { readItemPreviewStart, remakePreviewJob, setItemPreviewStart } from './preview-clip.job.js';
export { singleObjectUploads, type UploadedFile, type UploadReader } from './upload-reader.js';
