/* eslint-disable @typescript-eslint/only-throw-error -- tus answers HTTP errors by throwing its
   {status_code, body} objects (ERRORS.*), which are not Error instances. */
// The tus DataStore over our ObjectStore and PostgreSQL. Incoming bytes are cut into PART_SIZE
// parts, each stored as its own object and counted in `uploads` once stored; what is left at
// the end of a request is kept in a `tail` object whose first `tail_size` bytes count. So the
// database always says exactly which bytes are safe, any instance can take the next request,
// and a dropped connection loses at most one part's worth of bytes the client then resends.
//
// Crash safety: an object is written before the row that counts it, under a key the row
// determines (part index), so a crash in between leaves an object the next write overwrites.
// The final write completes the upload in the same transaction that counts its last bytes
// (`onComplete`), so a finished upload always has its file record and processing job.
import type { Readable } from 'node:stream';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { deleteUploadObjects, PART_SIZE, partKey, tailKey } from './upload-parts.js';
import {
  deleteUploadRow,
  findExpiredUploads,
  findUploadRow,
  insertUploadRow,
  type UploadRow,
} from './uploads.repository.js';

export const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface UploadStoreOptions {
  db: Db;
  store: ObjectStore;
  /** runs in the transaction that stores the last byte */
  onComplete: (trx: Trx, upload: UploadRow) => Promise<void>;
}

/** tus metadata the upload row needs; the route sets creator_id itself. */
export interface UploadMetadata {
  creator_id: string;
  item_id: string;
  filename: string;
  filetype?: string | undefined;
}

export function readMetadata(upload: Upload): UploadMetadata {
  const meta = upload.metadata ?? {};
  const creator = meta.creator_id;
  const item = meta.item_id;
  const filename = meta.filename;
  if (!creator || !item || !filename) throw ERRORS.INVALID_METADATA;
  return { creator_id: creator, item_id: item, filename, filetype: meta.filetype ?? undefined };
}

function toUpload(row: UploadRow): Upload {
  return new Upload({
    id: row.id,
    size: row.size,
    offset: row.offset,
    metadata: {
      item_id: row.item_id,
      filename: row.filename,
      ...(row.declared_type && { filetype: row.declared_type }),
      ...(row.file_id && { file_id: row.file_id }),
    },
    creation_date: row.created_at.toISOString(),
    storage: { type: 'object-store', path: `uploads/${row.id}` },
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export class ObjectUploadStore extends DataStore {
  constructor(private readonly options: UploadStoreOptions) {
    super();
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  override async create(upload: Upload): Promise<Upload> {
    const meta = readMetadata(upload);
    if (upload.size === undefined) throw ERRORS.INVALID_LENGTH;
    const row = await insertUploadRow(this.options.db, {
      id: upload.id,
      creator_id: meta.creator_id,
      item_id: meta.item_id,
      filename: meta.filename,
      declared_type: meta.filetype ?? null,
      size: upload.size,
      expires_at: new Date(Date.now() + UPLOAD_LIFETIME_MS),
    });
    if (row.size === 0) {
      await this.options.db.transaction().execute((trx) => this.options.onComplete(trx, row));
    }
    return toUpload(row);
  }

  override async getUpload(id: string): Promise<Upload> {
    const row = await findUploadRow(this.options.db, id);
    if (!row) throw ERRORS.FILE_NOT_FOUND;
    return toUpload(row);
  }

  override async remove(id: string): Promise<void> {
    const row = await findUploadRow(this.options.db, id);
    if (!row) throw ERRORS.FILE_NOT_FOUND;
    // A finished upload belongs to its file now; the file is deleted through the API.
    if (row.file_id) throw ERRORS.INVALID_TERMINATION;
    await deleteUploadRow(this.options.db, id);
    await deleteUploadObjects(this.options.store, id);
  }

  override getExpiration(): number {
    return UPLOAD_LIFETIME_MS;
  }

  override async deleteExpired(): Promise<number> {
    const expired = await findExpiredUploads(this.options.db, 100);
    for (const row of expired) {
      await deleteUploadObjects(this.options.store, row.id);
      await deleteUploadRow(this.options.db, row.id);
    }
    return expired.length;
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    const { db, store } = this.options;
    const row = await findUploadRow(db, id);
    if (!row) throw ERRORS.FILE_NOT_FOUND;
    if (row.offset !== offset) throw ERRORS.INVALID_OFFSET;
    let state = { parts: row.part_count, tail: row.tail_size, offset: row.offset };
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    if (state.tail > 0) {
      const tail = await store.get(tailKey(id), { start: 0, end: state.tail - 1 });
      pending = [await readAll(tail.body)];
      pendingBytes = state.tail;
    }

    /** Stores `bytes` as the next part and counts it (plus completion when it is the last). */
    const storePart = async (bytes: Buffer) => {
      await store.put(partKey(id, state.parts), bytes);
      const next = {
        parts: state.parts + 1,
        tail: 0,
        offset: state.offset - state.tail + bytes.length,
      };
      await this.commit(row, state, next);
      state = next;
    };
    const takePending = () => {
      const all = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      return all;
    };

    let failure: unknown;
    try {
      for await (const chunk of stream) {
        const buffer = chunk as Buffer;
        pending.push(buffer);
        pendingBytes += buffer.length;
        while (pendingBytes >= PART_SIZE) {
          const all = takePending();
          await storePart(all.subarray(0, PART_SIZE));
          if (all.length > PART_SIZE) {
            pending = [all.subarray(PART_SIZE)];
            pendingBytes = all.length - PART_SIZE;
          }
        }
      }
    } catch (error) {
      // The connection dropped: keep what arrived, then report the error.
      failure = error;
    }
    const received = state.offset - state.tail + pendingBytes;
    if (received > row.size) throw ERRORS.ERR_SIZE_EXCEEDED;
    if (pendingBytes > 0 && received === row.size) {
      await storePart(takePending());
    } else if (pendingBytes !== state.tail) {
      const tail = takePending();
      await store.put(tailKey(id), tail);
      const next = {
        parts: state.parts,
        tail: tail.length,
        offset: state.offset - state.tail + tail.length,
      };
      await this.commit(row, state, next);
      state = next;
    }
    if (failure !== undefined && state.offset !== row.size) throw failure;
    return state.offset;
  }

  /** Counts stored bytes if nobody else did meanwhile; completes the upload at its size. */
  private async commit(
    row: UploadRow,
    from: { offset: number },
    to: { parts: number; tail: number; offset: number },
  ) {
    await this.options.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('uploads')
        .set({
          part_count: to.parts,
          tail_size: to.tail,
          offset: to.offset,
          updated_at: sql`now()`,
        })
        .where('id', '=', row.id)
        .where('offset', '=', from.offset)
        .where('file_id', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!updated) throw ERRORS.INVALID_OFFSET;
      if (updated.offset === updated.size) await this.options.onComplete(trx, updated);
    });
  }
}
