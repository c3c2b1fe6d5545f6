// The media:process_file job: one per file (job key file:<id>), at-least-once, retried with
// graphile-worker's exponential backoff. Every step is safe to repeat: a file already final is
// left alone, objects go to deterministic keys (a rerun overwrites them), and the row changes to
// its final status in one transaction that only succeeds while the file is still open.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { defineJob } from '../../platform/jobs/job.js';
import type { JobContext, TaskDefinition } from '../../platform/jobs/task.js';
import { StorageNotFoundError, StorageUnavailableError } from '../../platform/storage/index.js';
import { claimFile, markFileRefused, type FileRow, type RefusedFile } from './files.repository.js';
import { FileRefusal, fileFailed } from './media-errors.js';
import { fileObjectPrefix, originalKeyOf } from './media-keys.js';
import {
  resolveMediaOptions,
  type MediaOptions,
  type ResolvedMediaOptions,
} from './media-options.js';
import { processSource, storeAndFinish, type Source } from './process-file.steps.js';
import { sniffFile } from './sniff.js';
import { uploadReaderOf, type MediaDeps } from './media-deps.js';

export const PROCESS_FILE_MAX_ATTEMPTS = 5;
/** after the attempts ran out on a storage outage, the next round starts this much later */
export const STORAGE_RETRY_MS = 5 * 60 * 1000;
export const processFileJob = defineJob('media:process_file', z.object({ fileId: z.uuid() }));
export type ProcessFilePayload = z.infer<typeof processFileJob.payload>;

export const GAVE_UP =
  'We could not process this file after several tries. Upload it again, or contact us if it keeps happening.';

export function processFileTask(
  deps: MediaDeps,
  options: MediaOptions = {},
): TaskDefinition<ProcessFilePayload> {
  const resolved = resolveMediaOptions(options);
  return processFileJob.task(({ fileId }, context) => processFile(deps, resolved, fileId, context));
}

type RunContext = Pick<JobContext, 'attempt' | 'maxAttempts' | 'signal'> &
  Partial<Pick<JobContext, 'log'>>;

export async function processFile(
  deps: MediaDeps,
  options: ResolvedMediaOptions,
  fileId: string,
  context: RunContext,
): Promise<void> {
  const file = await claimFile(deps.db, fileId);
  if (!file) return; // gone, or already final: a repeated job changes nothing
  const dir = await mkdtemp(path.join(deps.tempDir, `file-${fileId}-`));
  // what is known so far, recorded on the row if the file is refused
  const facts: Pick<RefusedFile, 'size' | 'sha256' | 'mime'> = {};
  try {
    const source = await fetchSource(deps, file, path.join(dir, 'source'));
    facts.size = source.size;
    facts.sha256 = source.sha256;
    if (source.size === 0) throw fileFailed('The file is empty.');
    const sniffed = await sniffFile(source.file);
    facts.mime = sniffed.mime;
    const processed = await processSource(
      { tools: options.tools, dir, source: source.file, signal: context.signal },
      { file, sniffed, size: source.size, options },
    );
    await storeAndFinish(deps, file, source, sniffed, processed);
  } catch (error) {
    if (error instanceof FileRefusal) {
      await refuse(deps, file, { status: error.status, error: error.message, ...facts });
      context.log?.info(
        { fileId, status: error.status, reason: error.message, err: error.cause },
        'file refused',
      );
      return;
    }
    // Storage being down says nothing about the file: on the last attempt, come back later
    // with fresh attempts instead of giving up (the upload waits in storage meanwhile).
    if (context.attempt >= context.maxAttempts && error instanceof StorageUnavailableError) {
      context.log?.warn({ err: error, fileId }, 'storage unavailable; processing again later');
      await processFileJob.add(
        deps.db,
        { fileId },
        {
          jobKey: `file:${fileId}`,
          maxAttempts: PROCESS_FILE_MAX_ATTEMPTS,
          runAt: new Date(Date.now() + STORAGE_RETRY_MS),
        },
      );
      return;
    }
    if (context.attempt >= context.maxAttempts && !context.signal.aborted) {
      context.log?.error({ err: error, fileId }, 'file processing gave up');
      await refuse(deps, file, { status: 'failed', error: GAVE_UP, ...facts });
      return;
    }
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Streams the upload once into a local copy (ffmpeg and zip readers need random access),
 * hashing it on the way. After an interrupted run whose upload is already gone, the stored
 * original is the same bytes.
 */
async function fetchSource(deps: MediaDeps, file: FileRow, target: string): Promise<Source> {
  let body: Readable | undefined;
  if (file.upload_key !== null) {
    body = await uploadReaderOf(deps).open({ id: file.id, uploadKey: file.upload_key });
  }
  if (body === undefined) {
    try {
      body = (await deps.store.get(originalKeyOf(file.id))).body;
    } catch (error) {
      if (error instanceof StorageNotFoundError) {
        throw fileFailed('The uploaded file could not be found. Upload it again.', error);
      }
      throw error;
    }
  }
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(
    body,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(target),
  );
  return { file: target, size, sha256: hash.digest('hex') };
}

async function refuse(deps: MediaDeps, file: FileRow, refused: RefusedFile): Promise<void> {
  // Another run may have finished the file meanwhile: then its objects are not ours to remove.
  if (!(await markFileRefused(deps.db, file.id, refused))) return;
  // After the commit: nothing of a refused file is kept or delivered. Repeating is harmless.
  await removeObjects(deps, file);
}

async function removeObjects(deps: MediaDeps, file: FileRow) {
  if (file.upload_key !== null) {
    await uploadReaderOf(deps).remove({ id: file.id, uploadKey: file.upload_key });
  }
  const keys: string[] = [];
  for await (const object of deps.store.list(fileObjectPrefix(file.id))) keys.push(object.key);
  for (const key of keys) await deps.store.delete(key);
}
