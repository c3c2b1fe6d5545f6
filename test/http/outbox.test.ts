import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { queueMail } from '../../src/platform/mail/mail.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { signUp } from '../helpers/factories.js';
import { send } from '../helpers/http.js';

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

  test("holds others' reset links: only this machine and admins see it", async () => {
    const id = await queueMail(dev.runtime.db, {
      to: 'owner@example.com',
      subject: 'Reset your password',
      text: 'Reset: http://localhost:3000/reset?t=secret-reset-token',
    });
    const get = (url: string, remoteAddress: string, headers: Record<string, string> = {}) =>
      dev.app.inject({ url, remoteAddress, headers });
    for (const url of ['/dev/outbox', `/dev/outbox/${id}`]) {
      // a developer at the machine itself, IPv4 or IPv6, directly or through a local proxy
      for (const local of ['127.0.0.1', '127.0.1.1', '::1', '::ffff:127.0.0.1']) {
        assert.equal((await get(url, local)).statusCode, 200, `${url} from ${local}`);
      }
      assert.equal((await get(url, '127.0.0.1', { 'x-forwarded-for': '::1' })).statusCode, 200);
      // a visitor elsewhere, directly or through Caddy on this machine (which connects from
      // 127.0.0.1 and forwards the visitor's address), and one claiming to be local
      const outside = [
        await get(url, '203.0.113.9'),
        await get(url, '192.168.1.20'),
        await get(url, '127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }),
        await get(url, '127.0.0.1', { 'x-forwarded-for': '127.0.0.1, 203.0.113.9' }),
        await get(url, '203.0.113.9', { 'x-forwarded-for': '127.0.0.1' }),
      ];
      for (const answer of outside) {
        assert.equal(answer.statusCode, 404, url);
        assert.doesNotMatch(answer.body, /secret-reset-token|Reset your password/);
      }
    }
    // signed in from elsewhere: a fan sees nothing, an admin reads it
    const fan = await signUp(dev.app);
    const fanView = await send(dev.app, fan.jar, { url: `/dev/outbox/${id}` });
    assert.equal(fanView.statusCode, 404);
    assert.doesNotMatch(fanView.body, /secret-reset-token/);
    const admin = await signUp(dev.app);
    await dev.runtime.db
      .updateTable('users')
      .set({ is_admin: true })
      .where('id', '=', admin.id)
      .execute();
    const adminView = await send(dev.app, admin.jar, { url: `/dev/outbox/${id}` });
    assert.equal(adminView.statusCode, 200);
    assert.match(adminView.body, /secret-reset-token/);
  });

  test('does not exist in production', async () => {
    assert.equal((await production.app.inject('/dev/outbox')).statusCode, 404);
  });
});
