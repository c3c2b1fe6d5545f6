// The files module's public face: upload of small files, file state, playback and download
// URLs, and live status events.
export { filesApi, toFileJson, type FileJson, type FilesDeps } from './files.api.js';
export { filesOperations } from './files.openapi.js';
export { decideAccess, nobodyOwnsYet, type Access, type OwnershipCheck } from './access.js';
export { filesPages } from './files.pages.js';
export {
  createFileLister,
  createMediaLoader,
  type DownloadView,
  type ItemMedia,
  type MediaLoader,
  type PlaybackView,
} from './playback.js';
