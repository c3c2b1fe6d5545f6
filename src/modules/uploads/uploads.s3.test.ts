// The whole media path on the S3 driver (s3rver in a child process): a tus upload in chunks,
// processed by the worker, played through a presigned URL; then the store goes away and play
// answers 503 with Retry-After while the item page keeps answering.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import { CircuitBreakerStore } from '../../platform/storage/index.js';
import {
  S3_BUCKET,
  S3_CREDENTIALS,
  startS3rver,
} from '../../platform/storage/testing/harnesses.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
} from '../catalog/catalog.test-helpers.js';

const run = promisify(execFile);
let t: TestApp;
let s3: { port: number; stop(): Promise<void> };
let dir: string;
let base: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'makenot-uploads-s3-'));
  s3 = await startS3rver(path.join(dir, 's3'));
  t = await createTestApp({
    runJobs: true,
    env: {
      S3_ENDPOINT: `http://127.0.0.1:${s3.port}`,
      S3_BUCKET,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await t.close();
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
});

const cookieOf = (user: Creator) => [...user.jar.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

async function waitForStatus(fileId: string, until: string[]): Promise<string> {
  return new Promise((resolve) => {
    let stop: (() => void) | undefined;
    const check = async () => {
      const row = await t.runtime.db
        .selectFrom('files')
        .select('status')
        .where('id', '=', fileId)
        .executeTakeFirst();
      if (row && until.includes(row.status)) {
        stop?.();
        resolve(row.status);
      }
    };
    void t.runtime.notifications
      .subscribe('file_status', (payload) => {
        if (payload.includes(fileId)) void check();
      })
      .then((unsubscribe) => {
        stop = unsubscribe;
        void check(); // it may have finished before we listened
      });
  });
}

test('tus to S3, processed, played; with S3 gone, play is a quick 503 and pages still work', async () => {
  assert.equal(t.runtime.storage.driver, 's3');
  const wavPath = path.join(dir, 'tone.wav');
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=12', wavPath]);
  const wav = await readFile(wavPath);

  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator);
  const item = await makeItem(t.app, creator, project.id, {
    type: 'audio',
    title: 'Tone',
    ai_disclosure: { tier: 'handmade' },
  });
  const headers = {
    'tus-resumable': '1.0.0',
    'x-csrf-token': creator.csrf,
    cookie: cookieOf(creator),
  };
  const created = await fetch(`${base}/api/v1/uploads`, {
    method: 'POST',
    headers: {
      ...headers,
      'upload-length': String(wav.length),
      'upload-metadata': `item_id ${Buffer.from(item.id).toString('base64')},filename ${Buffer.from('tone.wav').toString('base64')}`,
    },
  });
  assert.equal(created.status, 201, await created.text());
  const location = created.headers.get('location') ?? '';
  const half = Math.floor(wav.length / 2);
  let fileId = '';
  for (const [from, to] of [
    [0, half],
    [half, wav.length],
  ] as const) {
    const res = await fetch(`${base}${location}`, {
      method: 'PATCH',
      headers: {
        ...headers,
        'upload-offset': String(from),
        'content-type': 'application/offset+octet-stream',
      },
      body: wav.subarray(from, to),
    });
    assert.equal(res.status, 204);
    fileId = res.headers.get('upload-file-id') ?? fileId;
  }
  assert.equal(await waitForStatus(fileId, ['ready', 'failed', 'quarantined']), 'ready');
  // the job removes the upload's parts after the file is ready: wait for the job to finish
  await new Promise<void>((resolve) => {
    const jobs = t.runtime.jobs;
    assert.ok(jobs);
    const finished = ({ job }: { job: { key: string | null } }) => {
      if (job.key !== `file:${fileId}`) return;
      jobs.events.off('job:complete', finished);
      resolve();
    };
    jobs.events.on('job:complete', finished);
    void t.runtime.db
      .selectFrom('uploads')
      .select('id')
      .where('file_id', '=', fileId)
      .executeTakeFirst()
      .then((row) => {
        if (!row) {
          jobs.events.off('job:complete', finished);
          resolve(); // already done
        }
      });
  });

  // the parts are gone, the renditions are in the bucket
  const keys: string[] = [];
  for await (const object of t.runtime.storage.list('')) keys.push(object.key);
  assert.deepEqual(
    keys.filter((key) => key.startsWith('uploads/')),
    [],
    'the upload parts were removed after processing',
  );
  assert.deepEqual(
    keys.filter((key) => key.startsWith(`files/${fileId}/`)).sort(),
    ['original', 'preview.m4a', 'stream.m4a', 'waveform.json'].map((n) => `files/${fileId}/${n}`),
  );
  const published = await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
  assert.equal(published.statusCode, 200, published.body);
  const play = await send(t.app, newJar(), { url: `/play/${item.id}` });
  assert.equal(play.statusCode, 302);
  const stream = await fetch(String(play.headers.location), { headers: { range: 'bytes=0-9' } });
  assert.equal(stream.status, 206, 'the presigned URL streams straight from the store');

  // S3 goes away.
  await s3.stop();
  for (let i = 0; i < 3; i++) {
    const down = await send(t.app, newJar(), { url: `/play/${item.id}` });
    assert.equal(down.statusCode, 503);
  }
  // the circuit is open now: the next answer comes without trying the store at all
  const breaker = t.runtime.storage;
  assert.ok(breaker instanceof CircuitBreakerStore);
  assert.equal(breaker.state, 'open');
  const refused = await send(t.app, newJar(), { url: `/play/${item.id}` });
  assert.equal(refused.statusCode, 503);
  assert.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After tells when to come back');
  assert.match(refused.body, /File storage is unavailable right now/);
  const page = await send(t.app, newJar(), { url: new URL(item.url).pathname });
  assert.equal(page.statusCode, 200, 'the item page needs no storage');
  const ready = await send(t.app, newJar(), { url: '/readyz' });
  assert.equal(ready.json<{ checks: { storage: string } }>().checks.storage, 'down');
  const metrics = (await send(t.app, newJar(), { url: '/metrics' })).body;
  assert.match(metrics, /storage_errors_total\{operation="head"\} [1-9]/);
  assert.match(metrics, /storage_circuit_open 1/);
});
