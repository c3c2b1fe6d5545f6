// The access module's public face: the one rule of who may read, play and download an item,
// the viewer it decides for, and how a text is shaped by it.
export {
  decideAccess,
  GRACE_DAYS,
  graceEnd,
  isFull,
  isVisible,
  NO_ACCESS,
  type Access,
  type AccessItem,
} from './access.rule.js';
export {
  anyHolding,
  createAccessRule,
  holdsNothing,
  type AccessRule,
  type HoldingsLookup,
} from './access.service.js';
export { findAccessItem } from './access.repository.js';
export {
  fullText,
  readableHtml,
  readableText,
  type ReadableHtml,
  type ReadableText,
  type TextSource,
} from './readable-text.js';
export { claimViewer, STRANGER, viewerOf, type Viewer } from './viewer.js';
