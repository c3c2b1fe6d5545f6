// What the item editor may do to an item's files, supplied by the files module at composition
// (src/modules.ts), and the catalogue's own rule about it: a published item that needs a file
// keeps at least one that is ready.
import { AppError } from '../../../platform/errors.js';
import type { Principal } from '../../../platform/http/auth.js';
import type { SmallUpload } from '../../files/index.js';
import type { ItemJson } from '../catalog.responses.js';
import { FILE_TYPES, type ItemFileSummary } from '../publishing.js';

/**
 * Removes one of an item's files for its creator: 404 for a file that is not theirs or not the
 * item's, 409 FILE_SOLD when buyers may download it.
 */
export type FileRemover = (creatorId: string, itemId: string, fileId: string) => Promise<void>;

/**
 * Uploads a new version of one of an item's files (one multipart part named file), which takes
 * the old one's place once it is ready: 404 as for removing, 413 or 422 for the upload itself.
 */
export type FileReplacer = (
  principal: Principal,
  itemId: string,
  fileId: string,
  upload: SmallUpload,
) => Promise<void>;

/**
 * Where an item's preview clip starts (the media module keeps it on the item's audio and video
 * files and makes the clip again): `read` answers undefined while the item has no such file.
 */
export interface PreviewClip {
  read(itemId: string): Promise<{ startMs: number | null; durationMs: number | null } | undefined>;
  /** null: a third of the way in */
  set(itemId: string, startMs: number | null): Promise<void>;
}

/** 409 FILE_NEEDED when this is the last ready file of a published or unlisted item that needs one. */
export function refuseLastReadyFile(
  item: Pick<ItemJson, 'type' | 'status'>,
  files: readonly ItemFileSummary[],
  fileId: string,
): AppError | undefined {
  const needsFile = FILE_TYPES.has(item.type) || item.type === 'course';
  const target = files.find((file) => file.id === fileId);
  const othersReady = files.some((file) => file.id !== fileId && file.status === 'ready');
  if (!needsFile || item.status === 'draft' || target?.status !== 'ready' || othersReady) {
    return undefined;
  }
  return new AppError(
    'FILE_NEEDED',
    409,
    'This is the only ready file of a published item, so it stays: upload another first, or unpublish the item.',
  );
}
