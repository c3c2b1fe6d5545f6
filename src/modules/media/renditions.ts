// What a processor hands back: renditions as local files (uploaded by the job under
// deterministic keys) and the facts recorded on the file row.
import type { FileKind } from '../../db/schema.js';
import type { MediaTools } from './media-tools.js';
import { runTool } from './media-tools.js';

export interface LocalRendition {
  /** also the object name: files/<fileId>/<name>.<ext> */
  name: string;
  ext: string;
  file: string;
  mime: string;
  metadata: Record<string, unknown>;
}

export interface ProcessedFile {
  kind: FileKind;
  durationMs: number | null;
  metadata: Record<string, unknown>;
  renditions: LocalRendition[];
  /** a degraded but usable result, told to the creator */
  notice: string | null;
}

export interface ProcessorContext {
  tools: MediaTools;
  /** the per-file scratch folder; removed by the job */
  dir: string;
  /** the local copy of the upload */
  source: string;
  signal?: AbortSignal;
}

/** ffmpeg quietly, never waiting on stdin, overwriting its output (a rerun writes it again). */
export function runFfmpeg(context: ProcessorContext, args: readonly string[]): Promise<string> {
  return runTool(context.tools.ffmpeg, ['-v', 'error', '-nostdin', '-y', ...args], {
    timeoutMs: context.tools.timeoutMs,
    ...(context.signal && { signal: context.signal }),
  });
}
