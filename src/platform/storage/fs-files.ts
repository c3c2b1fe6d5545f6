// File primitives of the fs driver: streaming a body into a temp file, moving a finished
// file into place atomically, and tidying up directories and leftovers.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errnoCode } from './fs-walk.js';
import { StorageKeyConflictError, StorageUnavailableError } from './store.js';

/** errno codes of a rename that mean the key clashes with a file or directory of another key */
const CONFLICT = new Set(['ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY']);

/**
 * Streams body into file and returns its SHA-256. A failure of the body (a client that went
 * away) is rethrown as it is; a failure of the disk is a StorageUnavailableError.
 */
export async function writeTemp(file: string, body: Readable | Buffer): Promise<string> {
  const hash = createHash('sha256');
  const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
  const sink = createWriteStream(file, { flags: 'wx', flush: true }); // flush: durable before rename
  // pipeline forwards the first error to every stream, so the first to fail is the culprit.
  let culprit: 'body' | 'disk' | undefined;
  source.once('error', () => (culprit ??= 'body'));
  sink.once('error', () => (culprit ??= 'disk'));
  try {
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          yield chunk;
        }
      },
      sink,
    );
  } catch (error) {
    throw culprit === 'disk' ? new StorageUnavailableError('put', error) : error;
  }
  return hash.digest('hex');
}

/** Renames a finished temp file to its place, creating parent directories as needed. */
export async function moveIntoPlace(key: string, from: string, to: string): Promise<void> {
  // A concurrent delete may prune the fresh parent directory before the rename: retry.
  for (let attempt = 1; ; attempt++) {
    try {
      await mkdir(path.dirname(to), { recursive: true });
      await rename(from, to);
      return;
    } catch (error) {
      const code = errnoCode(error) ?? '';
      if (code === 'ENOENT' && attempt < 3) continue;
      throw CONFLICT.has(code) ? new StorageKeyConflictError(key, error) : error;
    }
  }
}

/** Removes directories left empty by a delete, up to (not including) the tree's root. */
export async function pruneEmptyDirs(dir: string, stopAt: string): Promise<void> {
  for (let current = dir; current.startsWith(stopAt + path.sep); current = path.dirname(current)) {
    const removed = await rmdir(current).then(
      () => true,
      () => false,
    );
    if (!removed) return;
  }
}

/** Best effort: removes the files of dir last modified before cutoff. */
export async function removeStaleFiles(dir: string, cutoff: Date): Promise<void> {
  const names = await readdir(dir).catch(() => []);
  for (const name of names) {
    const file = path.join(dir, name);
    const stats = await stat(file).catch(() => undefined);
    if (stats?.isFile() && stats.mtime < cutoff) {
      await rm(file, { force: true }).catch(() => undefined);
    }
  }
}
