// The files module's public face: upload of small files, file state, playback and download
// URLs, and live status events.
import type { AppModule } from '../../platform/module.js';
import { filesApi } from './files.api.js';
import { filesOperations } from './files.openapi.js';
import { filesPages, type ClaimViewerOf } from './files.pages.js';
import type { FilesDeps } from './files.service.js';

/** The files module: its API, the /play, /poster and /download redirects and their claim-link twins. */
export function createFilesModule(
  deps: FilesDeps,
  options: { claimViewerOf: ClaimViewerOf },
): AppModule {
  return {
    name: 'files',
    api: (app) => filesApi(app, { deps }),
    routes: (app) => filesPages(app, { deps, claimViewerOf: options.claimViewerOf }),
    operations: filesOperations,
  };
}

export { toFileJson, type FileJson } from './files.api.js';
export type { FilesDeps, SmallUpload } from './files.service.js';
export { claimMediaLinks, type ClaimViewerOf } from './files.pages.js';
export { createFileRemover, createFileReplacer } from './file-changes.service.js';
export {
  createFileLister,
  createMediaLoader,
  createPosterFinder,
  ITEM_MEDIA_LINKS,
  type DownloadView,
  type ItemMedia,
  type MediaLinks,
  type MediaLoader,
  type PlaybackView,
} from './playback.js';
