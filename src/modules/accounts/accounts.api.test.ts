import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp, uniqueHandle } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send } from '../../../test/helpers/http.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

type Err = { error: { code: string; fields?: Record<string, string> } };

describe('signup', () => {
  test('creates the account, signs in with a session cookie and queues the verification mail', async () => {
    const jar = newJar();
    const handle = uniqueHandle();
    const res = await send(t.app, jar, {
      url: '/api/v1/auth/signup',
      json: { email: `${handle}@Example.com`, password: 'a quiet river bend', handle },
    });
    assert.equal(res.statusCode, 201);
    const { user } = res.json<{ user: Record<string, unknown> }>();
    assert.deepEqual(Object.keys(user).sort(), [
      'creator_tier',
      'display_name',
      'email',
      'email_verified',
      'handle',
      'id',
      'is_creator',
    ]);
    assert.equal(user.is_creator, false);
    assert.equal(user.display_name, handle);
    const cookie = res.cookies.find((c) => c.name === 'mnw_session');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    const me = await send(t.app, jar, { url: '/api/v1/me' });
    assert.equal(me.json<{ user: { handle: string } }>().user.handle, handle);
    const mail = await t.runtime.db
      .selectFrom('mail_messages')
      .selectAll()
      .where('to_address', '=', `${handle}@Example.com`)
      .execute();
    assert.equal(mail.length, 1);
    assert.match(mail[0]?.text_body ?? '', /\/verify-email\?token=/);
  });

  test('handles and emails are unique without regard to case; the handle may say it is taken', async () => {
    const first = await signUp(t.app);
    const sameHandle = await send(t.app, newJar(), {
      url: '/api/v1/auth/signup',
      json: {
        email: `other-${first.handle}@example.com`,
        password: 'another fine password',
        handle: first.handle.toUpperCase(),
      },
    });
    assert.equal(sameHandle.statusCode, 409);
    assert.equal(sameHandle.json<Err>().error.code, 'HANDLE_TAKEN');
    const sameEmail = await send(t.app, newJar(), {
      url: '/api/v1/auth/signup',
      json: {
        email: first.email.toUpperCase(),
        password: 'another fine password',
        handle: uniqueHandle(),
      },
    });
    assert.equal(sameEmail.statusCode, 409);
    assert.equal(sameEmail.json<Err>().error.code, 'EMAIL_TAKEN');
  });

  test('invalid input is a 422 naming each field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [
        { email: 'nope', password: 'long enough pw', handle: uniqueHandle() },
        'VALIDATION_FAILED',
        'email',
      ],
      [
        { email: 'a@b.example', password: 'short', handle: uniqueHandle() },
        'VALIDATION_FAILED',
        'password',
      ],
      [
        { email: 'a@b.example', password: 'long enough pw', handle: 'admin' },
        'VALIDATION_FAILED',
        'handle',
      ],
      [
        { email: 'a@b.example', password: 'long enough pw', handle: 'deleted-0123abcd' },
        'VALIDATION_FAILED',
        'handle',
      ],
      [
        { email: 'a@b.example', password: 'long enough pw', handle: 'has space' },
        'VALIDATION_FAILED',
        'handle',
      ],
      [
        { email: 'a@b.example', password: 'password123', handle: uniqueHandle() },
        'PASSWORD_TOO_COMMON',
        'password',
      ],
      [
        { email: 'a@b.example', password: 'x'.repeat(257), handle: uniqueHandle() },
        'VALIDATION_FAILED',
        'password',
      ],
      [{ email: 42, password: [], handle: {} }, 'VALIDATION_FAILED', 'email'],
    ];
    for (const [body, code, field] of cases) {
      const res = await send(t.app, newJar(), { url: '/api/v1/auth/signup', json: body });
      assert.equal(res.statusCode, 422, JSON.stringify(body));
      const error = res.json<Err>().error;
      assert.equal(error.code, code);
      assert.ok(error.fields?.[field], `${field} in ${JSON.stringify(error.fields)}`);
    }
    const long = await send(t.app, newJar(), {
      url: '/api/v1/auth/signup',
      json: { email: 'long@b.example', password: 'p'.repeat(128) + 'q', handle: uniqueHandle() },
    });
    assert.equal(long.statusCode, 201, 'passwords of 129+ characters are accepted');
  });
});

describe('login and logout', () => {
  test('a wrong password and an unknown email get the same answer', async () => {
    const user = await signUp(t.app);
    const wrong = await send(t.app, newJar(), {
      url: '/api/v1/auth/login',
      json: { email: user.email, password: 'not the password' },
    });
    const unknown = await send(t.app, newJar(), {
      url: '/api/v1/auth/login',
      json: { email: `nobody-${user.handle}@example.com`, password: 'not the password' },
    });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
  });

  test('login sets a new session; logout ends it', async () => {
    const user = await signUp(t.app);
    const jar = newJar();
    const res = await send(t.app, jar, {
      url: '/api/v1/auth/login',
      json: { email: user.email.toUpperCase(), password: user.password },
    });
    assert.equal(res.statusCode, 200);
    const first = jar.cookies.get('mnw_session');
    assert.ok(first);
    assert.notEqual(first, user.jar.cookies.get('mnw_session'));
    const token = await csrfFor(t.app, jar);
    const out = await send(t.app, jar, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { 'x-csrf-token': token },
    });
    assert.equal(out.statusCode, 204);
    const me = await send(t.app, newJar(), {
      url: '/api/v1/me',
      headers: { cookie: `mnw_session=${first}` },
    });
    assert.equal(me.statusCode, 401);
  });
});

describe('CSRF', () => {
  test('a state-changing cookie request needs the session token', async () => {
    const user = await signUp(t.app);
    const without = await send(t.app, user.jar, { url: '/api/v1/me/creator', json: {} });
    assert.equal(without.statusCode, 403);
    assert.equal(without.json<Err>().error.code, 'CSRF_TOKEN_INVALID');
    const wrong = await send(t.app, user.jar, {
      url: '/api/v1/me/creator',
      json: {},
      headers: { 'x-csrf-token': 'forged' },
    });
    assert.equal(wrong.statusCode, 403);
    const token = await csrfFor(t.app, user.jar);
    const ok = await send(t.app, user.jar, {
      url: '/api/v1/me/creator',
      json: { tier: 'big_files' },
      headers: { 'x-csrf-token': token },
    });
    assert.equal(ok.statusCode, 200);
    assert.equal(
      ok.json<{ user: { is_creator: boolean; creator_tier: string } }>().user.creator_tier,
      'big_files',
    );
  });

  test('a cross-site browser request is refused even with a valid token', async () => {
    const user = await signUp(t.app);
    const token = await csrfFor(t.app, user.jar);
    const crossSite: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { referer: 'https://evil.example/page' },
    ];
    for (const headers of crossSite) {
      const res = await send(t.app, user.jar, {
        url: '/api/v1/me/creator',
        json: {},
        headers: { ...headers, 'x-csrf-token': token },
      });
      assert.equal(res.statusCode, 403, JSON.stringify(headers));
      assert.equal(res.json<Err>().error.code, 'CROSS_SITE_REQUEST');
    }
    const sameOrigin = await send(t.app, user.jar, {
      url: '/api/v1/me/creator',
      json: {},
      headers: {
        origin: 'http://localhost:3000',
        'sec-fetch-site': 'same-origin',
        'x-csrf-token': token,
      },
    });
    assert.equal(sameOrigin.statusCode, 200);
  });

  test('the privilege change rotates the session token', async () => {
    const user = await signUp(t.app);
    const before = user.jar.cookies.get('mnw_session');
    const token = await csrfFor(t.app, user.jar);
    await send(t.app, user.jar, {
      url: '/api/v1/me/creator',
      json: {},
      headers: { 'x-csrf-token': token },
    });
    const afterCookie = user.jar.cookies.get('mnw_session');
    assert.ok(afterCookie && afterCookie !== before);
    const old = await send(t.app, newJar(), {
      url: '/api/v1/me',
      headers: { cookie: `mnw_session=${before}` },
    });
    assert.equal(old.statusCode, 401);
  });
});

describe('personal access tokens', () => {
  test('created with the password, shown once, used as a bearer without CSRF', async () => {
    const user = await signUp(t.app);
    const res = await send(t.app, newJar(), {
      url: '/api/v1/auth/tokens',
      json: { email: user.email, password: user.password, name: 'deploy script', scopes: ['read'] },
    });
    assert.equal(res.statusCode, 201);
    const { token, id } = res.json<{ token: string; id: string }>();
    assert.match(token, /^mnw_pat_/);
    assert.ok(id);
    const me = await t.app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(me.json<{ user: { id: string } }>().user.id, user.id);
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/creator',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(write.statusCode, 403);
    assert.equal(write.json<Err>().error.code, 'INSUFFICIENT_SCOPE');
    const stored = await t.runtime.db
      .selectFrom('api_tokens')
      .select('token_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.ok(!stored.token_hash.toString('utf8').includes(token));
  });

  test('POST /auth/logout with a token revokes that token (any scope), and only it', async () => {
    const user = await signUp(t.app);
    const make = async () => {
      const res = await send(t.app, newJar(), {
        url: '/api/v1/auth/tokens',
        json: { email: user.email, password: user.password, name: 'ci', scopes: ['read'] },
      });
      return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
    };
    const [leaving, staying] = [await make(), await make()];
    const me = async (headers: Record<string, string>) =>
      (await t.app.inject({ url: '/api/v1/me', headers })).statusCode;
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: leaving,
    });
    assert.equal(out.statusCode, 204);
    assert.deepEqual([await me(leaving), await me(staying)], [401, 200]);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: leaving,
    });
    assert.equal(again.statusCode, 401, 'a revoked token cannot sign out twice');
    const events = await t.runtime.db
      .selectFrom('security_events')
      .select(['type', 'details'])
      .where('user_id', '=', user.id)
      .where('type', '=', 'token_revoked')
      .execute();
    assert.deepEqual(
      events.map((e) => e.details),
      [{ name: 'ci', from: 'logout' }],
    );
  });

  test('a bogus bearer token is a 401, even on public pages', async () => {
    for (const authorization of [
      'Bearer mnw_pat_not-a-real-token-at-all',
      'Bearer x',
      'Basic abc',
    ]) {
      const res = await t.app.inject({ url: '/api/v1/me', headers: { authorization } });
      assert.equal(res.statusCode, 401, authorization);
      assert.equal(res.json<Err>().error.code, 'INVALID_TOKEN');
    }
  });

  test('a wrong password creates no token', async () => {
    const user = await signUp(t.app);
    const res = await send(t.app, newJar(), {
      url: '/api/v1/auth/tokens',
      json: { email: user.email, password: 'wrong password here', name: 'x' },
    });
    assert.equal(res.statusCode, 401);
  });
});
