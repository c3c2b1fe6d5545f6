import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { queueMail } from '../../src/platform/mail/mail.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let dev: TestApp;
let production: TestApp;
before(async () => {
  [dev, production] = await Promise.all([
    createTestApp(),
    createTestApp({ env: { NODE_ENV: 'production' } }),
  ]);
});
after(() => Promise.all([dev.close(), production.close()]));

describe('development outbox', () => {
  test('lists queued mail with every user value escaped, and links in the body work', async () => {
    const id = await queueMail(dev.runtime.db, {
      to: 'fan@example.com',
      subject: '<script>alert(1)</script> welcome',
      text: 'Verify: http://localhost:3000/verify?t=abc&x=1\n<b>not bold</b> "quoted"',
    });
    const list = await dev.app.inject('/dev/outbox');
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, /<script>alert/);
    assert.match(list.body, /&lt;script>alert\(1\)&lt;\/script> welcome/);
    assert.match(list.body, new RegExp(`href="/dev/outbox/${id}"`));

    const one = await dev.app.inject(`/dev/outbox/${id}`);
    assert.equal(one.statusCode, 200);
    assert.match(one.body, /<a href="http:\/\/localhost:3000\/verify\?t=abc&amp;x=1">/);
    assert.match(one.body, /&lt;b(&gt;|>)not bold&lt;\/b/);
    assert.doesNotMatch(one.body, /<b>not bold/);
  });

  test('an unknown or malformed message id is a 404', async () => {
    assert.equal(
      (await dev.app.inject('/dev/outbox/00000000-0000-4000-8000-000000000000')).statusCode,
      404,
    );
    assert.equal((await dev.app.inject('/dev/outbox/not-a-uuid')).statusCode, 404);
  });

  test('does not exist in production', async () => {
    assert.equal((await production.app.inject('/dev/outbox')).statusCode, 404);
  });
});
