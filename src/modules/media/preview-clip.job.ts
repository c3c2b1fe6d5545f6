// The preview clip's start, chosen by the creator after upload: the item's audio and video files
// keep the start (files.preview_start_ms, which processing reads), and each ready one gets the
// media:remake_preview job, which makes only the preview again from the stored original (audio)
// or the streaming rendition (video) and puts it under the same key. Until it has run, fans hear
// the old preview. A file still being processed is waited for (the job is retried); a file that
// failed, or is gone, is left alone. Safe to run twice: it writes the same object and row.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { JobContext, TaskDefinition } from '../../platform/jobs/task.js';
import { makeAudioPreview } from './audio.processor.js';
import { probeMedia } from './ffprobe.js';
import { findFileById, listRenditions } from './files.repository.js';
import type { MediaDeps } from './media-deps.js';
import { renditionKeyOf } from './media-keys.js';
import { resolveMediaOptions, type MediaOptions } from './media-options.js';
import { mediaToolsAvailable } from './media-tools.js';
import {
  findPreviewFiles,
  setPreviewStart,
  updatePreviewRendition,
} from './preview-clip.repository.js';
import type { LocalRendition, ProcessorContext } from './renditions.js';
import { cutVideoPreview } from './video.processor.js';

export const remakePreviewJob = defineJob('media:remake_preview', z.object({ fileId: z.uuid() }));
const REMAKE_ATTEMPTS = 10;

/** What the item editor shows: the start of the item's playable file, and how long it is. */
export async function readItemPreviewStart(
  db: Db,
  itemId: string,
): Promise<{ startMs: number | null; durationMs: number | null } | undefined> {
  const [file] = await findPreviewFiles(db, itemId);
  return file && { startMs: file.preview_start_ms, durationMs: file.duration_ms };
}

/**
 * Keeps the start on every audio and video file of the item (null: a third of the way in) and
 * queues a new preview for each, in one transaction.
 */
export async function setItemPreviewStart(
  db: Db,
  itemId: string,
  startMs: number | null,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const file of await setPreviewStart(trx, itemId, startMs)) {
      await remakePreviewJob.add(
        trx,
        { fileId: file.id },
        { jobKey: `preview:${file.id}`, maxAttempts: REMAKE_ATTEMPTS },
      );
    }
  });
}

async function download(deps: MediaDeps, key: string, target: string): Promise<void> {
  const { body } = await deps.store.get(key);
  await pipeline(body, createWriteStream(target));
}

export async function remakePreview(
  deps: MediaDeps,
  tools: ProcessorContext['tools'],
  fileId: string,
  signal?: AbortSignal,
): Promise<void> {
  const file = await findFileById(deps.db, fileId);
  if (!file || (file.kind !== 'audio' && file.kind !== 'video')) return;
  if (file.status === 'pending' || file.status === 'processing') {
    throw new Error(`file ${fileId} is still being processed; the preview waits for it`);
  }
  if (file.status !== 'ready' || file.original_key === null) return;
  const renditions = await listRenditions(deps.db, file.id);
  const stream = renditions.find((r) => r.name === 'stream');
  // without the tools there were no renditions to begin with, and none can be made now
  if (!stream || !(await mediaToolsAvailable(tools))) return;
  const dir = await mkdtemp(path.join(deps.tempDir, `preview-${fileId}-`));
  try {
    const context: ProcessorContext = { tools, dir, source: path.join(dir, 'source'), signal };
    let preview: LocalRendition;
    if (file.kind === 'audio') {
      await download(deps, file.original_key, context.source);
      const probe = await probeMedia(tools, context.source, signal);
      const durationMs = file.duration_ms ?? probe.durationMs ?? 0;
      preview = await makeAudioPreview(context, probe, durationMs, file.preview_start_ms);
    } else {
      const local = path.join(dir, 'stream.mp4');
      await download(deps, stream.key, local);
      preview = await cutVideoPreview(context, local, file.duration_ms ?? 0, file.preview_start_ms);
    }
    const key = renditionKeyOf(file.id, 'preview', preview.ext);
    const stored = await deps.store.put(key, createReadStream(preview.file), {
      contentType: preview.mime,
    });
    await updatePreviewRendition(deps.db, file.id, {
      key,
      mime: preview.mime,
      size: stored.size,
      metadata: preview.metadata,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function remakePreviewTask(
  deps: MediaDeps,
  options: MediaOptions = {},
): TaskDefinition<z.infer<typeof remakePreviewJob.payload>> {
  const { tools } = resolveMediaOptions(options);
  return remakePreviewJob.task(({ fileId }, context: JobContext) =>
    remakePreview(deps, tools, fileId, context.signal),
  );
}
