import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fastify, { type FastifyInstance } from 'fastify';
import staticAssets from '../http/static-assets.js';
import { render, VARY_ON } from './render.js';

async function slowPart(): Promise<string> {
  await new Promise((resolve) => setImmediate(resolve));
  return <p>later</p>;
}

describe('render()', () => {
  let app: FastifyInstance;
  before(async () => {
    app = fastify();
    await app.register(staticAssets);
    app.get('/page', async (_request, reply) =>
      render(reply, { title: 'Test page', body: <section id="part">Hello</section> }),
    );
    app.get('/created', async (_request, reply) =>
      render(reply, { title: 'Made', body: <p>made</p>, status: 201 }),
    );
    app.get('/async', async (_request, reply) =>
      render(reply, {
        title: 'Async',
        body: (
          <div>
            <Async />
          </div>
        ),
      }),
    );
    app.get('/signed-in', async (request, reply) => {
      request.viewContext = {
        csrfToken: 'tok-123',
        user: { handle: 'mara', displayName: 'Mara', isCreator: true },
      };
      return render(reply, { title: 'Mine', body: <p>mine</p> });
    });
    await app.ready();
  });
  after(() => app.close());

  function Async() {
    return slowPart();
  }

  test('a normal request gets the whole page in the layout', async () => {
    const response = await app.inject({ method: 'GET', url: '/page' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(response.headers.vary, VARY_ON);
    assert.match(response.body, /^<!doctype html><html lang="en">/);
    assert.match(response.body, /<title>Test page · Makenot\.work<\/title>/);
    assert.match(response.body, /<main id="main"[^>]*><section id="part">Hello<\/section><\/main>/);
  });

  test('an htmx request gets only the fragment', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/page',
      headers: { 'hx-request': 'true', 'hx-request-type': 'partial' },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, '<section id="part">Hello</section>');
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(String(response.headers.vary), /HX-Request/);
  });

  for (const [name, headers] of [
    ['boosted', { 'hx-request': 'true', 'hx-boosted': 'true' }],
    ['history restore', { 'hx-request': 'true', 'hx-history-restore-request': 'true' }],
    ['full swap or hx-select', { 'hx-request': 'true', 'hx-request-type': 'full' }],
  ] as const) {
    test(`an htmx ${name} request gets the whole page`, async () => {
      const response = await app.inject({ method: 'GET', url: '/page', headers });
      assert.match(response.body, /^<!doctype html>/);
    });
  }

  test('status and async bodies are honoured', async () => {
    const created = await app.inject({ method: 'GET', url: '/created' });
    assert.equal(created.statusCode, 201);
    const later = await app.inject({ method: 'GET', url: '/async' });
    assert.match(later.body, /<div><p>later<\/p><\/div>/);
  });

  test('the view context reaches the layout: CSRF meta, hx-headers and the user', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/page' });
    assert.match(anonymous.body, /<meta name="csrf-token" content=""\/>/);
    assert.match(anonymous.body, /href="\/login"/);

    const response = await app.inject({ method: 'GET', url: '/signed-in' });
    assert.match(response.body, /<meta name="csrf-token" content="tok-123"\/>/);
    assert.match(
      response.body,
      /<body hx-headers:inherited="\{&#34;X-CSRF-Token&#34;:&#34;tok-123&#34;\}">/,
    );
    assert.match(response.body, /@mara/);
    assert.match(response.body, /<form method="post" action="\/logout"/);
    assert.doesNotMatch(response.body, /href="\/login"/);
  });

  test('only HX-Request: true marks an htmx request', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/page',
      headers: { 'hx-request': 'false' },
    });
    assert.match(response.body, /^<!doctype html>/);
  });
});
