// What tus answers over real HTTP: every refusal, tus's own and ours, in API.md's JSON error
// envelope with a stable code and the Tus-Resumable header tus clients need; no CORS header on
// any answer (none is configured); text metadata with a NUL byte refused before the database.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
} from '../catalog/catalog.test-helpers.js';

let t: TestApp;
let base: string;
let creator: Creator;
let itemId: string;

before(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator);
  itemId = (await makeItem(t.app, creator, project.id, { type: 'audio', title: 'Tide' })).id;
});
after(() => t.close());

const b64 = (text: string) => Buffer.from(text).toString('base64');
const metadata = (filename: string, id = itemId) =>
  `item_id ${b64(id)},filename ${b64(filename)},filetype ${b64('audio/wav')}`;

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'tus-resumable': '1.0.0',
    'x-csrf-token': creator.csrf,
    cookie: [...creator.jar.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    // a browser on our own origin: tus would answer it with CORS headers
    origin: 'http://localhost:3000',
    ...extra,
  };
}

async function tus(
  method: string,
  path: string,
  extra: Record<string, string> = {},
  body?: Buffer,
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: headers(extra),
    ...(body && { body }),
  });
  return { res, text: await res.text() };
}

async function create(size: number, filename = 'tide.wav') {
  return tus('POST', '/api/v1/uploads', {
    'upload-length': String(size),
    'upload-metadata': metadata(filename),
  });
}

function assertTusHeaders(res: Response, what: string) {
  assert.equal(res.headers.get('tus-resumable'), '1.0.0', `${what}: Tus-Resumable`);
  const cors = [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));
  assert.deepEqual(cors, [], `${what}: no CORS headers`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what}: security headers`);
}

function assertRefusal(answer: { res: Response; text: string }, status: number, code: string) {
  const what = `${status} ${code}`;
  assert.equal(answer.res.status, status, `${what}: ${answer.text}`);
  assert.match(answer.res.headers.get('content-type') ?? '', /^application\/json/, what);
  const body = JSON.parse(answer.text) as { error: { code: string; message: string } };
  assert.equal(body.error.code, code, what);
  assert.ok(body.error.message.length > 0, what);
  assertTusHeaders(answer.res, what);
}

describe('tus answers', () => {
  test('successes carry Tus-Resumable and no CORS header', async () => {
    const created = await create(10);
    assert.equal(created.res.status, 201, created.text);
    assertTusHeaders(created.res, 'creation');
    const location = created.res.headers.get('location') ?? '';
    assert.match(location, /^\/api\/v1\/uploads\/[0-9a-f]{32}$/);
    const head = await tus('HEAD', location);
    assert.equal(head.res.status, 200);
    assert.equal(head.res.headers.get('upload-offset'), '0');
    assertTusHeaders(head.res, 'HEAD');
    const patch = await tus(
      'PATCH',
      location,
      { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      Buffer.alloc(10, 1),
    );
    assert.equal(patch.res.status, 204, patch.text);
    assert.equal(patch.res.headers.get('upload-offset'), '10');
    assert.match(patch.res.headers.get('upload-file-id') ?? '', /^[0-9a-f-]{36}$/);
    assertTusHeaders(patch.res, 'PATCH');
    // a finished upload cannot be terminated
    assertRefusal(await tus('DELETE', location), 400, 'UPLOAD_FINISHED');
  });

  test("tus's own refusals are JSON errors with stable codes", async () => {
    assertRefusal(
      await tus('POST', '/api/v1/uploads', {
        'tus-resumable': '',
        'upload-length': '10',
        'upload-metadata': metadata('a.wav'),
      }),
      412,
      'TUS_RESUMABLE_REQUIRED',
    );
    assertRefusal(
      await tus('POST', '/api/v1/uploads', {
        'upload-length': 'ten',
        'upload-metadata': metadata('a.wav'),
      }),
      400,
      'INVALID_TUS_HEADER',
    );
    assertRefusal(
      await tus('POST', '/api/v1/uploads', { 'upload-metadata': metadata('a.wav') }),
      400,
      'LENGTH_REQUIRED',
    );
    assertRefusal(await create(30 * 1024 ** 3), 413, 'FILE_TOO_LARGE');
    const created = await create(20);
    const location = created.res.headers.get('location') ?? '';
    const octets = { 'content-type': 'application/offset+octet-stream' };
    assertRefusal(
      await tus('PATCH', location, { ...octets, 'upload-offset': '5' }, Buffer.alloc(5)),
      409,
      'UPLOAD_OFFSET_CONFLICT',
    );
    assertRefusal(
      await tus('PATCH', location, { ...octets }, Buffer.alloc(5)),
      400,
      'UPLOAD_OFFSET_REQUIRED',
    );
    assertRefusal(
      await tus('PATCH', location, { 'upload-offset': '0', 'content-type': 'text/plain' }, Buffer.from('hello')), // prettier-ignore
      400,
      'INVALID_TUS_HEADER',
    );
    assertRefusal(
      await tus('PATCH', location, { 'upload-offset': '0' }, Buffer.from('hello')),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    assertRefusal(
      await tus('PATCH', '/api/v1/uploads/0123456789abcdef0123456789abcdef', { ...octets, 'upload-offset': '0' }, Buffer.alloc(5)), // prettier-ignore
      404,
      'NOT_FOUND',
    );
  });

  test('our own refusals too, Fastify-level ones included', async () => {
    assertRefusal(await create(10, ' '), 422, 'VALIDATION_FAILED');
    const anonymous = await fetch(`${base}/api/v1/uploads`, {
      method: 'POST',
      headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' },
    });
    assertRefusal({ res: anonymous, text: await anonymous.text() }, 401, 'NOT_SIGNED_IN');
    const foreign = await tus('POST', '/api/v1/uploads', {
      'upload-length': '10',
      'upload-metadata': metadata('a.wav', '00000000-0000-4000-8000-000000000000'),
    });
    assertRefusal(foreign, 404, 'NOT_FOUND');
  });

  test('a NUL byte in any metadata value is 400 INVALID_TEXT, and nothing is stored', async () => {
    const before = await t.runtime.db.selectFrom('uploads').select('id').execute();
    for (const upload of [
      metadata('tide\u0000.wav'),
      `item_id ${b64(itemId)},filename ${b64('tide.wav')},filetype ${b64('audio/\u0000wav')}`,
      `item_id ${b64(`${itemId}\u0000`)},filename ${b64('tide.wav')}`,
    ]) {
      const answer = await tus('POST', '/api/v1/uploads', {
        'upload-length': '10',
        'upload-metadata': upload,
      });
      assertRefusal(answer, 400, 'INVALID_TEXT');
      assert.doesNotMatch(answer.text, /0x00|UTF8|byte sequence/i, "no PostgreSQL's words");
    }
    const afterwards = await t.runtime.db.selectFrom('uploads').select('id').execute();
    assert.equal(afterwards.length, before.length);
  });
});
