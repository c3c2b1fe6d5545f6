// The files module's public face: upload of small files, file state, playback and download
// URLs, and live status events.
export { filesApi, toFileJson, type FileJson } from './files.api.js';
export type { FilesDeps } from './files.service.js';
export { filesOperations } from './files.openapi.js';
export { claimMediaLinks, filesPages, type ClaimViewerOf } from './files.pages.js';
export {
  createFileLister,
  createMediaLoader,
  ITEM_MEDIA_LINKS,
  type DownloadView,
  type ItemMedia,
  type MediaLinks,
  type MediaLoader,
  type PlaybackView,
} from './playback.js';
