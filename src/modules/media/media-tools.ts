// ffmpeg and ffprobe, run as child processes with argument arrays (never a shell), a time limit
// and stderr kept for the error message. They are a system dependency: when missing, audio and
// video are kept as originals only (see process-file.job.ts) and /readyz says so.
import { execFile, type ExecFileException } from 'node:child_process';

export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
  /** the longest one tool run may take */
  timeoutMs: number;
}

export const DEFAULT_MEDIA_TOOLS: Readonly<MediaTools> = Object.freeze({
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffprobe',
  timeoutMs: 30 * 60 * 1000,
});

/** A tool exited with an error, was killed by the time limit, or could not be started. */
export class ToolError extends Error {
  constructor(
    readonly tool: string,
    readonly reason: 'exit' | 'timeout' | 'missing' | 'aborted',
    readonly stderr: string,
    cause?: unknown,
  ) {
    super(`${tool} ${reason}: ${lastLine(stderr)}`, { cause });
    this.name = 'ToolError';
  }

  /** the last thing the tool said, short enough to show a creator */
  get detail(): string {
    return lastLine(this.stderr);
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').trim().slice(0, 300);
}

const STDOUT_LIMIT = 16 * 1024 * 1024;

/** Runs a tool to completion and returns its stdout (ffprobe's JSON, never media bytes). */
export function runTool(
  path: string,
  args: readonly string[],
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      path,
      args,
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: STDOUT_LIMIT,
        encoding: 'utf8',
        windowsHide: true,
        ...(options.signal && { signal: options.signal }),
      },
      (error: ExecFileException | null, stdout: string, stderr: string) => {
        if (error === null) {
          resolve(stdout);
          return;
        }
        reject(new ToolError(path, reasonOf(error), stderr, error));
      },
    );
  });
}

function reasonOf(error: ExecFileException): ToolError['reason'] {
  if (error.code === 'ENOENT' || error.code === 'EACCES') return 'missing';
  if (error.name === 'AbortError') return 'aborted';
  // A tool flooding its output is a bad input, not a slow one.
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return 'exit';
  if (error.killed === true) return 'timeout';
  return 'exit';
}

const availability = new Map<string, Promise<boolean>>();

async function answers(path: string): Promise<boolean> {
  try {
    await runTool(path, ['-hide_banner', '-version'], { timeoutMs: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether ffmpeg and ffprobe can be run. Asked once per pair of paths and remembered: a tool
 * installed while the process runs is seen after a restart.
 */
export function mediaToolsAvailable(
  tools: Pick<MediaTools, 'ffmpeg' | 'ffprobe'> = DEFAULT_MEDIA_TOOLS,
): Promise<boolean> {
  const key = `${tools.ffmpeg}\u0000${tools.ffprobe}`;
  let known = availability.get(key);
  if (known === undefined) {
    known = Promise.all([answers(tools.ffmpeg), answers(tools.ffprobe)]).then(
      ([ffmpeg, ffprobe]) => ffmpeg && ffprobe,
    );
    availability.set(key, known);
  }
  return known;
}
