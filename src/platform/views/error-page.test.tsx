import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fastify, { type FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import errorHandler from '../http/error-handler.js';
import staticAssets from '../http/static-assets.js';
import { renderHtmlError, retryPhrase } from './error-page.js';

describe('error pages', () => {
  let app: FastifyInstance;
  before(async () => {
    app = fastify({ logger: false });
    await app.register(errorHandler, { html: renderHtmlError });
    await app.register(staticAssets);
    app.get('/boom', () => {
      throw new Error('password=hunter2 at Db.query (/srv/app/db.ts:12)');
    });
    app.get('/forbidden', () => {
      throw new AppError('FORBIDDEN', 403, 'Only the creator can edit this item.');
    });
    app.get('/limited', () => {
      throw new AppError('RATE_LIMITED', 429, 'Too many requests.', { retryAfter: 42 });
    });
    app.get('/down', () => {
      throw new AppError('SERVICE_UNAVAILABLE', 503, 'Streaming is unavailable right now.', {
        retryAfter: 1,
      });
    });
    await app.ready();
  });
  after(() => app.close());

  test('404 is a real page with a search box and a way home', async () => {
    const response = await app.inject({ method: 'GET', url: '/no/such/page?x=<b>' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(response.body, /^<!doctype html>/);
    assert.match(response.body, /<h1[^>]*>We could not find that page<\/h1>/);
    assert.match(
      response.body,
      /<form class="search-box" method="get" action="\/search" role="search">/,
    );
    assert.match(response.body, /href="\/"/);
    assert.match(response.body, /href="\/discover"/);
  });

  test('500 never shows the error, only a reference', async () => {
    const response = await app.inject({ method: 'GET', url: '/boom' });
    assert.equal(response.statusCode, 500);
    assert.doesNotMatch(response.body, /hunter2|db\.ts|Db\.query/);
    assert.match(response.body, /Something went wrong on our side/);
    assert.match(response.body, /Reference: <code>req-/);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('403 shows the message written for users', async () => {
    const response = await app.inject({ method: 'GET', url: '/forbidden' });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /Only the creator can edit this item\./);
  });

  test('429 and 503 say when to try again', async () => {
    const limited = await app.inject({ method: 'GET', url: '/limited' });
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.headers['retry-after'], '42');
    assert.match(limited.body, /Try again in 42 seconds\./);
    const down = await app.inject({ method: 'GET', url: '/down' });
    assert.equal(down.statusCode, 503);
    assert.match(down.body, /Streaming is unavailable right now\. Try again in 1 second\./);
  });

  test('htmx gets a fragment it can swap in place', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/limited',
      headers: { 'hx-request': 'true' },
    });
    assert.equal(response.statusCode, 429);
    assert.doesNotMatch(response.body, /<html/);
    assert.match(response.body, /^<div class="notice notice--error" role="alert">/);
    assert.match(response.body, /Try again in 42 seconds/);
  });

  test('retry phrases', () => {
    assert.equal(retryPhrase(undefined), 'Try again in a moment.');
    assert.equal(retryPhrase(1), 'Try again in 1 second.');
    assert.equal(retryPhrase(300), 'Try again in 5 minutes.');
  });
});
