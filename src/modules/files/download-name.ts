// The name a download is saved under: "Artist - Title.ext", as a music store names its files,
// instead of whatever the creator's upload happened to be called. An item with several files
// keeps each file's own name after the title, so they do not overwrite each other.
import path from 'node:path';
import type { Executor } from '../../db/database.js';
import type { FileRow } from '../media/index.js';
import { findDownloadFacts } from './files.repository.js';

/** Characters some file systems refuse; control characters and slashes go in storage. */
const UNSAFE = /[:*?"<>|]+/g;

export function downloadFileName(facts: {
  artist: string;
  title: string;
  originalName: string;
  several: boolean;
}): string {
  const ext = path.extname(facts.originalName).slice(0, 16);
  const base = `${facts.artist} - ${facts.title}`;
  const name = facts.several
    ? `${base} - ${path.basename(facts.originalName, ext)}${ext}`
    : `${base}${ext}`;
  return name.replace(UNSAFE, '-').replace(/\s+/g, ' ').trim().slice(0, 200);
}

export async function downloadName(db: Executor, file: FileRow): Promise<string> {
  const facts = await findDownloadFacts(db, file.item_id);
  if (!facts) return file.original_name;
  return downloadFileName({
    artist: facts.display_name,
    title: facts.title,
    originalName: file.original_name,
    several: (facts.ready_files ?? 0) > 1,
  });
}
