// Video: an H.264/AAC MP4 with the index at the front, never larger than 720p (1280×720, or
// 720×1280 upright) and never scaled up, a 30-second preview cut from it for paid items, and a
// WebP poster frame.
import path from 'node:path';
import sharp from 'sharp';
import { previewWindow } from './audio.processor.js';
import { probeMetadata, type ProbeResult } from './ffprobe.js';
import { fileFailed } from './media-errors.js';
import { ToolError } from './media-tools.js';
import {
  runFfmpeg,
  type LocalRendition,
  type ProcessedFile,
  type ProcessorContext,
} from './renditions.js';

// Fit inside 1280×720 (landscape) or 720×1280 (portrait); min() keeps smaller sources as they
// are. Even dimensions are required by yuv420p. The quotes protect the commas from the
// filtergraph parser (no shell is involved).
const SCALE =
  "scale=w='if(gte(iw,ih),min(1280,iw),min(720,iw))':h='if(gte(iw,ih),min(720,ih),min(1280,ih))'" +
  ':force_original_aspect_ratio=decrease:force_divisible_by=2';

async function encode(context: ProcessorContext, what: string, args: readonly string[]) {
  try {
    await runFfmpeg(context, args);
  } catch (error) {
    if (error instanceof ToolError && error.reason === 'exit') {
      throw fileFailed(`We could not make the ${what} of this video: it may be damaged.`, error);
    }
    throw error;
  }
}

/**
 * The preview clip, cut from the streaming rendition without re-encoding: it starts at the
 * keyframe at or before the chosen point, which the stream's short GOPs keep close. Also used
 * alone when the creator moves the start later (preview-clip.job.ts).
 */
export async function cutVideoPreview(
  context: ProcessorContext,
  stream: string,
  durationMs: number,
  previewStartMs: number | null,
): Promise<LocalRendition> {
  const window = previewWindow(durationMs, previewStartMs);
  const preview = path.join(context.dir, 'preview.mp4');
  await encode(context, 'preview', [
    '-ss', (window.startMs / 1000).toFixed(3), '-t', (window.lengthMs / 1000).toFixed(3),
    '-i', stream, '-c', 'copy', '-avoid_negative_ts', 'make_zero',
    '-movflags', '+faststart', '-f', 'mp4', preview,
  ]); // prettier-ignore
  return {
    name: 'preview',
    ext: 'mp4',
    file: preview,
    mime: 'video/mp4',
    metadata: { start_ms: window.startMs, duration_ms: window.lengthMs },
  };
}

export async function processVideo(
  context: ProcessorContext,
  probe: ProbeResult,
  previewStartMs: number | null = null,
): Promise<ProcessedFile> {
  const stream = path.join(context.dir, 'stream.mp4');
  const audio = probe.audio
    ? ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '128k', '-ac', '2']
    : ['-an'];
  await encode(context, 'streaming version', [
    '-i', context.source, '-map', '0:v:0', ...audio, '-sn', '-dn', '-map_metadata', '-1',
    '-vf', SCALE, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p',
    '-movflags', '+faststart', '-f', 'mp4', stream,
  ]); // prettier-ignore

  const durationMs = probe.durationMs ?? 0;
  const preview = await cutVideoPreview(context, stream, durationMs, previewStartMs);
  const frameAt = Math.min(1000, Math.floor(durationMs / 3));
  const frame = path.join(context.dir, 'poster.png');
  await encode(context, 'poster', [
    '-ss', (frameAt / 1000).toFixed(3), '-i', context.source, '-map', '0:v:0',
    '-frames:v', '1', '-vf', SCALE, '-f', 'image2', '-c:v', 'png', frame,
  ]); // prettier-ignore
  const poster = path.join(context.dir, 'poster.webp');
  const info = await sharp(frame).webp({ quality: 80 }).toFile(poster);

  return {
    kind: 'video',
    durationMs: probe.durationMs ?? null,
    metadata: probeMetadata(probe),
    notice: null,
    renditions: [
      {
        name: 'stream',
        ext: 'mp4',
        file: stream,
        mime: 'video/mp4',
        metadata: { codec: 'h264', audio_codec: probe.audio ? 'aac' : null },
      },
      preview,
      {
        name: 'poster',
        ext: 'webp',
        file: poster,
        mime: 'image/webp',
        metadata: { width: info.width, height: info.height, at_ms: frameAt },
      },
    ],
  };
}
