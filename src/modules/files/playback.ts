// What the item page needs to show a player and download buttons to this visitor: the newest
// ready audio or video file, its waveform and duration, whether they get the whole thing or the
// preview, and the files they may download. Only database reads: the page never waits on
// object storage (signed URLs are made when play or download is pressed).
import type { Db } from '../../db/database.js';
import type { Access } from '../access/index.js';
import {
  findItemsWithPoster,
  findPlayableFile,
  findRendition,
  listItemFiles,
} from './files.repository.js';

/** Where the player and the download buttons go: the item's own routes, or a claim link's. */
export interface MediaLinks {
  play(itemId: string): string;
  poster(itemId: string): string;
  download(fileId: string): string;
}

export const ITEM_MEDIA_LINKS: MediaLinks = {
  play: (itemId) => `/play/${itemId}`,
  poster: (itemId) => `/poster/${itemId}`,
  download: (fileId) => `/download/${fileId}`,
};

export interface PlaybackView {
  itemId: string;
  /** what the player's <audio>/<video> plays (a redirect to a signed URL) */
  src: string;
  /** video: a poster frame */
  posterSrc: string | undefined;
  kind: 'audio' | 'video';
  durationMs: number | null;
  /** 0..1, a few hundred bars at most; empty when unknown */
  peaks: number[];
  /** the visitor hears the preview clip only */
  preview: boolean;
  previewSeconds: number | null;
  /** "original only": the server had no ffmpeg when it was processed */
  notice: string | null;
}

export interface DownloadView {
  fileId: string;
  href: string;
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

/**
 * The player and downloads of an item, for a viewer the access rule has already decided on:
 * full access plays and downloads everything, preview plays the clip, none shows nothing.
 */
export function createMediaLoader(db: Db) {
  return async (
    itemId: string,
    access: Access,
    links: MediaLinks = ITEM_MEDIA_LINKS,
  ): Promise<ItemMedia> => {
    if (access.level === 'none')
      return { player: undefined, downloads: [], downloadsLocked: false };
    const full = access.level === 'full';
    const [playable, files] = await Promise.all([
      findPlayableFile(db, itemId),
      listItemFiles(db, itemId),
    ]);
    let player: PlaybackView | undefined;
    if (playable?.kind === 'audio' || playable?.kind === 'video') {
      const [waveform, preview, poster] = await Promise.all([
        findRendition(db, playable.id, 'waveform'),
        findRendition(db, playable.id, 'preview'),
        findRendition(db, playable.id, 'poster'),
      ]);
      if (full || preview) {
        const clipMs = preview?.metadata.duration_ms;
        player = {
          itemId,
          src: links.play(itemId),
          posterSrc: poster ? links.poster(itemId) : undefined,
          kind: playable.kind,
          durationMs: !full && typeof clipMs === 'number' ? clipMs : playable.duration_ms,
          peaks: peaksOf(waveform?.metadata),
          preview: !full,
          previewSeconds: typeof clipMs === 'number' ? Math.round(clipMs / 1000) : null,
          notice: playable.notice,
        };
      }
    }
    const ready = files.filter((file) => file.status === 'ready' && file.original_key !== null);
    return {
      player,
      downloads: full
        ? ready.map((file) => ({
            fileId: file.id,
            href: links.download(file.id),
            name: file.original_name,
            size: file.size,
          }))
        : [],
      downloadsLocked: !full && ready.length > 0,
    };
  };
}

export type MediaLoader = ReturnType<typeof createMediaLoader>;

/** Which of these items show a poster frame at /poster/<id> (video thumbnails). */
export function createPosterFinder(db: Db) {
  return async (itemIds: readonly string[]): Promise<ReadonlySet<string>> =>
    new Set(await findItemsWithPoster(db, itemIds));
}

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
