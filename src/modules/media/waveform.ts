// Waveform peaks for the player: the audio is decoded once to mono 8 kHz 16-bit PCM on ffmpeg's
// stdout and folded into a fixed number of buckets as it streams, so memory stays constant
// whatever the track's length. The decoded length doubles as the check that the file is whole.
import { spawn } from 'node:child_process';
import { ToolError, type MediaTools } from './media-tools.js';

export const WAVEFORM_SAMPLE_RATE = 8000;
export const WAVEFORM_BUCKETS = 1000;

export interface Waveform {
  /** peaks 0..1, loudest bucket = 1 (silence stays 0) */
  peaks: number[];
  /** what actually decoded, which a damaged file makes shorter than its header claims */
  decodedMs: number;
}

/**
 * Folds samples into fine blocks sized from the expected length (about eight per bucket), then
 * into exactly `buckets` peaks once the real length is known: the header's duration is only an
 * estimate, and the buckets must cover the track whatever it turns out to be.
 */
export class PeakAccumulator {
  private readonly blocks: number[] = [];
  private readonly perBlock: number;
  private samples = 0;

  constructor(
    expectedSamples: number,
    private readonly buckets = WAVEFORM_BUCKETS,
  ) {
    this.perBlock = Math.max(1, Math.floor(expectedSamples / (buckets * 8)));
  }

  /** s16le mono samples; `bytes` must hold whole samples */
  add(bytes: Buffer): void {
    for (let offset = 0; offset + 1 < bytes.length; offset += 2) {
      const level = Math.abs(bytes.readInt16LE(offset)) / 32768;
      const block = Math.floor(this.samples / this.perBlock);
      if (block >= this.blocks.length) this.blocks.push(level);
      else if (level > (this.blocks[block] ?? 0)) this.blocks[block] = level;
      this.samples++;
    }
  }

  get sampleCount(): number {
    return this.samples;
  }

  /** `buckets` peaks (fewer for a very short sound), loudest = 1, rounded for a small JSON */
  peaks(): number[] {
    const count = Math.min(this.buckets, this.blocks.length);
    const levels: number[] = [];
    for (let bucket = 0; bucket < count; bucket++) {
      const from = Math.floor((bucket * this.blocks.length) / count);
      const to = Math.max(from + 1, Math.floor(((bucket + 1) * this.blocks.length) / count));
      let peak = 0;
      for (let i = from; i < to; i++) peak = Math.max(peak, this.blocks[i] ?? 0);
      levels.push(peak);
    }
    const loudest = levels.reduce((a, b) => Math.max(a, b), 0);
    return levels.map((level) => (loudest === 0 ? 0 : Math.round((level / loudest) * 1000) / 1000));
  }
}

const STDERR_LIMIT = 64 * 1024;

export function computeWaveform(
  tools: MediaTools,
  file: string,
  expectedMs: number,
  signal?: AbortSignal,
): Promise<Waveform> {
  const expectedSamples = Math.round((expectedMs / 1000) * WAVEFORM_SAMPLE_RATE);
  const accumulator = new PeakAccumulator(expectedSamples);
  const args = ['-v', 'error', '-nostdin', '-i', file, '-vn', '-ac', '1', '-ar'];
  args.push(String(WAVEFORM_SAMPLE_RATE), '-f', 's16le', '-acodec', 'pcm_s16le', 'pipe:1');
  return new Promise((resolve, reject) => {
    const child = spawn(tools.ffmpeg, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal && { signal }),
      killSignal: 'SIGKILL',
    });
    let stderr = '';
    let carry: Buffer | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, tools.timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += text;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      // A sample may straddle two chunks: keep the odd byte for the next one.
      const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
      const whole = bytes.length - (bytes.length % 2);
      accumulator.add(bytes.subarray(0, whole));
      carry = whole < bytes.length ? bytes.subarray(whole) : undefined;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const reason = error.name === 'AbortError' ? 'aborted' : 'missing';
      reject(new ToolError(tools.ffmpeg, reason, stderr, error));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new ToolError(tools.ffmpeg, timedOut ? 'timeout' : 'exit', stderr));
        return;
      }
      resolve({
        peaks: accumulator.peaks(),
        decodedMs: Math.round((accumulator.sampleCount / WAVEFORM_SAMPLE_RATE) * 1000),
      });
    });
  });
}
