// Filesystem object store, the embedded default. Layout under the root (the app passes
// <DATA_DIR>/objects):
//   data/<key>         the bytes, as plain files an operator can read or rsync
//   meta/<key>.json    content type and etag (see fs-sidecar.ts)
//   tmp/               writes in progress; same filesystem as data/, so rename is atomic
// A write streams into tmp/ and is renamed into place, so a reader or a crash never sees half
// an object. The app serves signed URLs itself (fs-storage.routes.ts).
import { randomUUID } from 'node:crypto';
import { access, mkdir, open, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';
import { sanitizeFilename } from './content-disposition.js';
import { moveIntoPlace, pruneEmptyDirs, removeStaleFiles, writeTemp } from './fs-files.js';
import { errnoCode, walkFiles } from './fs-walk.js';
import { createSidecar, describeFromDisk } from './fs-sidecar.js';
import { UrlSigner, type UrlGrant } from './fs-url-signer.js';
import { assertValidKey, assertValidPrefix } from './object-key.js';
import {
  assertContentType,
  assertSignedUrlOptions,
  DEFAULT_CONTENT_TYPE,
  resolveRange,
  StorageNotFoundError,
  StorageUnavailableError,
  type ByteRange,
  type GetResult,
  type ObjectInfo,
  type ObjectStore,
  type SignedUrl,
  type SignedUrlOptions,
} from './store.js';

export interface FsObjectStoreOptions {
  root: string;
  /** APP_SECRET; the URL signing key is derived from it */
  secret: string;
  publicUrl: URL;
  /** the clock for signing and verifying URLs; tests move it */
  now?: () => Date;
}

/** errno codes that mean "no object here" rather than "the disk is in trouble" */
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

export class FsObjectStore implements ObjectStore {
  readonly driver = 'fs' as const;
  readonly root: string;
  private readonly dataDir: string;
  private readonly metaDir: string;
  private readonly tmpDir: string;
  private readonly signer: UrlSigner;
  private readonly now: () => Date;
  private layout: Promise<void> | undefined;

  constructor(options: FsObjectStoreOptions) {
    this.root = path.resolve(options.root);
    this.dataDir = path.join(this.root, 'data');
    this.metaDir = path.join(this.root, 'meta');
    this.tmpDir = path.join(this.root, 'tmp');
    this.signer = new UrlSigner(options.secret, options.publicUrl);
    this.now = options.now ?? (() => new Date());
  }

  async put(key: string, body: Readable | Buffer, options: { contentType?: string } = {}) {
    assertValidKey(key);
    if (options.contentType !== undefined) assertContentType(options.contentType);
    await this.ensureLayout();
    const tmpData = path.join(this.tmpDir, randomUUID());
    const sha256 = await writeTemp(tmpData, body).catch(async (error: unknown) => {
      await rm(tmpData, { force: true });
      throw error;
    });
    try {
      return await this.commit(key, tmpData, options.contentType ?? DEFAULT_CONTENT_TYPE, sha256);
    } catch (error) {
      await rm(tmpData, { force: true });
      throw toStorageError('put', error);
    }
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    assertValidKey(key);
    const handle = await open(this.dataPath(key), 'r').catch((error: unknown) =>
      this.throwReadError(key, error),
    );
    try {
      // Describe the opened file, not the path: a concurrent replace cannot mix two versions.
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw new StorageNotFoundError(key);
      const info = await describeFromDisk(key, stats, this.metaPath(key));
      const span = range && resolveRange(range, info.size);
      // The stream owns the handle from here and closes it when it ends or is destroyed.
      const body = handle.createReadStream(span ?? {});
      return { ...info, body, ...(span && { range: span }) };
    } catch (error) {
      await handle.close();
      throw toStorageError('get', error);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key);
    try {
      const stats = await stat(this.dataPath(key), { bigint: true });
      if (!stats.isFile()) return undefined;
      return await describeFromDisk(key, stats, this.metaPath(key));
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '') && (await this.isReachable())) return undefined;
      throw toStorageError('head', error);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await unlink(this.dataPath(key)).catch(ignoreMissing);
      await unlink(this.metaPath(key)).catch(ignoreMissing);
      if (!(await this.isReachable())) throw new Error('the storage root is gone');
    } catch (error) {
      throw toStorageError('delete', error);
    }
    await Promise.all([
      pruneEmptyDirs(path.dirname(this.dataPath(key)), this.dataDir),
      pruneEmptyDirs(path.dirname(this.metaPath(key)), this.metaDir),
    ]);
  }

  async *list(prefix: string): AsyncGenerator<ObjectInfo> {
    assertValidPrefix(prefix);
    if (!(await this.isReachable())) throw new StorageUnavailableError('list');
    try {
      for await (const { key, stats } of walkFiles(this.dataDir, prefix)) {
        yield await describeFromDisk(key, stats, this.metaPath(key));
      }
    } catch (error) {
      throw toStorageError('list', error);
    }
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<SignedUrl> {
    assertValidKey(key);
    assertSignedUrlOptions(options);
    const expires = this.nowSeconds() + options.expiresInSeconds;
    const url = this.signer.sign(key, expires, {
      ...(options.disposition !== undefined && { disposition: options.disposition }),
      ...(options.filename !== undefined && { filename: sanitizeFilename(options.filename) }),
      ...(options.contentType !== undefined && { contentType: options.contentType }),
    });
    return Promise.resolve({ url, expiresAt: new Date(expires * 1000) });
  }

  /** What a request to /storage/<key> may do; throws the 403 errors of fs-url-signer.ts. */
  verifySignedRequest(key: string, query: URLSearchParams): UrlGrant {
    return this.signer.verify(key, query, this.nowSeconds());
  }

  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  async check(): Promise<void> {
    try {
      await this.ensureLayout();
      const probe = path.join(this.tmpDir, `probe-${randomUUID()}`);
      const token = randomUUID();
      await writeFile(probe, token, { flag: 'wx' });
      try {
        if ((await readFile(probe, 'utf8')) !== token) throw new Error('probe read back wrong');
      } finally {
        await rm(probe, { force: true });
      }
    } catch (error) {
      throw error instanceof StorageUnavailableError
        ? error
        : new StorageUnavailableError('check', error);
    }
  }

  private dataPath(key: string): string {
    return path.join(this.dataDir, ...key.split('/'));
  }

  private metaPath(key: string): string {
    return `${path.join(this.metaDir, ...key.split('/'))}.json`;
  }

  /**
   * Creates the layout once per process. Later operations never recreate the root: if it
   * vanishes (an unmounted volume), writes fail instead of filling the disk underneath.
   */
  private ensureLayout(): Promise<void> {
    this.layout ??= Promise.all(
      [this.dataDir, this.metaDir, this.tmpDir].map((dir) => mkdir(dir, { recursive: true })),
    ).then(
      // Writes cut short by a crash leave temp files behind; a day is longer than any upload.
      () => removeStaleFiles(this.tmpDir, new Date(Date.now() - STALE_TEMP_MS)),
      (error: unknown) => {
        this.layout = undefined;
        throw new StorageUnavailableError('init', error);
      },
    );
    return this.layout;
  }

  private async isReachable(): Promise<boolean> {
    return access(this.dataDir).then(
      () => true,
      () => false,
    );
  }

  /** Makes a fully written temp file the object at key: sidecar first, then the data. */
  private async commit(key: string, tmpData: string, contentType: string, sha256: string) {
    const stats = await stat(tmpData, { bigint: true });
    const sidecar = createSidecar(stats, contentType, sha256);
    const tmpMeta = `${tmpData}.json`;
    try {
      await writeFile(tmpMeta, JSON.stringify(sidecar), { flag: 'wx', flush: true });
      // Until the data rename, readers still see the old bytes, which the new sidecar does not
      // match: they fall back rather than mislabel (fs-sidecar.ts).
      await moveIntoPlace(key, tmpMeta, this.metaPath(key));
    } catch (error) {
      await rm(tmpMeta, { force: true });
      throw error;
    }
    await moveIntoPlace(key, tmpData, this.dataPath(key)).catch(async (error: unknown) => {
      await rm(this.metaPath(key), { force: true });
      throw error;
    });
    const info: ObjectInfo = {
      key,
      size: Number(stats.size),
      etag: sha256,
      contentType,
      lastModified: new Date(Number(stats.mtimeMs)),
    };
    return info;
  }

  private async throwReadError(key: string, error: unknown): Promise<never> {
    if (MISSING.has(errnoCode(error) ?? '') && (await this.isReachable())) {
      throw new StorageNotFoundError(key, error);
    }
    throw toStorageError('get', error);
  }
}

/** Our own errors pass through; anything else from the filesystem means the store is unwell. */
function toStorageError(operation: string, error: unknown): Error {
  return error instanceof AppError ? error : new StorageUnavailableError(operation, error);
}

function ignoreMissing(error: unknown): void {
  if (!MISSING.has(errnoCode(error) ?? '')) throw error;
}
