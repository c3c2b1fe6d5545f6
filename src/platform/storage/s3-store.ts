// S3 driver for any S3-compatible store (AWS, MinIO, Garage, Ceph). Clients stream straight
// from the store through presigned GET URLs; the app never proxies media bytes.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../../config.js';
import { requestedDisposition, sanitizeFilename } from './content-disposition.js';
import { assertValidKey, assertValidPrefix, isValidKey } from './object-key.js';
import { isNotFound, toStorageError } from './s3-errors.js';
import {
  assertContentType,
  assertSignedUrlOptions,
  DEFAULT_CONTENT_TYPE,
  RangeNotSatisfiableError,
  StorageUnavailableError,
  type ByteRange,
  type GetResult,
  type ObjectInfo,
  type ObjectStore,
  type SignedUrl,
  type SignedUrlOptions,
} from './store.js';

export interface S3ObjectStoreOptions {
  config: S3Config;
  /** the signing clock of presigned URLs; tests move it */
  now?: () => Date;
  /** ListObjectsV2 page size (S3's maximum is 1000); tests use a small one */
  pageSize?: number;
  /** multipart part size; S3's minimum is 5 MiB. Memory per upload is about 4 parts. */
  partSize?: number;
}

const MIB = 1024 * 1024;
/** HEAD requests in flight per listed page (list results carry no content type) */
const LIST_HEAD_CONCURRENCY = 16;

const unquote = (etag: string | undefined): string => (etag ?? '').replace(/^(W\/)?"|"$/g, '');

function parseContentRange(header: string | undefined) {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header ?? '');
  if (match === null) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

export class S3ObjectStore implements ObjectStore {
  readonly driver = 's3' as const;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly now: () => Date;
  private readonly pageSize: number;
  private readonly partSize: number;

  constructor(options: S3ObjectStoreOptions) {
    const { config } = options;
    this.bucket = config.bucket;
    this.now = options.now ?? (() => new Date());
    this.pageSize = options.pageSize ?? 1000;
    this.partSize = options.partSize ?? 8 * MIB;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Since 3.729 the SDK adds CRC32 checksums that many S3-compatible stores reject.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // Fail fast when the store is unreachable: callers answer 503, they should not hang.
      requestHandler: { connectionTimeout: 5_000, socketTimeout: 60_000 },
    });
  }

  async put(key: string, body: Readable | Buffer, options: { contentType?: string } = {}) {
    assertValidKey(key);
    if (options.contentType !== undefined) assertContentType(options.contentType);
    // A failing body (a client that went away) is the caller's error, not the store's.
    let bodyError: Error | undefined;
    if (body instanceof Readable) body.once('error', (error) => (bodyError ??= error));
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
      },
      partSize: this.partSize,
      queueSize: 4,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      throw bodyError ?? toStorageError('put', key, error);
    }
    // The upload answer lacks size and date: one HEAD gives the stored truth.
    const info = await this.head(key);
    if (info === undefined) throw new StorageUnavailableError('put', new Error(`${key} vanished`));
    return info;
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    assertValidKey(key);
    if (range !== undefined) assertRangeShape(range);
    const response = await this.client
      .send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range && { Range: `bytes=${range.start}-${range.end ?? ''}` }),
        }),
      )
      .catch((error: unknown) => {
        throw toStorageError('get', key, error);
      });
    if (!(response.Body instanceof Readable)) {
      throw new StorageUnavailableError('get', new Error('the S3 response has no stream body'));
    }
    const span = parseContentRange(response.ContentRange);
    // Some S3-compatible stores answer a range on an empty object with bytes 0-0/0 instead
    // of 416; S3 semantics say no byte was selected.
    if (span !== undefined && span.end >= span.size) {
      response.Body.destroy();
      throw new RangeNotSatisfiableError(span.size);
    }
    return {
      key,
      size: span?.size ?? response.ContentLength ?? 0,
      etag: unquote(response.ETag),
      contentType: response.ContentType ?? DEFAULT_CONTENT_TYPE,
      lastModified: response.LastModified ?? new Date(0),
      body: response.Body,
      ...(range && span && { range: { start: span.start, end: span.end } }),
    };
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key);
    try {
      const response = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return {
        key,
        size: response.ContentLength ?? 0,
        etag: unquote(response.ETag),
        contentType: response.ContentType ?? DEFAULT_CONTENT_TYPE,
        lastModified: response.LastModified ?? new Date(0),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toStorageError('head', key, error);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    // S3 answers 204 for a missing key too: idempotent by nature.
    await this.client
      .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }))
      .catch((error: unknown) => {
        throw toStorageError('delete', key, error);
      });
  }

  async *list(prefix: string): AsyncGenerator<ObjectInfo> {
    assertValidPrefix(prefix);
    let token: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix === '' ? undefined : prefix,
            MaxKeys: this.pageSize,
            ContinuationToken: token,
          }),
        )
        .catch((error: unknown) => {
          throw toStorageError('list', prefix, error);
        });
      yield* await this.describeListed(page.Contents ?? []);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async signedUrl(key: string, options: SignedUrlOptions): Promise<SignedUrl> {
    assertValidKey(key);
    assertSignedUrlOptions(options);
    // X-Amz-Date has whole seconds; expiry is counted from there.
    const signedAt = Math.floor(this.now().getTime() / 1000);
    const disposition = requestedDisposition({
      disposition: options.disposition,
      filename: options.filename === undefined ? undefined : sanitizeFilename(options.filename),
    });
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: disposition,
      ResponseContentType: options.contentType,
      ResponseCacheControl: `private, max-age=${options.expiresInSeconds}`,
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: options.expiresInSeconds,
      signingDate: new Date(signedAt * 1000),
    });
    return { url, expiresAt: new Date((signedAt + options.expiresInSeconds) * 1000) };
  }

  async check(): Promise<void> {
    const key = `_health/${randomUUID()}`;
    const token = randomUUID();
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: token }));
      const read = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = await read.Body?.transformToString();
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
      if (body !== token) throw new Error('the probe object read back different bytes');
    } catch (error) {
      throw new StorageUnavailableError('check', error);
    }
  }

  /** Lists carry no content type, so each object is HEADed, a few at a time. */
  private async describeListed(objects: _Object[]): Promise<ObjectInfo[]> {
    const described: ObjectInfo[] = [];
    for (let i = 0; i < objects.length; i += LIST_HEAD_CONCURRENCY) {
      const batch = objects.slice(i, i + LIST_HEAD_CONCURRENCY);
      const infos = await Promise.all(
        // Keys we could not have written (another tool's objects) are not ours to describe.
        batch.map((object) =>
          object.Key !== undefined && isValidKey(object.Key)
            ? this.head(object.Key)
            : Promise.resolve(undefined),
        ),
      );
      // An object deleted between the list and its HEAD is simply gone.
      for (const info of infos) if (info !== undefined) described.push(info);
    }
    return described;
  }

  /** Closes the client's sockets (tests, shutdown). */
  destroy(): void {
    this.client.destroy();
  }
}

/** S3 ignores a malformed Range and sends everything; we refuse it as the fs driver does. */
function assertRangeShape(range: ByteRange): void {
  const { start, end } = range;
  const valid =
    Number.isSafeInteger(start) &&
    start >= 0 &&
    (end === undefined || (Number.isSafeInteger(end) && end >= start));
  if (!valid) throw new RangeNotSatisfiableError(undefined);
}
