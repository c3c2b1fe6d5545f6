// Fault injection: object storage (s3rver behind the S3 driver) stopped, end to end across the
// whole site at once. While it is down: the item page, home, search (API and page), sign-in and
// a whole purchase through the local processor keep answering correctly and quickly; playback
// and downloads answer 503 with Retry-After; an upload is refused cleanly (no file row); and a
// file whose processing was queued fails its attempts without giving up, then completes once
// storage is back. (uploads.s3.test.ts covers the breaker's own states and metrics;
// process-file.reliability.test.ts the job's re-queue rule with a faked store.)
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { startJobRunner } from '../../src/platform/jobs/runner.js';
import { appTasks } from '../../src/tasks.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { newJar, send } from '../helpers/http.js';
import { startWorkerProcess, type ServerProcess } from '../helpers/server-process.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
} from '../../src/modules/catalog/catalog.test-helpers.js';
import {
  payOnLocalPage,
  publishedItem,
  settledStatus,
  until,
  type CheckoutBody,
} from '../../src/modules/payments/payments.test-helpers.js';
import { S3ObjectStore } from '../../src/platform/storage/index.js';
import {
  S3_BUCKET,
  S3_CREDENTIALS,
  startS3rver,
} from '../../src/platform/storage/testing/harnesses.js';
import {
  assertNoInternals,
  assertUnavailableAnswer,
  HANG_BOUND_MS,
  observer,
  timed,
} from './observe.js';
import { generate, sine } from '../../src/modules/media/media.test-helpers.js';

const observe = observer('storage-outage');
const APP_SECRET = 'test-secret-that-is-long-enough-for-hmac-keys';

let dir: string;
let s3: { port: number; stop(): Promise<void> };
let t: TestApp;
let worker: ServerProcess | undefined;
let env: Record<string, string>;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'makenot-storage-outage-'));
  s3 = await startS3rver(path.join(dir, 's3'));
  const s3Env = {
    S3_ENDPOINT: `http://127.0.0.1:${s3.port}`,
    S3_BUCKET,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
    S3_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
  };
  // The web side without a worker; the worker is a real process we start and stop.
  t = await createTestApp({ env: s3Env });
  env = {
    ...s3Env,
    DATA_DIR: path.join(dir, 'worker'),
    DATABASE_URL: t.runtime.config.databaseUrl ?? '',
    APP_SECRET, // the local processor signs its events with a key derived from it
    PUBLIC_URL: 'http://localhost:3000',
  };
});

after(async () => {
  await stopWorker();
  await t.close();
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
});

function s3Config() {
  const config = t.runtime.config.s3;
  assert.ok(config, 'the app runs on the S3 driver');
  return config;
}

async function startWorker() {
  worker = startWorkerProcess(env);
  await worker.ready;
}

async function stopWorker() {
  const running = worker;
  worker = undefined;
  if (!running || running.child.exitCode !== null) return;
  running.child.kill('SIGTERM');
  await running.exited;
}

async function uploadFile(creator: Creator, itemId: string, wav: Buffer) {
  return send(t.app, creator.jar, {
    url: `/api/v1/items/${itemId}/files`,
    headers: { 'x-csrf-token': creator.csrf },
    multipart: {
      file: { field: 'file', filename: 'tone.wav', contentType: 'audio/wav', body: wav },
    },
  });
}

async function fileStatus(id: string): Promise<string | undefined> {
  const row = await t.runtime.db
    .selectFrom('files')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.status;
}

async function processingJob(fileId: string) {
  const { rows } = await sql<{ attempts: number; last_error: string | null }>`
    select attempts, last_error from graphile_worker.jobs where key = ${`file:${fileId}`}
  `.execute(t.runtime.db);
  return rows[0];
}

/** One request during the outage: timed, printed, and bounded so a hang fails the test. */
async function measured<T extends { statusCode: number }>(what: string, work: () => Promise<T>) {
  const { value, ms } = await timed(work);
  observe(`during outage: ${what}`, { status: value.statusCode, ms });
  assert.ok(ms < HANG_BOUND_MS, `${what} answered in ${ms} ms: it waited on the dead store`);
  return value;
}

test('object storage stopped: the site keeps working, media answers 503, queued processing completes after', async () => {
  const wav = await readFile(await generate(dir, 'tone.wav', sine(2)));
  const word = `quillwort${randomBytes(3).toString('hex')}`;

  // Before: a published audio item with a processed file, an item for sale, a fan. (The first
  // file is processed by a runner in this process: quicker than starting a worker process.)
  const { pool, db, log, metrics } = t.runtime;
  const runner = await startJobRunner({
    ...{ pool, db, log, metrics },
    tasks: appTasks(t.runtime).tasks,
    crontab: '',
    pollIntervalMs: 100,
  });
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator, { title: 'Outage Recordings' });
  const audio = await makeItem(t.app, creator, project.id, {
    type: 'audio',
    title: `Tone of the ${word}`,
    ai_disclosure: { tier: 'handmade' },
  });
  const uploaded = await uploadFile(creator, audio.id, wav);
  assert.equal(uploaded.statusCode, 202, uploaded.body);
  const audioFile = uploaded.json<{ file: { id: string } }>().file.id;
  await until(
    async () => ((await fileStatus(audioFile)) === 'ready' ? true : undefined),
    'the first file to be processed',
    60_000,
  );
  const published = await call(t.app, creator, 'POST', `/items/${audio.id}/publish`);
  assert.equal(published.statusCode, 200, published.body);
  const forSale = await publishedItem(t.app, creator, { model: 'fixed', amount: 700 });
  const fan = await signUpFan(t.app);

  // A second file is uploaded while no worker runs: its processing waits in the queue.
  await runner.stop();
  const later = await makeItem(t.app, creator, project.id, {
    type: 'audio',
    title: 'Processed later',
    ai_disclosure: { tier: 'handmade' },
  });
  const queued = await uploadFile(creator, later.id, wav);
  assert.equal(queued.statusCode, 202, queued.body);
  const queuedFile = queued.json<{ file: { id: string } }>().file.id;

  await s3.stop();
  observe('injected: object storage stopped (s3rver process exited)', { port: s3.port });

  const itemPage = await measured('item page', () =>
    send(t.app, newJar(), { url: new URL(audio.url).pathname }),
  );
  assert.equal(itemPage.statusCode, 200);
  assert.match(itemPage.body, new RegExp(`Tone of the ${word}`));

  const home = await measured('home page', () => send(t.app, newJar(), { url: '/' }));
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /<main/);

  const apiSearch = await measured('search API', () =>
    send(t.app, newJar(), { url: `/api/v1/search?q=${word}` }),
  );
  assert.equal(apiSearch.statusCode, 200, apiSearch.body);
  assert.match(apiSearch.body, new RegExp(audio.id));

  const pageSearch = await measured('search page', () =>
    send(t.app, newJar(), { url: `/search?q=${word}` }),
  );
  assert.equal(pageSearch.statusCode, 200);
  assert.match(pageSearch.body, new RegExp(`Tone of the ${word}`));

  const signIn = await measured('sign-in', () =>
    send(t.app, newJar(), {
      url: '/api/v1/auth/login',
      json: { email: fan.email, password: fan.password },
    }),
  );
  assert.equal(signIn.statusCode, 200, signIn.body);

  const checkout = await measured('checkout', () =>
    call(t.app, fan, 'POST', '/checkout', { item_id: forSale.id }),
  );
  assert.equal(checkout.statusCode, 201, checkout.body);
  const { order, checkout_url } = checkout.json<CheckoutBody>();
  assert.ok(checkout_url);
  const paid = await measured('paying on the local checkout page', () =>
    payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', fan.csrf),
  );
  assert.equal(paid.statusCode, 303);

  const play = await measured('play', () => send(t.app, newJar(), { url: `/play/${audio.id}` }));
  assertUnavailableAnswer(
    { status: play.statusCode, headers: play.headers, body: play.body },
    'play',
  );
  const download = await measured('download API', () =>
    send(t.app, newJar(), { url: `/api/v1/files/${audioFile}/download` }),
  );
  assertUnavailableAnswer(
    { status: download.statusCode, headers: download.headers, body: download.body },
    'download API',
  );
  assert.equal(download.json<{ error: { code: string } }>().error.code, 'STORAGE_UNAVAILABLE');
  const downloadPage = await measured('download page', () =>
    send(t.app, newJar(), { url: `/download/${audioFile}` }),
  );
  assertUnavailableAnswer(
    { status: downloadPage.statusCode, headers: downloadPage.headers, body: downloadPage.body },
    'download page',
  );

  // An upload now is refused at once, and leaves no file behind.
  const filesBefore = await t.runtime.db
    .selectFrom('files')
    .select('id')
    .where('item_id', '=', later.id)
    .execute();
  const refusedUpload = await measured('upload', () => uploadFile(creator, later.id, wav));
  assertUnavailableAnswer(
    { status: refusedUpload.statusCode, headers: refusedUpload.headers, body: refusedUpload.body },
    'upload',
  );
  const filesAfter = await t.runtime.db
    .selectFrom('files')
    .select('id')
    .where('item_id', '=', later.id)
    .execute();
  assert.deepEqual(filesAfter, filesBefore, 'a refused upload leaves no file row');

  // The worker comes up during the outage: the purchase completes, the queued file fails its
  // attempt and waits (not given up).
  await startWorker();
  observe('worker started while storage is down');
  assert.equal(await settledStatus(t.runtime.db, order.id), 'paid');
  observe('during outage: the purchase settled', { order: order.id, status: 'paid' });
  const failedAttempt = await until(async () => {
    const job = await processingJob(queuedFile);
    return job && job.attempts >= 1 && job.last_error !== null ? job : undefined;
  }, 'the queued processing to meet the outage');
  observe('during outage: queued processing attempt failed and will be retried', {
    attempts: failedAttempt.attempts,
    fileStatus: await fileStatus(queuedFile),
  });
  assert.notEqual(await fileStatus(queuedFile), 'failed');
  assertNoInternals(itemPage.body, 'item page');

  const readyz = await send(t.app, newJar(), { url: '/readyz' });
  const readiness = readyz.json<{
    status: string;
    checks: { database: string; storage: string };
  }>();
  observe('during outage: /readyz', { status: readyz.statusCode, ...readiness.checks });
  assert.equal(readyz.statusCode, 200, 'storage alone does not make the app unready');
  assert.equal(readiness.checks.storage, 'down');

  // Storage returns on the same address, with its data.
  const downSince = Date.now();
  s3 = await startS3rver(path.join(dir, 's3'), s3.port);
  observe('storage restored (s3rver on the same port and directory)');
  await until(
    async () => ((await fileStatus(queuedFile)) === 'ready' ? true : undefined),
    'the queued file to be processed once storage is back',
    90_000,
  );
  observe('after outage: queued file processed', {
    status: 'ready',
    msAfterRestore: Date.now() - downSince,
  });
  // the job finishes by removing the upload's parts
  await until(
    async () => ((await processingJob(queuedFile)) === undefined ? true : undefined),
    'the processing job to finish',
  );
  // Straight from the bucket: the web app's breaker may still be waiting out its open time.
  const bucket = new S3ObjectStore({ config: { ...s3Config(), endpoint: env.S3_ENDPOINT } });
  const keys: string[] = [];
  try {
    for await (const object of bucket.list(`files/${queuedFile}/`)) keys.push(object.key);
    for await (const object of bucket.list(`tmp/uploads/${queuedFile}`)) keys.push(object.key);
  } finally {
    bucket.destroy();
  }
  assert.deepEqual(
    keys.sort(),
    ['original', 'preview.m4a', 'stream.m4a', 'waveform.json'].map(
      (n) => `files/${queuedFile}/${n}`,
    ),
  );
});
