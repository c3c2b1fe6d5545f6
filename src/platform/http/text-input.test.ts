import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import formbody from '@fastify/formbody';
import fastify, { type FastifyInstance } from 'fastify';
import errorHandler, { type HtmlErrorRenderer } from './error-handler.js';
import textInput, { findNul } from './text-input.js';

let app: FastifyInstance;
let handled = 0;
const html: HtmlErrorRenderer = (reply, error) =>
  reply.type('text/html').send(`<p>${error.code}</p>`);

before(async () => {
  app = fastify();
  await app.register(formbody);
  await app.register(errorHandler, { html });
  await app.register(textInput);
  const echo = async (request: { body: unknown; query: unknown }) => {
    handled++;
    return { body: request.body ?? null, query: request.query };
  };
  app.post('/api/v1/things/:id', echo);
  app.get('/api/v1/things/:id', echo);
  app.post('/pages/things', echo);
  await app.register(async (raw) => {
    raw.removeContentTypeParser('application/json');
    raw.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_r, body, done) => {
      done(null, body);
    });
    raw.post('/webhooks/raw', async (request) => ({ bytes: (request.body as Buffer).length }));
  });
  await app.ready();
});
after(() => app.close());

type Err = { error: { code: string; fields?: Record<string, string> } };

describe('NUL in text input', () => {
  test('findNul names the first field holding one, at any depth, keys included', () => {
    assert.equal(findNul({ a: 'x', b: ['y', { c: 'z\u0000' }] }), 'b.1.c');
    assert.equal(findNul({ ['k\u0000']: 1 }), 'k\\0');
    assert.equal(findNul('\u0000'), '');
    assert.equal(findNul({ a: 'fine', n: 1, t: true, z: null }), undefined);
    assert.equal(findNul(Buffer.from([0, 0, 0])), undefined, 'bytes are not text');
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    assert.equal(typeof findNul(deep), 'string', 'no stack overflow 50,000 levels down');
  });

  test('JSON, form, query and path values with NUL are refused before the handler', async () => {
    const before = handled;
    const cases = [
      { method: 'POST', url: '/api/v1/things/1', payload: { title: 'a\u0000b' }, field: 'title' },
      { method: 'POST', url: '/api/v1/things/1', payload: { tags: [{ name: '\u0000' }] }, field: 'tags.0.name' }, // prettier-ignore
      { method: 'GET', url: '/api/v1/things/1?q=a%00b', field: 'q' },
      { method: 'GET', url: '/api/v1/things/a%00b', field: 'id' },
      {
        method: 'POST',
        url: '/api/v1/things/1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'title=a%00b',
        field: 'title',
      },
      {
        method: 'POST',
        url: '/api/v1/things/1',
        headers: { 'content-type': 'text/plain' },
        payload: 'a\u0000b',
        field: '_',
      },
    ] as const;
    for (const c of cases) {
      const res = await app.inject({
        method: c.method,
        url: c.url,
        ...('headers' in c && { headers: c.headers }),
        ...('payload' in c && { payload: c.payload }),
      });
      assert.equal(res.statusCode, 400, `${c.method} ${c.url}`);
      const { error } = res.json<Err>();
      assert.equal(error.code, 'INVALID_TEXT');
      assert.deepEqual(Object.keys(error.fields ?? {}), [c.field]);
    }
    assert.equal(handled, before, 'no handler ran');
  });

  test('pages get the HTML error page; text without NUL and raw bytes pass', async () => {
    const page = await app.inject({
      method: 'POST',
      url: '/pages/things',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: 'bio=hello%00',
    });
    assert.equal(page.statusCode, 400);
    assert.equal(page.body, '<p>INVALID_TEXT</p>');
    const fine = await app.inject({
      method: 'POST',
      url: '/api/v1/things/1?q=%E2%80%8B',
      payload: { title: 'zero\u200Bwidth \\u0000 as written' },
    });
    assert.equal(fine.statusCode, 200);
    const signed = await app.inject({
      method: 'POST',
      url: '/webhooks/raw',
      headers: { 'content-type': 'application/json' },
      payload: Buffer.from('{"a":"\u0000"}'),
    });
    assert.equal(signed.statusCode, 200, 'a raw body is checked by its own route');
  });
});
