// The platform's HTTP envelope through the real app: health, metrics, errors, headers.
import assert from 'node:assert/strict';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await createTestApp({ runJobs: true });
});
after(() => t.close());

describe('health', () => {
  test('/healthz answers while the process serves', async () => {
    const res = await t.app.inject('/healthz');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  test('/readyz is ready with database, storage and worker up', async () => {
    const res = await t.app.inject('/readyz');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      status: 'ready',
      checks: { database: 'ok', storage: 'ok', worker: 'ok' },
    });
  });

  test('/readyz is degraded (still 200) when storage is down', async () => {
    // Take the store's directory away (an unmounted volume), then give it back.
    const objects = path.join(t.dataDir, 'objects');
    await t.runtime.storage.check(); // the store lays out its directory on first use
    await rename(objects, `${objects}.away`);
    try {
      const res = await t.app.inject('/readyz');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        status: 'degraded',
        checks: { database: 'ok', storage: 'down', worker: 'ok' },
      });
    } finally {
      await rename(`${objects}.away`, objects);
    }
    const recovered = (await t.app.inject('/readyz')).json<{ checks: { storage: string } }>();
    assert.equal(recovered.checks.storage, 'ok');
  });

  test('/readyz says the worker is degraded when ffmpeg is missing', async () => {
    const without = await createTestApp({
      runJobs: true,
      env: { FFMPEG_PATH: '/nonexistent/ffmpeg', FFPROBE_PATH: '/nonexistent/ffprobe' },
    });
    try {
      const res = await without.app.inject('/readyz');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), {
        status: 'degraded',
        checks: { database: 'ok', storage: 'ok', worker: 'degraded' },
      });
    } finally {
      await without.close();
    }
  });

  test('/metrics exposes route latency, queue depth and payout states', async () => {
    await t.app.inject('/healthz');
    const res = await t.app.inject('/metrics');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] ?? '', /text\/plain/);
    assert.match(
      res.body,
      /http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} [1-9]/,
    );
    assert.match(res.body, /job_queue_depth\{state="ready"\} \d+/);
    for (const status of ['queued', 'paid', 'failed']) {
      assert.match(res.body, new RegExp(`payouts\\{status="${status}",currency="USD"\\} 0`));
    }
  });
});

describe('errors', () => {
  test('an unknown API route answers the JSON error format', async () => {
    const res = await t.app.inject('/api/v1/nothing-here');
    assert.equal(res.statusCode, 404);
    assert.deepEqual(res.json(), {
      error: { code: 'NOT_FOUND', message: 'We could not find that page.' },
    });
  });

  test('an unknown page is a real HTML 404 page', async () => {
    const res = await t.app.inject({ url: '/no/such/page', headers: { accept: 'text/html' } });
    assert.equal(res.statusCode, 404);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    assert.match(res.body, /<!doctype html>/i);
    assert.match(res.body, /<main/);
  });

  test('an htmx request gets a fragment, not a page', async () => {
    const res = await t.app.inject({ url: '/no/such/page', headers: { 'hx-request': 'true' } });
    assert.equal(res.statusCode, 404);
    assert.doesNotMatch(res.body, /<!doctype html>/i);
  });
});

describe('security headers', () => {
  test('pages carry a strict CSP, nosniff and frame denial; /embed/ may be framed', async () => {
    const page = await t.app.inject('/');
    assert.match(page.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.doesNotMatch(page.headers['content-security-policy'] as string, /unsafe-inline/);
    assert.match(page.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.ok(page.headers['x-request-id']);
    const embed = await t.app.inject('/embed/anything');
    assert.match(embed.headers['content-security-policy'] as string, /frame-ancestors \*/);
    assert.equal(embed.headers['x-frame-options'], undefined);
  });

  test('a well-formed request id from the proxy is kept; a hostile one is replaced', async () => {
    const kept = await t.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'caddy-abc12345' },
    });
    assert.equal(kept.headers['x-request-id'], 'caddy-abc12345');
    const replaced = await t.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': '<script>' },
    });
    assert.notEqual(replaced.headers['x-request-id'], '<script>');
  });

  test('large pages are compressed', async () => {
    const res = await t.app.inject({ url: '/', headers: { 'accept-encoding': 'br, gzip' } });
    assert.match(String(res.headers['content-encoding']), /br|gzip/);
  });
});
