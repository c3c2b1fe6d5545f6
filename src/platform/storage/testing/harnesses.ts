// Real backends for the storage contract tests: the fs driver behind a real Fastify server on
// 127.0.0.1, and the S3 driver against s3rver (in a child process). Each harness owns a temp directory it removes.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import compress from '@fastify/compress';
import fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import errorHandler from '../../http/error-handler.js';
import { fsStorageRoutes } from '../fs-storage.routes.js';
import { FsObjectStore } from '../fs-store.js';
import { S3ObjectStore } from '../s3-store.js';
import type { ObjectStore } from '../store.js';
import { verifyPresignedUrl } from './sigv4.js';

export interface StoreHarness {
  store: ObjectStore;
  /** another store on the same backend whose clock reads `now` */
  storeAt(now: () => Date): ObjectStore;
  /** the query parameters of a signed URL that carry the expiry and the signature */
  expiryParam: string;
  signatureParam: string;
  /** would the backend honour this URL's signature (ignoring expiry)? */
  signatureAccepted(url: string): Promise<boolean>;
  /** takes the backend away, so check() and reads must fail */
  breakBackend(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hmac-keys';
export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const S3_BUCKET = 'makenot-test';

async function startStorageServer(store: FsObjectStore): Promise<FastifyInstance> {
  const app = fastify();
  // Compression on for everything, as in the app: the storage route must opt out.
  await app.register(compress, { global: true, threshold: 0, encodings: ['br', 'gzip'] });
  await app.register(errorHandler, {
    html: (reply, body) => reply.type('text/plain; charset=utf-8').send(body.message),
  });
  await app.register(fsStorageRoutes, { store });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
}

export async function createFsHarness(): Promise<StoreHarness & { server: FastifyInstance }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'makenot-fs-store-'));
  const root = path.join(dir, 'objects');
  // The server's store never signs, so its URL does not matter; the store under test signs for
  // the server's real address. Two instances sharing one root is also what production does.
  const server = await startStorageServer(
    new FsObjectStore({ root, secret: TEST_SECRET, publicUrl: new URL('http://unused.invalid') }),
  );
  const address = server.addresses()[0];
  if (address === undefined || typeof address === 'string') {
    throw new Error('the storage test server has no TCP address');
  }
  const publicUrl = new URL(`http://127.0.0.1:${address.port}`);
  const storeAt = (now?: () => Date) =>
    new FsObjectStore({ root, secret: TEST_SECRET, publicUrl, ...(now && { now }) });
  return {
    server,
    store: storeAt(),
    storeAt,
    expiryParam: 'exp',
    signatureParam: 'sig',
    async signatureAccepted(url) {
      const response = await fetch(url);
      await response.arrayBuffer();
      return response.status !== 403;
    },
    breakBackend: () => rm(root, { recursive: true, force: true }),
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** s3rver in a child process (see s3rver-child.ts); stop() waits until it has exited. */
export async function startS3rver(
  directory: string,
  port?: number,
): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      import.meta.resolve('tsx'),
      fileURLToPath(new URL('s3rver-child.ts', import.meta.url)),
      directory,
      S3_BUCKET,
      ...(port === undefined ? [] : [String(port)]),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  let listening: number | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    listening = z.object({ port: z.number() }).parse(JSON.parse(line)).port;
    break;
  }
  if (listening === undefined) {
    await stop();
    throw new Error('s3rver did not start');
  }
  return { port: listening, stop };
}

export interface S3HarnessOptions {
  pageSize?: number;
}

export async function createS3Harness(options: S3HarnessOptions = {}): Promise<StoreHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'makenot-s3-store-'));
  const server = await startS3rver(dir);
  const config = {
    endpoint: `http://127.0.0.1:${server.port}`,
    bucket: S3_BUCKET,
    region: 'us-east-1',
    ...S3_CREDENTIALS,
    forcePathStyle: true,
  };
  const stores: S3ObjectStore[] = [];
  const storeAt = (now?: () => Date) => {
    const store = new S3ObjectStore({
      config,
      pageSize: options.pageSize ?? 3,
      ...(now && { now }),
    });
    stores.push(store);
    return store;
  };
  return {
    store: storeAt(),
    storeAt,
    expiryParam: 'X-Amz-Expires',
    signatureParam: 'X-Amz-Signature',
    signatureAccepted: (url) => Promise.resolve(verifyPresignedUrl(url, S3_CREDENTIALS)),
    breakBackend: () => server.stop(),
    async close() {
      for (const store of stores) store.destroy();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
