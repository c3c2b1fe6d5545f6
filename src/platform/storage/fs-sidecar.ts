// Content type and etag of an fs object live in a small JSON sidecar beside the data tree.
//
// The etag is the SHA-256 of the bytes, computed while they stream in (no second read): it is
// strong, survives backups and restores, and two copies of the same bytes agree. A size+mtime
// etag would be cheaper but changes whenever a file is copied and says nothing about content.
//
// Data and sidecar are two files, so they cannot be replaced in one atomic step. The sidecar
// therefore records the size and nanosecond mtime of the data file it describes (rename keeps
// both); a sidecar that does not match its data file (a crash between the two renames, two
// concurrent writers, a file replaced by hand) is ignored and the object falls back to a
// stat-derived etag and the default content type. Wrong metadata is never served as right.
import type { BigIntStats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DEFAULT_CONTENT_TYPE, type ObjectInfo } from './store.js';

const sidecarSchema = z.object({
  v: z.literal(1),
  contentType: z.string(),
  etag: z.string(),
  size: z.number(),
  mtimeNs: z.string(),
});

export type Sidecar = z.infer<typeof sidecarSchema>;

export function createSidecar(stats: BigIntStats, contentType: string, sha256: string): Sidecar {
  return {
    v: 1,
    contentType,
    etag: sha256,
    size: Number(stats.size),
    mtimeNs: stats.mtimeNs.toString(),
  };
}

async function readSidecar(file: string): Promise<Sidecar | undefined> {
  try {
    const parsed = sidecarSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    // Missing or unreadable metadata degrades to the fallback; the data file is what counts.
    return undefined;
  }
}

export function describeObject(key: string, stats: BigIntStats, sidecar: Sidecar | undefined) {
  const matches =
    sidecar !== undefined &&
    sidecar.size === Number(stats.size) &&
    sidecar.mtimeNs === stats.mtimeNs.toString();
  const info: ObjectInfo = {
    key,
    size: Number(stats.size),
    etag: matches ? sidecar.etag : `${stats.size.toString(16)}-${stats.mtimeNs.toString(16)}`,
    contentType: matches ? sidecar.contentType : DEFAULT_CONTENT_TYPE,
    lastModified: new Date(Number(stats.mtimeMs)),
  };
  return info;
}

export async function describeFromDisk(key: string, stats: BigIntStats, sidecarFile: string) {
  return describeObject(key, stats, await readSidecar(sidecarFile));
}
