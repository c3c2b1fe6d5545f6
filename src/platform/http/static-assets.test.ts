import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import fastify, { type FastifyInstance } from 'fastify';
import staticAssets, { assetUrl, buildAssetManifest } from './static-assets.js';

describe('static assets', () => {
  let app: FastifyInstance;
  before(async () => {
    app = fastify();
    await app.register(staticAssets);
    await app.ready();
  });
  after(() => app.close());

  test('the stylesheet is served at its fingerprinted URL, cached for a year', async () => {
    const url = assetUrl('styles.css');
    assert.match(url, /^\/assets\/styles\.[0-9a-f]{10}\.css$/);
    const response = await app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.match(String(response.headers.etag), /^"[0-9a-f]{32}"$/);
    assert.ok(response.body.includes('--accent'));
  });

  test('htmx is served from our origin as a pinned, fingerprinted script', async () => {
    const url = assetUrl('htmx.js');
    assert.match(url, /^\/assets\/htmx\.[0-9a-f]{10}\.js$/);
    const response = await app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.ok(response.body.includes("'4.0.1'") || response.body.includes('"4.0.1"'));
    assert.ok(!response.body.includes('sourceMappingURL'));
  });

  test('svg gets its image type', async () => {
    const response = await app.inject({ method: 'GET', url: assetUrl('favicon.svg') });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'image/svg+xml; charset=utf-8');
  });

  test('a matching If-None-Match answers 304', async () => {
    const url = assetUrl('styles.css');
    const first = await app.inject({ method: 'GET', url });
    const again = await app.inject({
      method: 'GET',
      url,
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  test('a wrong or old hash, an unhashed name or a traversal is a 404', async () => {
    for (const url of [
      '/assets/styles.0000000000.css',
      '/assets/styles.css',
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
    }
  });

  test('unknown asset names fail loudly', () => {
    assert.throws(() => assetUrl('nope.css'), /unknown asset/);
  });
});

describe('asset manifest', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'assets-'));
    await mkdir(path.join(dir, 'vendor'));
    await writeFile(path.join(dir, 'a.css'), 'body{}');
    await writeFile(path.join(dir, 'vendor', 'player.js'), 'export {}');
    await writeFile(path.join(dir, '.hidden'), 'x');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('the URL carries the first 10 hex of the sha256; nested files keep their folder', () => {
    const manifest = buildAssetManifest(dir);
    const hash = createHash('sha256').update('body{}').digest('hex').slice(0, 10);
    assert.equal(manifest.byName.get('a.css')?.url, `/assets/a.${hash}.css`);
    assert.match(
      manifest.byName.get('vendor/player.js')?.url ?? '',
      /^\/assets\/vendor\/player\.[0-9a-f]{10}\.js$/,
    );
    assert.equal(manifest.byName.has('.hidden'), false);
    assert.ok(manifest.byName.has('htmx.js'));
  });

  test('the same bytes give the same URL on every instance', () => {
    assert.equal(
      buildAssetManifest(dir).byName.get('a.css')?.url,
      buildAssetManifest(dir).byName.get('a.css')?.url,
    );
  });
});
