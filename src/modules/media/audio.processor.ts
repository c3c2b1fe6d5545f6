// Audio: a streaming rendition, a 30-second preview clip and waveform peaks.
//
// Streaming format: AAC-LC at 160 kb/s in an MP4 (M4A) container with the index at the front
// (+faststart). Every current browser decodes it (it is also the audio of our H.264 video
// rendition, so anything that plays our video plays our audio), it sounds better than MP3 at the
// same bitrate, and the up-front index lets a player seek with a single Range request instead
// of estimating byte offsets as it must for MP3.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProbeResult } from './ffprobe.js';
import { probeMetadata } from './ffprobe.js';
import { fileFailed } from './media-errors.js';
import { ToolError } from './media-tools.js';
import {
  runFfmpeg,
  type LocalRendition,
  type ProcessedFile,
  type ProcessorContext,
} from './renditions.js';
import { computeWaveform } from './waveform.js';

export const STREAM_BITRATE = '160k';
export const PREVIEW_BITRATE = '128k';
export const PREVIEW_MS = 30_000;
/** decoding this much less than the header promises means the file was cut short */
const TRUNCATION_TOLERANCE = 0.9;

/** Where the preview starts: the creator's choice or a third in, kept inside the track. */
export function previewWindow(
  durationMs: number,
  chosenStartMs: number | null,
): { startMs: number; lengthMs: number } {
  const lengthMs = Math.min(PREVIEW_MS, durationMs);
  const wanted = chosenStartMs ?? Math.floor(durationMs / 3);
  const startMs = Math.max(0, Math.min(wanted, durationMs - lengthMs));
  return { startMs, lengthMs };
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

async function decodePeaks(context: ProcessorContext, probe: ProbeResult) {
  try {
    return await computeWaveform(
      context.tools,
      context.source,
      probe.durationMs ?? 0,
      context.signal,
    );
  } catch (error) {
    if (error instanceof ToolError && error.reason === 'exit') {
      throw fileFailed('We could not decode this audio file: it seems to be damaged.', error);
    }
    throw error;
  }
}

async function encode(context: ProcessorContext, what: string, args: readonly string[]) {
  try {
    await runFfmpeg(context, args);
  } catch (error) {
    if (error instanceof ToolError && error.reason === 'exit') {
      throw fileFailed(
        `We could not make the ${what} of this audio file: it may be damaged.`,
        error,
      );
    }
    throw error;
  }
}

/** The AAC settings for this source: at most stereo, at most 48 kHz. */
function aacArgs(probe: ProbeResult): string[] {
  const channels = String(Math.min(2, probe.audio?.channels ?? 2));
  // Hi-res masters (88.2–192 kHz) gain nothing audible in a stream and 192 kHz is beyond AAC.
  const rate = (probe.audio?.sampleRate ?? 0) > 48_000 ? ['-ar', '48000'] : [];
  return ['-map_metadata', '-1', '-vn', '-sn', '-dn', '-ac', channels, ...rate, '-c:a', 'aac'];
}

/**
 * The preview clip from the source (faded in and out), at the creator's start or a third in;
 * also used alone when the creator moves the start later (preview-clip.job.ts).
 */
export async function makeAudioPreview(
  context: ProcessorContext,
  probe: ProbeResult,
  durationMs: number,
  previewStartMs: number | null,
): Promise<LocalRendition> {
  const window = previewWindow(durationMs, previewStartMs);
  const fadeOut = Math.max(0, window.lengthMs - 1000);
  const preview = path.join(context.dir, 'preview.m4a');
  await encode(context, 'preview', [
    '-ss', seconds(window.startMs), '-t', seconds(window.lengthMs), '-i', context.source,
    '-map', '0:a:0', ...aacArgs(probe), '-b:a', PREVIEW_BITRATE,
    '-af', `afade=t=in:d=0.5,afade=t=out:st=${seconds(fadeOut)}:d=1`,
    '-movflags', '+faststart', '-f', 'mp4', preview,
  ]); // prettier-ignore
  return {
    name: 'preview',
    ext: 'm4a',
    file: preview,
    mime: 'audio/mp4',
    metadata: { codec: 'aac', start_ms: window.startMs, duration_ms: window.lengthMs },
  };
}

export async function processAudio(
  context: ProcessorContext,
  probe: ProbeResult,
  previewStartMs: number | null,
): Promise<ProcessedFile> {
  const waveform = await decodePeaks(context, probe);
  if (waveform.decodedMs === 0)
    throw fileFailed('This audio file contains no sound we could read.');
  const claimedMs = probe.durationMs ?? waveform.decodedMs;
  if (
    waveform.decodedMs < claimedMs * TRUNCATION_TOLERANCE &&
    claimedMs - waveform.decodedMs > 1000
  ) {
    throw fileFailed(
      `This audio file is incomplete: only ${Math.round(waveform.decodedMs / 1000)} of its ` +
        `${Math.round(claimedMs / 1000)} seconds could be read. Upload it again.`,
    );
  }
  const durationMs = Math.min(claimedMs, waveform.decodedMs + 1000);
  const aac = aacArgs(probe);

  const stream = path.join(context.dir, 'stream.m4a');
  await encode(context, 'streaming version', [
    '-i', context.source, '-map', '0:a:0', ...aac, '-b:a', STREAM_BITRATE,
    '-movflags', '+faststart', '-f', 'mp4', stream,
  ]); // prettier-ignore

  const preview = await makeAudioPreview(context, probe, durationMs, previewStartMs);

  const peaksFile = path.join(context.dir, 'waveform.json');
  await writeFile(peaksFile, JSON.stringify({ version: 1, peaks: waveform.peaks }));

  return {
    kind: 'audio',
    durationMs,
    metadata: probeMetadata(probe),
    notice: null,
    renditions: [
      {
        name: 'stream',
        ext: 'm4a',
        file: stream,
        mime: 'audio/mp4',
        metadata: { codec: 'aac', bitrate: 160_000 },
      },
      preview,
      {
        name: 'waveform',
        ext: 'json',
        file: peaksFile,
        mime: 'application/json',
        // The peaks also ride in the database row, so an item page draws the waveform
        // without a trip to object storage.
        metadata: {
          buckets: waveform.peaks.length,
          peaks: waveform.peaks.map((peak) => Math.round(peak * 1000) / 1000),
        },
      },
    ],
  };
}
