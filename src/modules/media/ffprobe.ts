// What ffprobe says about a media file, reduced to the facts we keep and act on.
import { z } from 'zod';
import { fileFailed } from './media-errors.js';
import { runTool, ToolError, type MediaTools } from './media-tools.js';

const numeric = z.coerce.number().optional().catch(undefined);
const tags = z.record(z.string(), z.unknown()).optional().catch(undefined);

const probeOutput = z.object({
  format: z
    .object({ format_name: z.string().optional(), duration: numeric, bit_rate: numeric, tags })
    .optional(),
  streams: z
    .array(
      z.object({
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        sample_rate: numeric,
        channels: numeric,
        bit_rate: numeric,
        width: numeric,
        height: numeric,
        duration: numeric,
        disposition: z.object({ attached_pic: numeric }).optional().catch(undefined),
      }),
    )
    .default([]),
});

export interface AudioStreamInfo {
  codec: string | undefined;
  sampleRate: number | undefined;
  channels: number | undefined;
  bitrate: number | undefined;
}

export interface VideoStreamInfo {
  codec: string | undefined;
  width: number;
  height: number;
}

export interface ProbeResult {
  container: string | undefined;
  durationMs: number | undefined;
  bitrate: number | undefined;
  tags: Record<string, string>;
  audio: AudioStreamInfo | undefined;
  /** the first real video stream; cover art in an audio file does not count */
  video: VideoStreamInfo | undefined;
}

/** Keeps short string tags only (title, artist, album …); cover art and blobs stay out. */
function cleanTags(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (typeof value === 'string' && key.length <= 64 && value.length <= 1000) {
      out[key.toLowerCase()] = value;
    }
    if (Object.keys(out).length >= 50) break;
  }
  return out;
}

export async function probeMedia(
  tools: MediaTools,
  file: string,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  let stdout: string;
  try {
    stdout = await runTool(
      tools.ffprobe,
      ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file],
      { timeoutMs: Math.min(tools.timeoutMs, 120_000), ...(signal && { signal }) },
    );
  } catch (error) {
    if (error instanceof ToolError && error.reason === 'exit') {
      throw fileFailed('We could not read this file as audio or video: it may be damaged.', error);
    }
    throw error;
  }
  const parsed = probeOutput.safeParse(JSON.parse(stdout));
  if (!parsed.success) throw new Error('ffprobe answered with unexpected JSON');
  const { format, streams } = parsed.data;
  const audio = streams.find((s) => s.codec_type === 'audio');
  const video = streams.find(
    (s) =>
      s.codec_type === 'video' &&
      s.disposition?.attached_pic !== 1 &&
      s.width !== undefined &&
      s.height !== undefined,
  );
  const seconds = format?.duration ?? audio?.duration ?? video?.duration;
  return {
    container: format?.format_name,
    durationMs: seconds === undefined ? undefined : Math.round(seconds * 1000),
    bitrate: format?.bit_rate,
    tags: cleanTags(format?.tags),
    audio: audio && {
      codec: audio.codec_name,
      sampleRate: audio.sample_rate,
      channels: audio.channels,
      bitrate: audio.bit_rate,
    },
    video: video && {
      codec: video.codec_name,
      width: video.width ?? 0,
      height: video.height ?? 0,
    },
  };
}

/** The probe as stored in files.metadata. */
export function probeMetadata(probe: ProbeResult): Record<string, unknown> {
  return {
    container: probe.container,
    bitrate: probe.bitrate,
    tags: probe.tags,
    ...(probe.audio && { audio: probe.audio }),
    ...(probe.video && { video: probe.video }),
  };
}
