// tus uploads over real HTTP: chunked, resumed after a dropped connection, spread over two app
// instances, refused over the tier limit before a byte is stored, and private to their creator.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { createLogger } from '../../platform/log.js';
import { createMetrics } from '../../platform/metrics.js';
import { startRuntime, type Runtime } from '../../platform/runtime.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
} from '../catalog/catalog.test-helpers.js';
import { openUploadStream, PART_SIZE } from './upload-parts.js';
import { uploadsCleanupStep } from './uploads.cleanup.js';

let t: TestApp;
let second: { runtime: Runtime; app: FastifyInstance };
let urls: [string, string];

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

before(async () => {
  t = await createTestApp();
  // A second instance: its own pool, listener and HTTP server on the same database and store.
  const runtime = await startRuntime(t.runtime.config, createLogger(t.runtime.config, 'test'), {
    migrate: false,
    runJobs: false,
    metrics: createMetrics({ defaultMetrics: false }),
    poolSize: 3,
  });
  second = { runtime, app: await buildApp(runtime) };
  urls = [await listen(t.app), await listen(second.app)];
});
after(async () => {
  await second.app.close();
  await second.runtime.close();
  await t.close();
});

const b64 = (text: string) => Buffer.from(text).toString('base64');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function headersFor(user: Creator, extra: Record<string, string> = {}) {
  return {
    'tus-resumable': '1.0.0',
    'x-csrf-token': user.csrf,
    cookie: [...user.jar.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    ...extra,
  };
}

async function create(
  user: Creator,
  itemId: string,
  size: number,
  base = urls[0],
): Promise<{ status: number; location: string; body: string }> {
  const res = await fetch(`${base}/api/v1/uploads`, {
    method: 'POST',
    headers: headersFor(user, {
      'upload-length': String(size),
      'upload-metadata': `item_id ${b64(itemId)},filename ${b64('field recording.wav')},filetype ${b64('audio/wav')}`,
    }),
  });
  return {
    status: res.status,
    location: res.headers.get('location') ?? '',
    body: await res.text(),
  };
}

async function patch(user: Creator, base: string, location: string, offset: number, body: Buffer) {
  const res = await fetch(`${base}${location}`, {
    method: 'PATCH',
    headers: headersFor(user, {
      'upload-offset': String(offset),
      'content-type': 'application/offset+octet-stream',
    }),
    body,
  });
  await res.arrayBuffer();
  return res;
}

async function head(user: Creator, base: string, location: string) {
  const res = await fetch(`${base}${location}`, { method: 'HEAD', headers: headersFor(user) });
  return { status: res.status, offset: Number(res.headers.get('upload-offset')) };
}

async function setup() {
  const creator = await signUpCreator(t.app);
  // a tier with room for the test files
  await t.runtime.db
    .updateTable('users')
    .set({ creator_tier: 'big_files' })
    .where('id', '=', creator.id)
    .execute();
  const project = await makeProject(t.app, creator);
  const item = await makeItem(t.app, creator, project.id, { type: 'audio', title: 'River' });
  return { creator, itemId: item.id };
}

const idOf = (location: string) => location.split('/').pop() ?? '';

async function storedBytes(uploadId: string): Promise<Buffer> {
  const row = await t.runtime.db
    .selectFrom('uploads')
    .selectAll()
    .where('id', '=', uploadId)
    .executeTakeFirstOrThrow();
  const chunks: Buffer[] = [];
  for await (const chunk of openUploadStream(t.runtime.storage, uploadId, row.part_count)) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

describe('tus uploads', () => {
  test('chunks alternating between two instances make one file, queued for processing', async () => {
    const { creator, itemId } = await setup();
    const bytes = randomBytes(2 * PART_SIZE + 12_345);
    const created = await create(creator, itemId, bytes.length);
    assert.equal(created.status, 201, created.body);
    assert.match(created.location, /^\/api\/v1\/uploads\/[0-9a-f]{32}$/);

    // uneven chunks, each to the other instance
    const cuts = [0, 3_000_000, 9_000_000, PART_SIZE * 2 + 1, bytes.length];
    let last: Response | undefined;
    for (let i = 0; i + 1 < cuts.length; i++) {
      const base = urls[i % 2] ?? '';
      const offset = cuts[i] ?? 0;
      assert.equal((await head(creator, base, created.location)).offset, offset);
      last = await patch(
        creator,
        base,
        created.location,
        offset,
        bytes.subarray(offset, cuts[i + 1]),
      );
      assert.equal(last.status, 204);
      assert.equal(Number(last.headers.get('upload-offset')), cuts[i + 1]);
    }
    const fileId = last?.headers.get('upload-file-id') ?? '';
    assert.match(fileId, /^[0-9a-f-]{36}$/);
    const file = await t.runtime.db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', fileId)
      .executeTakeFirstOrThrow();
    assert.equal(file.item_id, itemId);
    assert.equal(file.status, 'pending');
    assert.equal(file.original_name, 'field recording.wav');
    assert.equal(sha(await storedBytes(idOf(created.location))), sha(bytes));
  });

  test('a dropped connection keeps what arrived; the client resumes from HEAD', async () => {
    const { creator, itemId } = await setup();
    const bytes = randomBytes(PART_SIZE + 3_000_000);
    const created = await create(creator, itemId, bytes.length);
    const uploadId = idOf(created.location);
    const released = new Promise<void>((resolve) => {
      void t.runtime.notifications.subscribe('upload_lock_released', (id) => {
        if (id === uploadId) resolve();
      });
    });
    // send 5 MB of a PATCH announced as the whole rest, then cut the connection
    const sent = 5_000_000;
    await new Promise<void>((resolve) => {
      const request = http.request(`${urls[0]}${created.location}`, {
        method: 'PATCH',
        headers: headersFor(creator, {
          'upload-offset': '0',
          'content-type': 'application/offset+octet-stream',
          'content-length': String(bytes.length),
        }),
      });
      request.on('error', () => resolve());
      request.write(bytes.subarray(0, sent), () => {
        // the bytes are on the wire; give up on the rest
        request.destroy();
      });
    });
    await released;
    const { offset } = await head(creator, urls[1], created.location);
    assert.ok(offset > 0 && offset <= sent, `kept ${offset} of ${sent} bytes`);
    const rest = await patch(creator, urls[1], created.location, offset, bytes.subarray(offset));
    assert.equal(rest.status, 204);
    assert.equal(sha(await storedBytes(uploadId)), sha(bytes));
  });

  test('a new request for a busy upload makes the old one stop and keep its bytes', async () => {
    const { creator, itemId } = await setup();
    const bytes = randomBytes(3_000_000);
    const created = await create(creator, itemId, bytes.length);
    // a slow PATCH on instance 1: 1 MB, then it waits
    const slow = http.request(`${urls[0]}${created.location}`, {
      method: 'PATCH',
      headers: headersFor(creator, {
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        'content-length': String(bytes.length),
      }),
    });
    const slowAnswer = new Promise<http.IncomingMessage>((resolve) => slow.on('response', resolve));
    slow.on('error', () => undefined);
    await new Promise<void>((resolve) => slow.write(bytes.subarray(0, 1_000_000), () => resolve()));
    // wait until instance 1 holds the lock
    for (;;) {
      const lock = await t.runtime.db
        .selectFrom('upload_locks')
        .select('holder')
        .where('upload_id', '=', idOf(created.location))
        .executeTakeFirst();
      if (lock) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // the resuming client on instance 2 asks; instance 1 lets go with what it stored
    const resumed = await patch(creator, urls[1], created.location, 0, bytes);
    const answer = await slowAnswer;
    slow.destroy();
    assert.equal(answer.statusCode, 204);
    const kept = Number(answer.headers['upload-offset']);
    assert.ok(kept > 0, 'the old request stored what it had');
    assert.equal(resumed.status, 409, 'offset 0 is stale now');
    const { offset } = await head(creator, urls[1], created.location);
    assert.equal(offset, kept);
    const rest = await patch(creator, urls[1], created.location, offset, bytes.subarray(offset));
    assert.equal(rest.status, 204);
    assert.equal(sha(await storedBytes(idOf(created.location))), sha(bytes));
  });

  test('over the tier limit: 413 with a reason, before any byte or row is stored', async () => {
    const { creator, itemId } = await setup();
    await t.runtime.db
      .updateTable('users')
      .set({ creator_tier: 'basic' })
      .where('id', '=', creator.id)
      .execute();
    const tooBig = await create(creator, itemId, 11 * 1024 * 1024);
    assert.equal(tooBig.status, 413);
    assert.match(tooBig.body, /FILE_TOO_LARGE/);
    assert.match(tooBig.body, /This file is 11 MB; files on your plan can be up to 10 MB\./);
    assert.doesNotMatch(
      tooBig.body,
      /settings|larger tier/,
      'no pointer to a page that is not there',
    );
    const rows = await t.runtime.db
      .selectFrom('uploads')
      .select('id')
      .where('creator_id', '=', creator.id)
      .execute();
    assert.equal(rows.length, 0);
  });

  test("nobody uploads to another creator's item or touches another's upload", async () => {
    const { creator, itemId } = await setup();
    const { creator: other } = await setup();
    const foreign = await create(other, itemId, 10);
    assert.equal(foreign.status, 404);
    const mine = await create(creator, itemId, 10);
    assert.equal((await head(other, urls[0], mine.location)).status, 404);
    const res = await patch(other, urls[0], mine.location, 0, Buffer.alloc(10));
    assert.equal(res.status, 404);
    const del = await fetch(`${urls[0]}${mine.location}`, {
      method: 'DELETE',
      headers: headersFor(other),
    });
    assert.equal(del.status, 404);
    assert.equal((await head(creator, urls[0], mine.location)).offset, 0);
    const anonymous = await fetch(`${urls[0]}${mine.location}`, {
      method: 'HEAD',
      headers: { 'tus-resumable': '1.0.0' },
    });
    assert.equal(anonymous.status, 401);
  });

  test('termination removes the upload and its bytes', async () => {
    const { creator, itemId } = await setup();
    const created = await create(creator, itemId, 100);
    await patch(creator, urls[0], created.location, 0, Buffer.alloc(40, 7));
    const del = await fetch(`${urls[0]}${created.location}`, {
      method: 'DELETE',
      headers: headersFor(creator),
    });
    assert.equal(del.status, 204);
    assert.equal((await head(creator, urls[0], created.location)).status, 404);
    const left: string[] = [];
    for await (const object of t.runtime.storage.list(`uploads/${idOf(created.location)}/`)) {
      left.push(object.key);
    }
    assert.deepEqual(left, []);
  });
});

test('abandoned uploads expire: the hourly cleanup removes their bytes and rows', async () => {
  const { creator, itemId } = await setup();
  const created = await create(creator, itemId, PART_SIZE + 10);
  await patch(creator, urls[0], created.location, 0, randomBytes(PART_SIZE + 5));
  const uploadId = idOf(created.location);
  const keys = async () => {
    const found: string[] = [];
    for await (const object of t.runtime.storage.list(`uploads/${uploadId}/`)) {
      found.push(object.key);
    }
    return found.sort();
  };
  assert.deepEqual(await keys(), [`uploads/${uploadId}/part-000000`, `uploads/${uploadId}/tail`]);
  const step = uploadsCleanupStep(t.runtime.db, t.runtime.storage);
  assert.equal(await step.run(new Date(), new Date()), 0, 'nothing has expired yet');
  await t.runtime.db
    .updateTable('uploads')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('id', '=', uploadId)
    .execute();
  assert.equal(await step.run(new Date(), new Date()), 1);
  assert.deepEqual(await keys(), []);
  assert.equal((await head(creator, urls[0], created.location)).status, 404);
});
