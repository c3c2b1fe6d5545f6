import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, unavailable } from '../errors.js';
import errorHandler, { type HtmlErrorRenderer } from './error-handler.js';

let app: FastifyInstance;
const html: HtmlErrorRenderer = (reply, error) =>
  reply.type('text/html').send(`<p>${error.code}</p>`);

before(async () => {
  app = fastify();
  await app.register(errorHandler, { html });
  app.post('/api/v1/echo', async (request) => ({ got: request.body }));
  app.get('/api/v1/conflict', async () => {
    throw new AppError('HANDLE_TAKEN', 409, 'That handle is taken.', {
      fields: { handle: 'taken' },
    });
  });
  app.get('/api/v1/invalid', async () => z.object({ email: z.email() }).parse({ email: 'nope' }));
  app.get('/api/v1/storage', async () => {
    throw unavailable('Storage', 30);
  });
  app.get('/api/v1/bug', async () => {
    throw new Error('secret internal detail at /srv/app.ts:12');
  });
  app.get('/page/bug', async () => {
    throw new Error('secret internal detail');
  });
  // what node-postgres throws when the database is restarting or out of reach
  app.get('/api/v1/db/:kind', async (request) => {
    const { kind } = request.params as { kind: string };
    if (kind === 'refused')
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    if (kind === 'shutdown')
      throw Object.assign(new Error('terminating connection'), { code: '57P01' });
    if (kind === 'lost') throw new Error('Connection terminated unexpectedly');
    if (kind === 'nul') {
      const message = 'invalid byte sequence for encoding "UTF8": 0x00';
      throw Object.assign(new Error(message), { code: '22021', severity: 'ERROR' });
    }
    throw Object.assign(new Error('syntax error at or near "selec"'), { code: '42601' });
  });
  await app.ready();
});
after(() => app.close());

describe('error handler', () => {
  test('malformed JSON is a 400 MALFORMED_REQUEST', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"unterminated',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'MALFORMED_REQUEST');
  });

  test('an unsupported content type is a 415 with a code', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/echo',
      headers: { 'content-type': 'application/x-nonsense' },
      payload: 'x',
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('AppError keeps its code, status, message and fields', async () => {
    const res = await app.inject('/api/v1/conflict');
    assert.equal(res.statusCode, 409);
    assert.deepEqual(res.json(), {
      error: {
        code: 'HANDLE_TAKEN',
        message: 'That handle is taken.',
        fields: { handle: 'taken' },
      },
    });
  });

  test('a validation error is a 422 naming the field', async () => {
    const res = await app.inject('/api/v1/invalid');
    assert.equal(res.statusCode, 422);
    const body = res.json<{ error: { code: string; fields: Record<string, string> } }>();
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    assert.ok(body.error.fields.email);
  });

  test('503 carries Retry-After', async () => {
    const res = await app.inject('/api/v1/storage');
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '30');
  });

  test('an unreachable database is a 503 with Retry-After; a bad query stays a 500', async () => {
    for (const kind of ['refused', 'shutdown', 'lost']) {
      const res = await app.inject(`/api/v1/db/${kind}`);
      assert.equal(res.statusCode, 503, kind);
      assert.equal(res.headers['retry-after'], '5');
      assert.equal(res.json<{ error: { code: string } }>().error.code, 'DATABASE_UNAVAILABLE');
    }
    assert.equal((await app.inject('/api/v1/db/syntax')).statusCode, 500);
  });

  test('a value the database refuses (a NUL byte) is the request’s fault: 400', async () => {
    const res = await app.inject('/api/v1/db/nul');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'BAD_REQUEST');
  });

  test('a bug is a 500 that reveals nothing', async () => {
    const res = await app.inject('/api/v1/bug');
    assert.equal(res.statusCode, 500);
    assert.deepEqual(res.json(), {
      error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' },
    });
    const page = await app.inject({ url: '/page/bug', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 500);
    assert.equal(page.body, '<p>INTERNAL_ERROR</p>');
  });

  test('JSON for clients that ask for it, HTML for browsers and htmx', async () => {
    const json = await app.inject({ url: '/nowhere', headers: { accept: 'application/json' } });
    assert.equal(json.json<{ error: { code: string } }>().error.code, 'NOT_FOUND');
    const browser = await app.inject({ url: '/nowhere', headers: { accept: 'text/html,*/*' } });
    assert.equal(browser.body, '<p>NOT_FOUND</p>');
    const htmx = await app.inject({
      url: '/nowhere',
      headers: { 'hx-request': 'true', accept: 'application/json' },
    });
    assert.equal(htmx.body, '<p>NOT_FOUND</p>');
  });
});
