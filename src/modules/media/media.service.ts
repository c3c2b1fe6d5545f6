// Use cases the upload side and the catalogue call: record an uploaded file, queue its
// processing in the same transaction, and answer whether an item has a file ready.
import { randomUUID } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import {
  insertFile,
  itemHasReadyFile,
  notifyFileStatus,
  type FileRow,
} from './files.repository.js';
import { uploadKeyOf } from './media-keys.js';
import { PROCESS_FILE_MAX_ATTEMPTS, processFileJob } from './process-file.job.js';

export interface NewFile {
  /** generate it first when the upload's object key must contain it; default: a new UUID */
  id?: string;
  itemId: string;
  creatorId: string;
  versionId?: string | null;
  /** the client's file name; only the last path segment is kept */
  originalName: string;
  /** the client's MIME type */
  declaredType?: string | null;
  /** the temporary object holding the bytes; default tmp/uploads/<id> */
  uploadKey?: string;
  previewStartMs?: number | null;
  /** the item's file this one is a new version of (removed once this one is ready) */
  replacesFileId?: string | null;
  /** the announced size (tus Upload-Length), for quotas; the worker records the real one */
  size?: number | null;
}

// C0/C1 controls and the bidi overrides that make "evil‮3pm.exe" look like an mp3.
// eslint-disable-next-line no-control-regex
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The display name we keep: no directories, no control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const base = name.replace(UNSAFE_NAME_CHARS, '').split(/[/\\]/).pop()?.trim() ?? '';
  const clean = Array.from(base).slice(0, 255).join('');
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}

/**
 * Records an uploaded file as pending (announcing it on file_status, so a dashboard shows it at
 * once). Call it in the transaction that accepts the upload, then enqueueFileProcessing.
 */
export async function createFileRecord(trx: Executor, input: NewFile): Promise<FileRow> {
  const id = input.id ?? randomUUID();
  const declared = input.declaredType?.trim().slice(0, 255) ?? null;
  const file = await insertFile(trx, {
    id,
    item_id: input.itemId,
    creator_id: input.creatorId,
    version_id: input.versionId ?? null,
    original_name: cleanFileName(input.originalName),
    declared_type: declared === '' ? null : declared,
    upload_key: input.uploadKey ?? uploadKeyOf(id),
    preview_start_ms: input.previewStartMs ?? null,
    replaces_file_id: input.replacesFileId ?? null,
    size: input.size ?? null,
  });
  await notifyFileStatus(trx, file);
  return file;
}

/** Queues processing; call it in the transaction that created the file (or re-queues it). */
export async function enqueueFileProcessing(trx: Executor, fileId: string): Promise<void> {
  await processFileJob.add(
    trx,
    { fileId },
    { jobKey: `file:${fileId}`, maxAttempts: PROCESS_FILE_MAX_ATTEMPTS },
  );
}

/** The catalogue's publishing rule: an item of a file type needs one ready file. */
export function hasReadyFile(db: Db): (itemId: string) => Promise<boolean> {
  return (itemId) => itemHasReadyFile(db, itemId);
}
