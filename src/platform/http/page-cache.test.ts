// The page cache (PAGE_CACHE=on) in the real app: anonymous visitors of an item page share one
// rendering for at most a second, an edit shows within that second, and signed-in visitors
// neither get nor fill cached pages. Plus the rules on a bare Fastify app: opt-in routes only,
// no cookie-setting answers, keyed on htmx headers, off means off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import fastify from 'fastify';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
} from '../../modules/catalog/catalog.test-helpers.js';
import { until } from '../../modules/payments/payments.test-helpers.js';
import pageCache, { MAX_PAGE_CACHE_TTL_MS } from './page-cache.js';

let t: TestApp;
let creator: Creator;
let itemId: string;
let itemPath: string;

before(async () => {
  t = await createTestApp({ env: { PAGE_CACHE: 'on' } });
  creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator, { title: 'Essays' });
  const item = await makeItem(t.app, creator, project.id, {
    title: 'First title',
    body: 'Words.',
    price: { model: 'free' },
    ai_disclosure: { tier: 'handmade' },
  });
  const published = await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
  assert.equal(published.statusCode, 200, published.body);
  itemId = item.id;
  itemPath = new URL(item.url).pathname;
});
after(() => t.close());

const anonymous = (headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: itemPath, headers });

describe('page cache in the app', () => {
  test('anonymous visitors share a rendering; an edit shows to them within one second', async () => {
    const first = await anonymous();
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /First title/);
    const second = await anonymous();
    assert.equal(second.headers['x-page-cache'], 'hit', 'the second visit is served from cache');
    assert.equal(second.body, first.body);
    assert.equal(second.headers['set-cookie'], undefined);
    assert.ok(second.headers['x-request-id'] !== first.headers['x-request-id']);
    assert.ok(second.headers['content-security-policy'], 'security headers on hits too');

    const edit = await call(t.app, creator, 'PATCH', `/items/${itemId}`, {
      title: 'Second title',
    });
    assert.equal(edit.statusCode, 200, edit.body);
    const changed = Date.now();
    // Every anonymous answer, by when its request was sent: the old title may be served until
    // one second after the edit, never later (a poll's own timing is not the cache's).
    const seen: { sent: number; fresh: boolean }[] = [];
    await until(async () => {
      const sent = Date.now();
      const res = await anonymous();
      seen.push({ sent, fresh: res.body.includes('Second title') });
      return sent > changed + MAX_PAGE_CACHE_TTL_MS ? true : undefined;
    }, 'anonymous visits until one second after the edit');
    const firstFresh = seen.find((s) => s.fresh);
    assert.ok(firstFresh, 'the edit reached anonymous visitors');
    console.log(
      `page cache: the edit reached anonymous visitors after ${firstFresh.sent - changed} ms`,
    );
    const stale = seen.filter((s) => !s.fresh && s.sent > changed + MAX_PAGE_CACHE_TTL_MS);
    assert.deepEqual(stale, [], 'no stale page for a request sent more than a second after');
  });

  test('a browser that accepts br or gzip gets the page compressed, from cache too', async () => {
    const plain = (await anonymous({ 'accept-encoding': 'identity' })).body;
    const cases: [string, string, (b: Buffer) => Buffer][] = [
      ['gzip, deflate, br', 'br', brotliDecompressSync],
      ['gzip;q=1, br;q=0', 'gzip', gunzipSync],
      ['*', 'br', brotliDecompressSync],
    ];
    for (const [accept, encoding, decode] of cases) {
      const miss = await anonymous({ 'accept-encoding': accept });
      const hit = await anonymous({ 'accept-encoding': accept });
      assert.equal(hit.headers['x-page-cache'], 'hit', accept);
      for (const res of [miss, hit]) {
        assert.equal(res.headers['content-encoding'], encoding, accept);
        assert.match(String(res.headers.vary), /accept-encoding/i);
        assert.equal(decode(res.rawPayload).toString('utf8'), plain, `${accept}: the same page`);
        assert.equal(Number(res.headers['content-length']), res.rawPayload.length);
      }
    }
    const identity = await anonymous({ 'accept-encoding': 'identity' });
    assert.equal(identity.headers['x-page-cache'], 'hit');
    assert.equal(identity.headers['content-encoding'], undefined);
    assert.equal(identity.body, plain);
  });

  test('signed-in visitors never get a cached page and never fill the cache', async () => {
    const fan = await signUpFan(t.app);
    await anonymous();
    assert.equal((await anonymous()).headers['x-page-cache'], 'hit');
    for (let i = 0; i < 3; i++) {
      const mine = await send(t.app, fan.jar, { url: itemPath });
      assert.equal(mine.statusCode, 200);
      assert.equal(mine.headers['x-page-cache'], undefined, 'not from the cache');
      assert.ok(mine.body.includes(`@${fan.handle}`), 'the page knows who is signed in');
    }
    const stranger = await anonymous();
    assert.ok(!stranger.body.includes(fan.handle), 'no signed-in rendering reaches others');
    // a bearer token is someone too
    const token = await anonymous({ authorization: 'Bearer not-a-real-token-at-all' });
    assert.equal(token.headers['x-page-cache'], undefined);
  });

  test('anonymous API reads of public items are cached too; a draft never leaks', async () => {
    const apiUrl = `/api/v1/items/${itemId}`;
    const read = (headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url: apiUrl, headers });
    const first = await read();
    assert.equal(first.statusCode, 200, first.body);
    assert.match(String(first.headers['content-type']), /^application\/json/);
    const second = await read();
    assert.equal(second.headers['x-page-cache'], 'hit');
    assert.deepEqual(second.json(), first.json());
    // a token or a session is someone: answered fresh, never from the cache
    const token = await read({ authorization: 'Bearer not-a-real-token-at-all' });
    assert.equal(token.headers['x-page-cache'], undefined);
    const own = await call(t.app, creator, 'GET', `/items/${itemId}`);
    assert.equal(own.headers['x-page-cache'], undefined);

    // The creator reads a draft (200 for them); anonymous clients still get 404, every time.
    const project = await makeProject(t.app, creator, { title: 'Drafts' });
    const draft = await makeItem(t.app, creator, project.id, { title: 'Unpublished thoughts' });
    assert.equal((await call(t.app, creator, 'GET', `/items/${draft.id}`)).statusCode, 200);
    for (let i = 0; i < 2; i++) {
      const stranger = await t.app.inject({ method: 'GET', url: `/api/v1/items/${draft.id}` });
      assert.equal(stranger.statusCode, 404);
      assert.equal(stranger.headers['x-page-cache'], 'miss', 'a 404 is never stored');
    }

    // an edit reaches anonymous API readers within a second of it
    const edit = await call(t.app, creator, 'PATCH', `/items/${itemId}`, { title: 'API title' });
    assert.equal(edit.statusCode, 200, edit.body);
    const changed = Date.now();
    const stale: number[] = [];
    await until(async () => {
      const sent = Date.now();
      const res = await read();
      const fresh = res.json<{ item: { title: string } }>().item.title === 'API title';
      if (!fresh && sent > changed + MAX_PAGE_CACHE_TTL_MS) stale.push(sent - changed);
      return fresh && sent > changed + MAX_PAGE_CACHE_TTL_MS ? true : undefined;
    }, 'anonymous API reads until one second after the edit');
    assert.deepEqual(stale, [], 'no stale answer to a request sent more than a second after');
  });

  test('an htmx request gets its fragment, not the cached full page', async () => {
    await anonymous();
    const fragment = await anonymous({ 'hx-request': 'true' });
    assert.equal(fragment.statusCode, 200);
    assert.doesNotMatch(fragment.body, /<html/);
    const page = await anonymous();
    assert.match(page.body, /<html/);
  });
});

describe('page cache rules', () => {
  async function tiny(enabled: boolean) {
    const app = fastify();
    await app.register(pageCache, { enabled });
    let renders = 0;
    app.get('/page', { config: { pageCache: true } }, async (_request, reply) => {
      renders++;
      return reply.type('text/html; charset=utf-8').send(`<p>render ${renders}</p>`);
    });
    app.get('/cookie', { config: { pageCache: true } }, async (_request, reply) =>
      reply.header('set-cookie', 'a=b').type('text/html').send('<p>with a cookie</p>'),
    );
    app.get('/private', async (_request, reply) =>
      reply.type('text/html').send('<p>not opted in</p>'),
    );
    await app.ready();
    return app;
  }

  test('visitors arriving while a page renders wait for that rendering', async () => {
    const app = fastify();
    await app.register(pageCache, { enabled: true });
    let renders = 0;
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.get('/slow', { config: { pageCache: true } }, async (_request, reply) => {
      renders++;
      await gate;
      return reply.type('text/html').send(`<p>render ${renders}</p>`);
    });
    await app.ready();
    try {
      const answers = Array.from({ length: 5 }, () => app.inject({ method: 'GET', url: '/slow' }));
      await until(async () => (renders > 0 ? true : undefined), 'the first rendering');
      release();
      const bodies = (await Promise.all(answers)).map((a) => a.body);
      assert.deepEqual(
        bodies,
        Array.from({ length: 5 }, () => '<p>render 1</p>'),
      );
      assert.equal(renders, 1);
    } finally {
      await app.close();
    }
  });

  test('only opted-in routes, never answers that set a cookie, nothing when off', async () => {
    const on = await tiny(true);
    const off = await tiny(false);
    try {
      const get = (app: typeof on, url: string) => app.inject({ method: 'GET', url });
      assert.equal((await get(on, '/page')).body, '<p>render 1</p>');
      assert.equal((await get(on, '/page')).body, '<p>render 1</p>');
      assert.equal((await get(on, '/cookie')).headers['x-page-cache'], 'miss');
      assert.equal((await get(on, '/cookie')).headers['x-page-cache'], 'miss');
      assert.equal((await get(on, '/private')).headers['x-page-cache'], undefined);
      assert.equal((await get(off, '/page')).body, '<p>render 1</p>');
      assert.equal((await get(off, '/page')).body, '<p>render 2</p>');
      assert.equal((await get(off, '/page')).headers['x-page-cache'], undefined);
      const withCookie = await on.inject({
        method: 'GET',
        url: '/page',
        headers: { cookie: 'flash=hello' },
      });
      assert.equal(withCookie.body, '<p>render 2</p>', 'a visitor with a cookie gets a fresh page');
    } finally {
      await on.close();
      await off.close();
    }
  });
});
