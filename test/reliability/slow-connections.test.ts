// Fault injection on the wire: the app reaches PostgreSQL and the object store (s3rver) only
// through TCP proxies this test starts (tcp-proxy.ts), which add latency and reset
// connections. (a) 50–200 ms per chunk on both: pages still answer correctly, only slower.
// (b) every database connection reset, repeatedly, mid-traffic: the pool replaces them, what
// failed failed as the app's 503 without internals, and later requests succeed. (c) storage
// connections reset during downloads and an upload: a clear 503 or success, and an upload
// either completes or leaves nothing behind.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { signUp } from '../helpers/factories.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { newJar, send } from '../helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
} from '../../src/modules/catalog/catalog.test-helpers.js';
import { until } from '../../src/modules/payments/payments.test-helpers.js';
import { tempObjectsStep } from '../../src/platform/maintenance/cleanup.jobs.js';
import { S3ObjectStore } from '../../src/platform/storage/index.js';
import {
  S3_BUCKET,
  S3_CREDENTIALS,
  startS3rver,
} from '../../src/platform/storage/testing/harnesses.js';
import { assertNoInternals, observer, percentile, timed } from './observe.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { generate, sine } from '../../src/modules/media/media.test-helpers.js';

const observe = observer('slow-connections');

let dir: string;
let database: TestDatabase;
let s3: { port: number; stop(): Promise<void> };
let dbProxy: TcpProxy;
let s3Proxy: TcpProxy;
let t: TestApp;
let creator: Creator;
let itemPath: string;
let audioItem: string;
let audioFile: string;
const word = `marram${randomBytes(3).toString('hex')}`;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'makenot-slow-connections-'));
  database = await createTestDatabase();
  s3 = await startS3rver(path.join(dir, 's3'));
  const direct = new URL(database.url);
  dbProxy = await startTcpProxy({ targetHost: direct.hostname, targetPort: Number(direct.port) });
  s3Proxy = await startTcpProxy({ targetPort: s3.port });
  const proxied = new URL(database.url);
  proxied.port = String(dbProxy.port);
  t = await createTestApp({
    runJobs: true,
    env: {
      DATABASE_URL: proxied.href,
      S3_ENDPOINT: `http://127.0.0.1:${s3Proxy.port}`,
      S3_BUCKET,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    },
  });

  // A creator with a published text item and a published audio item whose file is ready.
  creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator, { title: 'Wire Faults' });
  const text = await makeItem(t.app, creator, project.id, {
    title: `Notes on ${word}`,
    body: 'Plain words.',
    ai_disclosure: { tier: 'handmade' },
  });
  assert.equal((await call(t.app, creator, 'POST', `/items/${text.id}/publish`)).statusCode, 200);
  itemPath = new URL(text.url).pathname;
  const wavPath = await generate(dir, 'tone.wav', sine(1));
  const audio = await makeItem(t.app, creator, project.id, {
    type: 'audio',
    title: 'Short tone',
    ai_disclosure: { tier: 'handmade' },
  });
  audioItem = audio.id;
  const uploaded = await upload(audio.id, await readFile(wavPath), 'tone.wav');
  assert.equal(uploaded.statusCode, 202, uploaded.body);
  audioFile = uploaded.json<{ file: { id: string } }>().file.id;
  await until(async () => {
    const row = await t.runtime.db
      .selectFrom('files')
      .select('status')
      .where('id', '=', audioFile)
      .executeTakeFirst();
    return row?.status === 'ready' ? true : undefined;
  }, 'the audio file to be processed');
  const published = await call(t.app, creator, 'POST', `/items/${audio.id}/publish`);
  assert.equal(published.statusCode, 200, published.body);
});

after(async () => {
  await t.close();
  await dbProxy.close();
  await s3Proxy.close();
  await s3.stop();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

function upload(itemId: string, body: Buffer, filename: string) {
  return send(t.app, creator.jar, {
    url: `/api/v1/items/${itemId}/files`,
    headers: { 'x-csrf-token': creator.csrf },
    multipart: { file: { field: 'file', filename, contentType: 'audio/wav', body } },
  });
}

/** The pages a visitor and a creator use, each checked for its right answer. */
const surfaces: {
  name: string;
  request: () => Promise<LightMyRequestResponse>;
  check: (res: LightMyRequestResponse) => void;
}[] = [
  {
    name: 'item page',
    request: () => send(t.app, newJar(), { url: itemPath }),
    check: (res) => {
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`Notes on ${word}`));
    },
  },
  {
    name: 'home page',
    request: () => send(t.app, newJar(), { url: '/' }),
    check: (res) => assert.equal(res.statusCode, 200),
  },
  {
    name: 'search API',
    request: () => send(t.app, newJar(), { url: `/api/v1/search?q=${word}` }),
    check: (res) => {
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, new RegExp(`Notes on ${word}`));
    },
  },
  {
    name: 'create a project',
    request: () => call(t.app, creator, 'POST', '/projects', { title: `Slow ${Math.random()}` }),
    check: (res) => assert.equal(res.statusCode, 201, res.body),
  },
  {
    name: 'download',
    request: () => send(t.app, newJar(), { url: `/download/${audioFile}` }),
    check: (res) => {
      assert.equal(res.statusCode, 302, res.body);
      assert.match(String(res.headers.location), new RegExp(`:${s3Proxy.port}/`));
    },
  },
];

/** An answer under a fault: a success, or the app's own 503 (JSON or page) and no internals. */
function assertSuccessOr503(res: LightMyRequestResponse, where: string) {
  if (res.statusCode < 400) return;
  assert.equal(res.statusCode, 503, `${where}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  assert.ok(Number(res.headers['retry-after']) > 0, `${where}: Retry-After`);
  assertNoInternals(res.body, where);
}

describe('latency and resets on the database and storage connections', () => {
  test('(a) 50–200 ms on every chunk: pages answer correctly, only slower', async () => {
    const baseline: Record<string, number> = {};
    for (const surface of surfaces) {
      const { value, ms } = await timed(surface.request);
      surface.check(value);
      baseline[surface.name] = ms;
    }
    dbProxy.setLatency({ minMs: 50, maxMs: 200 });
    s3Proxy.setLatency({ minMs: 50, maxMs: 200 });
    observe('injected: 50–200 ms latency per chunk on the database and storage connections');
    // Nothing here should fail; if something does, the app's own error line says why.
    const level = t.runtime.log.level;
    t.runtime.log.level = 'error';
    try {
      for (const surface of surfaces) {
        const { value, ms } = await timed(surface.request);
        surface.check(value);
        observe(`with latency: ${surface.name}`, {
          status: value.statusCode,
          ms,
          withoutLatencyMs: baseline[surface.name],
        });
      }
      // the signed URL works through the slow path too, bytes intact
      const target = await send(t.app, newJar(), { url: `/play/${audioItem}` });
      assert.equal(target.statusCode, 302);
      const media = await fetch(String(target.headers.location));
      assert.equal(media.status, 200);
      assert.ok((await media.arrayBuffer()).byteLength > 0);
    } finally {
      t.runtime.log.level = level;
      await dbProxy.resume();
      await s3Proxy.resume();
    }
  });

  test('(b) every database connection reset mid-traffic: 503s only, then the pool recovers', async () => {
    const outcomes: { name: string; status: number; ms: number }[] = [];
    let running = true;
    const traffic = async (client: number) => {
      for (let i = client; running; i++) {
        const surface = surfaces[i % surfaces.length];
        assert.ok(surface);
        const { value, ms } = await timed(surface.request);
        assertSuccessOr503(value, surface.name);
        if (value.statusCode < 400) surface.check(value);
        outcomes.push({ name: surface.name, status: value.statusCode, ms });
      }
    };
    const load = Promise.all([0, 1, 2, 3].map(traffic));
    const resets: number[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        const seen = outcomes.length;
        await until(async () => (outcomes.length >= seen + 15 ? true : undefined), 'traffic');
        resets.push(dbProxy.resetAll());
      }
      observe('injected: all database connections reset (RST), three times mid-traffic', {
        connectionsResetEachTime: resets,
      });
      const afterResets = outcomes.length;
      await until(async () => (outcomes.length >= afterResets + 30 ? true : undefined), 'more');
    } finally {
      running = false;
      await load;
    }
    const failed = outcomes.filter((o) => o.status >= 400);
    observe('observed', {
      requests: outcomes.length,
      answered503: failed.length,
      failedSurfaces: [...new Set(failed.map((f) => f.name))],
      p99Ms: percentile(
        outcomes.map((o) => o.ms),
        99,
      ),
    });
    assert.ok(
      resets.every((n) => n > 0),
      'each reset hit open connections',
    );
    // The pool has replaced its connections: a run of requests now all succeed.
    for (const surface of surfaces) {
      const res = await surface.request();
      surface.check(res);
    }
    const ready = await send(t.app, newJar(), { url: '/readyz' });
    assert.equal(ready.json<{ checks: { database: string } }>().checks.database, 'ok');
    observe('after the resets: every surface answers correctly again');
    // The job worker lost its connections too: a job queued now must still run.
    const fresh = await signUp(t.app);
    const mail = await until(async () => {
      const row = await t.runtime.db
        .selectFrom('mail_messages')
        .select('status')
        .where('to_address', '=', fresh.email)
        .executeTakeFirst();
      return row?.status === 'sent' ? row : undefined;
    }, 'the sign-up mail to be delivered by the worker after the resets');
    observe('after the resets: the job worker still runs jobs', { mail: mail.status });
  });

  test('(d) the database unreachable while a job runs: its end is recorded once it is back, and it completes', async () => {
    const jobs = t.runtime.jobs;
    assert.ok(jobs, 'the worker runs in this app');
    const wavPath = path.join(dir, 'tone.wav');
    const item = await makeItem(t.app, creator, (await makeProject(t.app, creator)).id, {
      type: 'audio',
      title: 'Interrupted',
    });
    const uploaded = await upload(item.id, await readFile(wavPath), 'tone.wav');
    assert.equal(uploaded.statusCode, 202, uploaded.body);
    const fileId = uploaded.json<{ file: { id: string } }>().file.id;
    const status = async () =>
      (
        await t.runtime.db
          .selectFrom('files')
          .select('status')
          .where('id', '=', fileId)
          .executeTakeFirst()
      )?.status;
    const jobEnded = new Promise<unknown>((resolve) => {
      const ended = ({ job, error }: { job: { key: string | null }; error: unknown }) => {
        if (job.key !== `file:${fileId}`) return;
        jobs.events.off('job:complete', ended);
        resolve(error);
      };
      jobs.events.on('job:complete', ended);
    });
    await until(async () => ((await status()) === 'processing' ? true : undefined), 'processing');
    await dbProxy.refuse('stop-listening');
    const reset = dbProxy.resetAll();
    observe(
      'injected: database refuses connections (and open ones reset) while a file is processed',
      {
        connectionsReset: reset,
      },
    );
    const error = await jobEnded;
    observe('the job ended while the database was unreachable', {
      error: error instanceof Error ? error.message : String(error),
    });
    await dbProxy.resume();
    const resumedAt = Date.now();
    // The queue recorded the failed attempt once it could, and ran the job again.
    await until(
      async () => ((await status()) === 'ready' ? true : undefined),
      'the file to be processed after the database came back',
      60_000,
    );
    observe('after the database came back: the file was processed', {
      msAfterResume: Date.now() - resumedAt,
    });
  });

  test('(c) storage connections reset during downloads and an upload: 503 or success, nothing half-written', async () => {
    // Downloads while the store resets every connection it is offered (one request: the
    // circuit breaker stays closed, so the next one is tried for real).
    await s3Proxy.refuse('accept-and-reset');
    const kept = s3Proxy.resetAll(); // the store client's kept-alive connections too
    observe('injected: storage connections reset, new ones accepted and reset at once', {
      openConnectionsReset: kept,
    });
    const refused = await timed(() => send(t.app, newJar(), { url: `/download/${audioFile}` }));
    observe('download while storage resets', { status: refused.value.statusCode, ms: refused.ms });
    assertSuccessOr503(refused.value, 'download');
    assert.equal(refused.value.statusCode, 503);
    await s3Proxy.resume();
    const again = await send(t.app, newJar(), { url: `/download/${audioFile}` });
    assert.equal(again.statusCode, 302, 'the next download works');
    const original = await fetch(String(again.headers.location));
    assert.equal(original.status, 200);
    observe('download after resume', { status: again.statusCode });

    // An upload whose storage connection is reset while its bytes are on the wire.
    const item = await makeItem(t.app, creator, (await makeProject(t.app, creator)).id, {
      type: 'audio',
      title: 'Cut short',
    });
    const body = randomBytes(4 * 1024 * 1024);
    s3Proxy.setLatency({ minMs: 50, maxMs: 200 }); // holds the bytes in the proxy a moment
    const startBytes = s3Proxy.stats.bytesReceived;
    const uploading = upload(item.id, body, 'big.wav');
    await until(
      async () => (s3Proxy.stats.bytesReceived - startBytes > 1024 * 1024 ? true : undefined),
      'the upload to be on the wire',
    );
    const reset = s3Proxy.resetAll();
    observe('injected: storage connections reset mid-upload', {
      connections: reset,
      bytesOnWire: s3Proxy.stats.bytesReceived - startBytes,
    });
    const res = await uploading;
    await s3Proxy.resume();
    observe('upload answered', { status: res.statusCode });
    assertSuccessOr503(res, 'upload');
    const rows = await t.runtime.db
      .selectFrom('files')
      .select(['id', 'upload_key'])
      .where('item_id', '=', item.id)
      .execute();
    const bucket = new S3ObjectStore({
      config: { ...s3Config(), endpoint: `http://127.0.0.1:${s3.port}` },
    });
    try {
      const stored: { key: string; size: number }[] = [];
      for await (const object of bucket.list('tmp/uploads/')) stored.push(object);
      if (res.statusCode === 503) {
        assert.deepEqual(rows, [], 'a failed upload leaves no file row');
        // The app deletes the temporary key when the put fails. s3rver may still finish
        // writing the truncated body after that delete (real S3 refuses a short body), so
        // what is left is temporary by its key: the hourly cleanup removes it.
        let swept = 0;
        await until(async () => {
          swept += await tempObjectsStep(bucket).run(new Date(Date.now() + 1000), new Date());
          const left: string[] = [];
          for await (const object of bucket.list('tmp/uploads/')) left.push(object.key);
          return left.length === 0 ? true : undefined;
        }, 'the cleanup to leave no partial object');
        observe('the failed upload left', { tmpObjects: stored.length, sweptByCleanup: swept });
      } else {
        assert.equal(rows.length, 1, 'a completed upload is one file');
        // its bytes are whole (unless the worker already took and removed them)
        const info = await bucket.head(rows[0]?.upload_key ?? '');
        if (info) assert.equal(info.size, body.length);
      }
      observe('after the upload', { fileRows: rows.length, tmpObjects: stored.length });
    } finally {
      bucket.destroy();
    }
  });
});

function s3Config() {
  const config = t.runtime.config.s3;
  assert.ok(config, 'the app runs on the S3 driver');
  return config;
}
