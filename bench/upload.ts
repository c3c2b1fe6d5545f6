// The upload entries of `npm run bench`: one file through tus (POST, then one streamed PATCH, as
// tus-js-client sends it) into the fs or S3 driver, against a plain copy of the same bytes on the
// same disk measured in the same run. Reports MB/s, the ratio, and the process's resident memory
// at its peak over its level before the upload (the server and this client share the process).
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createTestApp } from '../test/helpers/app.js';
import { csrfFor, send } from '../test/helpers/http.js';
import { signUp } from '../test/helpers/factories.js';
import {
  S3_BUCKET,
  S3_CREDENTIALS,
  startS3rver,
} from '../src/platform/storage/testing/harnesses.js';

const MB = 1024 * 1024;

export interface UploadResult {
  name: string;
  megabytes: number;
  appMBps: number;
  copyMBps: number;
  rssGrowthMB: number;
}

async function makeFile(file: string, megabytes: number) {
  // 8 MB of random bytes repeated: incompressible enough, quick to write
  const block = randomBytes(8 * MB);
  await writeFile(file, '');
  for (let written = 0; written < megabytes; written += 8) {
    await appendFile(file, block.subarray(0, Math.min(8, megabytes - written) * MB));
  }
}

async function plainCopy(from: string, to: string): Promise<number> {
  const started = performance.now();
  await pipeline(createReadStream(from), createWriteStream(to));
  return (performance.now() - started) / 1000;
}

/** Samples RSS every 20 ms until stopped; returns the highest value. */
function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

export async function benchUpload(driver: 'fs' | 's3', megabytes: number): Promise<UploadResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'makenot-bench-upload-'));
  const s3 = driver === 's3' ? await startS3rver(path.join(dir, 's3')) : undefined;
  const t = await createTestApp({
    env: s3
      ? {
          S3_ENDPOINT: `http://127.0.0.1:${s3.port}`,
          S3_BUCKET,
          S3_REGION: 'us-east-1',
          S3_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
          S3_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
        }
      : {},
  });
  try {
    const source = path.join(dir, 'source.bin');
    await makeFile(source, megabytes);
    const copySeconds = await plainCopy(source, path.join(dir, 'copy.bin'));
    await rm(path.join(dir, 'copy.bin'));

    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    const user = await signUp(t.app);
    let csrf = await csrfFor(t.app, user.jar);
    await send(t.app, user.jar, {
      url: '/api/v1/me/creator',
      json: { tier: 'everything' },
      headers: { 'x-csrf-token': csrf },
    });
    csrf = await csrfFor(t.app, user.jar);
    const call = (url: string, json: unknown) =>
      send(t.app, user.jar, { url: `/api/v1${url}`, json, headers: { 'x-csrf-token': csrf } });
    const project = (await call('/projects', { title: 'Bench' })).json<{
      project: { id: string };
    }>().project;
    const item = (
      await call(`/projects/${project.id}/items`, {
        type: 'digital',
        title: 'Big file',
        price: { model: 'free' },
      })
    ).json<{ item: { id: string } }>().item;
    const headers = {
      'tus-resumable': '1.0.0',
      'x-csrf-token': csrf,
      cookie: [...user.jar.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    };
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/uploads`, {
      method: 'POST',
      headers: {
        ...headers,
        'upload-length': String(megabytes * MB),
        'upload-metadata': `item_id ${Buffer.from(item.id).toString('base64')},filename ${Buffer.from('big.bin').toString('base64')}`,
      },
    });
    if (created.status !== 201)
      throw new Error(`create: ${created.status} ${await created.text()}`);
    const location = created.headers.get('location') ?? '';

    global.gc?.();
    const before = process.memoryUsage().rss;
    const stop = rssSampler();
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: location,
          method: 'PATCH',
          headers: {
            ...headers,
            'upload-offset': '0',
            'content-type': 'application/offset+octet-stream',
            'content-length': String(megabytes * MB),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      createReadStream(source).pipe(req);
    });
    const seconds = (performance.now() - started) / 1000;
    const peak = stop();
    if (status !== 204) throw new Error(`PATCH answered ${status}`);
    return {
      name: `upload ${driver} ${megabytes} MB`,
      megabytes,
      appMBps: megabytes / seconds,
      copyMBps: megabytes / copySeconds,
      rssGrowthMB: (peak - before) / MB,
    };
  } finally {
    await t.close();
    await s3?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export function printUploads(results: readonly UploadResult[]) {
  if (results.length === 0) return;
  console.log('\nuploads through tus vs a plain copy of the same bytes on the same disk\n');
  console.log('entry                    | app MB/s | copy MB/s | ratio | peak RSS growth');
  console.log('-------------------------|----------|-----------|-------|----------------');
  for (const r of results) {
    console.log(
      `${r.name.padEnd(25)}|${r.appMBps.toFixed(1).padStart(9)} |${r.copyMBps.toFixed(1).padStart(10)} |${(r.appMBps / r.copyMBps).toFixed(2).padStart(6)} |${`${r.rssGrowthMB.toFixed(0)} MB`.padStart(15)}`,
    );
  }
}
