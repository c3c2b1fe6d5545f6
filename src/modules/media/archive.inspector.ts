// ZIP archives: every entry is listed and inflated (bytes counted and thrown away), so the
// sizes we check are the real ones, not what the central directory claims. Archives inside the
// archive are unpacked to the scratch folder and inspected the same way, sharing one budget.
// Anything past the limits (an archive bomb) or a name that would escape the folder it is
// unpacked into is quarantined: a fan's unzip tool must never meet it.
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { FileRefusal, fileFailed, fileQuarantined } from './media-errors.js';
import { formatBytes } from '../../platform/bytes.js';

export interface ArchiveLimits {
  maxEntries: number;
  /** unpacked bytes of everything, nested archives included */
  maxTotalBytes: number;
  /** archives inside archives: 1 allows a zip in the zip, but no zip inside that one */
  maxDepth: number;
  /** unpacked ÷ packed size allowed for an entry larger than ratioMinBytes */
  maxRatio: number;
  ratioMinBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 10_000,
  maxTotalBytes: 16 * 1024 ** 3,
  maxDepth: 2,
  maxRatio: 200,
  ratioMinBytes: 16 * 1024 ** 2,
});

export interface ArchiveEntrySummary {
  name: string;
  size: number;
}

export interface ArchiveSummary {
  entries: number;
  files: number;
  directories: number;
  total_bytes: number;
  nested_archives: number;
  encrypted_entries: number;
  /** the first LISTED_ENTRIES entries of the outer archive */
  listing: ArchiveEntrySummary[];
  listing_truncated: boolean;
}

const LISTED_ENTRIES = 200;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const bomb = (why: string) =>
  fileQuarantined(
    `This archive ${why}, which is how archive bombs look. It will not be published.`,
  );

interface Walk {
  limits: ArchiveLimits;
  dir: string;
  summary: ArchiveSummary;
  nestedCount: number;
}

export async function inspectArchive(
  file: string,
  dir: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ArchiveSummary> {
  const walk: Walk = {
    limits,
    dir,
    nestedCount: 0,
    summary: {
      entries: 0,
      files: 0,
      directories: 0,
      total_bytes: 0,
      nested_archives: 0,
      encrypted_entries: 0,
      listing: [],
      listing_truncated: false,
    },
  };
  await inspectLevel(walk, file, 0);
  return walk.summary;
}

async function openZip(file: string, depth: number): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(file, { validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    const where = depth === 0 ? 'This archive' : 'An archive inside this archive';
    throw fileFailed(`${where} is damaged and cannot be opened.`, error);
  }
}

function translateZipError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof FileRefusal) return error;
  if (/^(absolute path|invalid relative path|invalid characters)/.test(error.message)) {
    return fileQuarantined(
      'This archive contains a file name that points outside the folder it unpacks into. ' +
        'It will not be published.',
      error,
    );
  }
  if (/too (many|few) bytes in the stream/.test(error.message)) {
    return bomb('holds entries larger than it declares');
  }
  return fileFailed('This archive is damaged and cannot be read.', error);
}

async function inspectLevel(walk: Walk, file: string, depth: number): Promise<void> {
  const zip = await openZip(file, depth);
  try {
    if (walk.summary.entries + zip.entryCount > walk.limits.maxEntries) {
      throw bomb(`holds more than ${walk.limits.maxEntries} files`);
    }
    for await (const entry of zip.eachEntry()) {
      await inspectEntry(walk, zip, entry, depth);
    }
  } catch (error) {
    throw translateZipError(error);
  } finally {
    zip.close();
  }
}

async function inspectEntry(walk: Walk, zip: ZipFile, entry: Entry, depth: number) {
  const { limits, summary } = walk;
  summary.entries++;
  if (summary.entries > limits.maxEntries) throw bomb(`holds more than ${limits.maxEntries} files`);
  const isDirectory = entry.fileName.endsWith('/');
  if (isDirectory) summary.directories++;
  else summary.files++;
  if (depth === 0) {
    if (summary.listing.length < LISTED_ENTRIES) {
      summary.listing.push({ name: entry.fileName, size: entry.uncompressedSize });
    } else {
      summary.listing_truncated = true;
    }
  }
  if (summary.total_bytes + entry.uncompressedSize > limits.maxTotalBytes) {
    throw bomb(`unpacks to more than ${formatBytes(limits.maxTotalBytes)}`);
  }
  if (
    entry.uncompressedSize > limits.ratioMinBytes &&
    entry.uncompressedSize > entry.compressedSize * limits.maxRatio
  ) {
    throw bomb(`holds a file compressed more than ${limits.maxRatio} to 1`);
  }
  if (isDirectory) return;
  if (entry.isEncrypted() || !entry.canDecodeFileData()) {
    // We cannot look inside; the declared size still counts against the budget.
    summary.encrypted_entries++;
    summary.total_bytes += entry.uncompressedSize;
    return;
  }
  const nested = await drainEntry(walk, await zip.openReadStreamPromise(entry));
  if (nested !== undefined) {
    summary.nested_archives++;
    try {
      if (depth + 1 > limits.maxDepth) {
        throw bomb(`nests archives more than ${limits.maxDepth} deep`);
      }
      await inspectLevel(walk, nested, depth + 1);
    } finally {
      await rm(nested, { force: true });
    }
  }
}

/**
 * Counts an entry's real bytes against the budget. An entry that is itself a zip is written to
 * the scratch folder (inspecting it needs random access) and its path returned.
 */
async function drainEntry(walk: Walk, stream: Readable): Promise<string | undefined> {
  let out: WriteStream | undefined;
  let target: string | undefined;
  let head = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      walk.summary.total_bytes += chunk.length;
      if (walk.summary.total_bytes > walk.limits.maxTotalBytes) {
        throw bomb(`unpacks to more than ${formatBytes(walk.limits.maxTotalBytes)}`);
      }
      if (head) {
        head = false;
        if (chunk.subarray(0, 4).equals(ZIP_MAGIC)) {
          target = path.join(walk.dir, `nested-${++walk.nestedCount}.zip`);
          out = createWriteStream(target);
        }
      }
      if (out && !out.write(chunk)) await once(out, 'drain');
    }
    if (out) {
      out.end();
      await once(out, 'finish');
    }
    return target;
  } catch (error) {
    stream.destroy();
    out?.destroy();
    if (target) await rm(target, { force: true });
    throw error;
  }
}
