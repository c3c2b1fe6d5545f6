// Lists the files of the fs driver's data tree whose key starts with a prefix. It starts at the
// deepest directory the prefix names and streams directory entries (opendir reads them in
// batches), so a listing never holds a whole tree in memory.
import type { BigIntStats } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isValidKey } from './object-key.js';

export interface WalkedFile {
  key: string;
  stats: BigIntStats;
}

const GONE = new Set(['ENOENT', 'ENOTDIR']);

export const errnoCode = (error: unknown): string | undefined =>
  error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

export async function* walkFiles(dataDir: string, prefix: string): AsyncGenerator<WalkedFile> {
  const slash = prefix.lastIndexOf('/');
  yield* walkDir(dataDir, slash === -1 ? '' : prefix.slice(0, slash), prefix);
}

async function* walkDir(
  dataDir: string,
  dirKey: string,
  prefix: string,
): AsyncGenerator<WalkedFile> {
  const dir = dirKey === '' ? dataDir : path.join(dataDir, ...dirKey.split('/'));
  const entries = await opendir(dir).catch((error: unknown) => {
    // A directory that is not there (or deleted mid-walk) holds no objects.
    if (GONE.has(errnoCode(error) ?? '')) return undefined;
    throw error;
  });
  if (entries === undefined) return;
  for await (const entry of entries) {
    const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
    // Names no key could have (an operator's stray file) are not objects.
    if (!isValidKey(key)) continue;
    if (entry.isDirectory()) {
      const inside = `${key}/`;
      if (inside.startsWith(prefix) || prefix.startsWith(inside)) {
        yield* walkDir(dataDir, key, prefix);
      }
    } else if (entry.isFile() && key.startsWith(prefix)) {
      const stats = await stat(path.join(dir, entry.name), { bigint: true }).catch(
        (error: unknown) => {
          if (GONE.has(errnoCode(error) ?? '')) return undefined; // deleted while listing
          throw error;
        },
      );
      if (stats !== undefined) yield { key, stats };
    }
  }
}
