// What the item page needs to show a player and download buttons to this visitor: the newest
// ready audio or video file, its waveform and duration, whether they get the whole thing or the
// preview, and the files they may download. Only database reads: the page never waits on
// object storage (signed URLs are made when play or download is pressed).
import type { Db } from '../../db/database.js';
import type { Principal } from '../../platform/http/auth.js';
import { decideAccess, findAccessItem, type OwnershipCheck } from './access.js';
import { findPlayableFile, findRendition, listItemFiles } from './files.repository.js';

export interface PlaybackView {
  itemId: string;
  kind: 'audio' | 'video';
  durationMs: number | null;
  /** 0..1, a few hundred bars at most; empty when unknown */
  peaks: number[];
  /** the visitor hears the preview clip only */
  preview: boolean;
  previewSeconds: number | null;
  /** "original only": the server had no ffmpeg when it was processed */
  notice: string | null;
  /** video: a poster frame at /poster/<item id> */
  hasPoster: boolean;
}

export interface DownloadView {
  fileId: string;
  name: string;
  size: number | null;
}

export interface ItemMedia {
  player: PlaybackView | undefined;
  downloads: DownloadView[];
  /** downloads exist but this visitor must buy first */
  downloadsLocked: boolean;
}

const MAX_BARS = 200;

/** Peaks squeezed to at most MAX_BARS bars, each the loudest of its group. */
export function toBars(peaks: readonly number[]): number[] {
  if (peaks.length <= MAX_BARS) return peaks.map((p) => Math.max(0, Math.min(1, p)));
  const bars: number[] = [];
  const group = peaks.length / MAX_BARS;
  for (let i = 0; i < MAX_BARS; i++) {
    let top = 0;
    for (let j = Math.floor(i * group); j < Math.floor((i + 1) * group); j++) {
      top = Math.max(top, peaks[j] ?? 0);
    }
    bars.push(Math.max(0, Math.min(1, top)));
  }
  return bars;
}

function peaksOf(metadata: Record<string, unknown> | undefined): number[] {
  const peaks = metadata?.peaks;
  return Array.isArray(peaks) && peaks.every((p) => typeof p === 'number') ? toBars(peaks) : [];
}

export function createMediaLoader(db: Db, owns: OwnershipCheck) {
  return async (principal: Principal | undefined, itemId: string): Promise<ItemMedia> => {
    const item = await findAccessItem(db, itemId);
    const access = item && (await decideAccess(principal, item, owns));
    if (!item || !access) return { player: undefined, downloads: [], downloadsLocked: false };
    const [playable, files] = await Promise.all([
      findPlayableFile(db, item.id),
      listItemFiles(db, item.id),
    ]);
    let player: PlaybackView | undefined;
    if (playable?.kind === 'audio' || playable?.kind === 'video') {
      const [waveform, preview, poster] = await Promise.all([
        findRendition(db, playable.id, 'waveform'),
        findRendition(db, playable.id, 'preview'),
        findRendition(db, playable.id, 'poster'),
      ]);
      const previewOnly = access !== 'full';
      if (!previewOnly || preview) {
        const clipMs = preview?.metadata.duration_ms;
        player = {
          itemId: item.id,
          kind: playable.kind,
          durationMs: previewOnly && typeof clipMs === 'number' ? clipMs : playable.duration_ms,
          peaks: peaksOf(waveform?.metadata),
          preview: previewOnly,
          previewSeconds: typeof clipMs === 'number' ? Math.round(clipMs / 1000) : null,
          notice: playable.notice,
          hasPoster: poster !== undefined,
        };
      }
    }
    const ready = files.filter((file) => file.status === 'ready' && file.original_key !== null);
    return {
      player,
      downloads:
        access === 'full'
          ? ready.map((file) => ({ fileId: file.id, name: file.original_name, size: file.size }))
          : [],
      downloadsLocked: access !== 'full' && ready.length > 0,
    };
  };
}

export type MediaLoader = ReturnType<typeof createMediaLoader>;

/** An item's files, newest first, as its creator's dashboard lists them. */
export function createFileLister(db: Db) {
  return async (itemId: string) =>
    (await listItemFiles(db, itemId)).map((file) => ({
      id: file.id,
      name: file.original_name,
      status: file.status,
      kind: file.kind,
      size: file.size,
      durationMs: file.duration_ms,
      error: file.error,
      notice: file.notice,
    }));
}
