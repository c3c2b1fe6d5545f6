// The steps of processing between fetching the bytes and recording the result: decide the
// kind, make renditions locally, then put everything into object storage and close the row.
import { createReadStream } from 'node:fs';
import { fileObjectPrefix, originalKeyOf, renditionKeyOf } from './media-keys.js';
import { processAudio } from './audio.processor.js';
import { inspectArchive } from './archive.inspector.js';
import { probeMedia } from './ffprobe.js';
import { markFileReady, type FileRow, type RenditionRecord } from './files.repository.js';
import { processImageFile } from './image.processor.js';
import { fileFailed } from './media-errors.js';
import type { ResolvedMediaOptions } from './media-options.js';
import { mediaToolsAvailable } from './media-tools.js';
import type { ProcessedFile, ProcessorContext } from './renditions.js';
import { assertDeclarationMatches, type Sniffed } from './sniff.js';
import { processVideo } from './video.processor.js';
import { uploadReaderOf, type MediaDeps } from './media-deps.js';

export interface Source {
  /** the local copy */
  file: string;
  size: number;
  sha256: string;
}

export const TOOLS_MISSING_NOTICE =
  'Processing tools are missing on the server: only the original is available.';

interface SourceFacts {
  file: FileRow;
  sniffed: Sniffed;
  size: number;
  options: ResolvedMediaOptions;
}

export async function processSource(
  context: ProcessorContext,
  { file, sniffed, size, options }: SourceFacts,
): Promise<ProcessedFile> {
  assertDeclarationMatches(sniffed, file.original_name, file.declared_type);
  switch (sniffed.treatment) {
    case 'media':
      return processMedia(context, sniffed, file.preview_start_ms);
    case 'image':
      return processImageFile(context, sniffed, size, options.imageLimits);
    case 'archive': {
      const summary = await inspectArchive(context.source, context.dir, options.archiveLimits);
      return {
        kind: 'archive',
        durationMs: null,
        metadata: { archive: summary },
        renditions: [],
        notice: null,
      };
    }
    case 'other':
      return { kind: 'other', durationMs: null, metadata: {}, renditions: [], notice: null };
  }
}

async function processMedia(
  context: ProcessorContext,
  sniffed: Sniffed,
  previewStartMs: number | null,
): Promise<ProcessedFile> {
  if (!(await mediaToolsAvailable(context.tools))) {
    // Degrade visibly: the creator sees the notice, /readyz reports the tools missing.
    return {
      kind: sniffed.mime.startsWith('video/') ? 'video' : 'audio',
      durationMs: null,
      metadata: {},
      renditions: [],
      notice: TOOLS_MISSING_NOTICE,
    };
  }
  const probe = await probeMedia(context.tools, context.source, context.signal);
  if (probe.video) return processVideo(context, probe, previewStartMs);
  if (probe.audio) return processAudio(context, probe, previewStartMs);
  throw fileFailed('This file contains no audio or video we could read.');
}

/**
 * Puts the original and the renditions into object storage (streamed from the local files),
 * removes objects an earlier run left under other names, then closes the row in one
 * transaction. Only after that commit is the temporary upload deleted.
 */
export async function storeAndFinish(
  deps: MediaDeps,
  file: FileRow,
  source: Source,
  sniffed: Sniffed,
  processed: ProcessedFile,
): Promise<void> {
  const { store } = deps;
  const originalKey = originalKeyOf(file.id);
  if (file.upload_key !== null) {
    await store.put(originalKey, createReadStream(source.file), { contentType: sniffed.mime });
  }
  const renditions: RenditionRecord[] = [];
  for (const rendition of processed.renditions) {
    const key = renditionKeyOf(file.id, rendition.name, rendition.ext);
    const stored = await store.put(key, createReadStream(rendition.file), {
      contentType: rendition.mime,
    });
    renditions.push({
      name: rendition.name,
      key,
      mime: rendition.mime,
      size: stored.size,
      metadata: rendition.metadata,
    });
  }
  const expected = new Set([originalKey, ...renditions.map((r) => r.key)]);
  for await (const object of store.list(fileObjectPrefix(file.id))) {
    if (!expected.has(object.key)) await store.delete(object.key);
  }
  await markFileReady(deps.db, file.id, {
    kind: processed.kind,
    mime: sniffed.mime,
    size: source.size,
    sha256: source.sha256,
    originalKey,
    durationMs: processed.durationMs,
    metadata: processed.metadata,
    notice: processed.notice,
    renditions,
  });
  if (file.upload_key !== null) {
    await uploadReaderOf(deps).remove({ id: file.id, uploadKey: file.upload_key });
  }
}
