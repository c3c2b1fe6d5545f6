// The sign-in and sign-out pages through the real app: where a sign-in may send the browser,
// the one answer for every failure, the second-factor hand-off, and sign-out's CSRF guard.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp, type TestUser } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

function signIn(jar: Jar, form: Record<string, string>) {
  return send(t.app, jar, { url: '/login', form: { _csrf: '', ...form } });
}

/** The user's own browser, signed out: its device cookie, no session. */
function signedOutBrowser(user: TestUser): Jar {
  const jar = newJar();
  const device = user.jar.cookies.get('mnw_device');
  if (device) jar.cookies.set('mnw_device', device);
  return jar;
}

describe('GET /login', () => {
  test('shows the form with its links, the passkey slot and a checked next', async () => {
    const res = await send(t.app, newJar(), { url: '/login?next=%2F%2Fevil.example' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<form method="post" action="\/login"/);
    assert.match(res.body, /href="\/forgot-password"/);
    assert.match(res.body, /href="\/join"/);
    assert.match(res.body, /<div id="passkey-signin"><\/div>/);
    assert.match(res.body, /<input type="hidden" name="next" value="\/"\/>/);
    assert.match(res.body, /autocomplete="current-password"/);
  });

  test('a signed-in user is sent on: to a safe next, or home', async () => {
    const user = await signUp(t.app);
    const home = await send(t.app, user.jar, { url: '/login' });
    assert.equal(home.statusCode, 303);
    assert.equal(home.headers.location, '/');
    const next = await send(t.app, user.jar, { url: '/login?next=%2Flibrary' });
    assert.equal(next.headers.location, '/library');
    const evil = await send(t.app, user.jar, { url: '/login?next=https%3A%2F%2Fevil.example' });
    assert.equal(evil.headers.location, '/');
  });

  test('notices after a reset and an unlock', async () => {
    const reset = await send(t.app, newJar(), { url: '/login?reset=1' });
    assert.match(reset.body, /class="notice notice--success" role="status"/);
    assert.match(reset.body, /Your password was changed/);
    const unlocked = await send(t.app, newJar(), { url: '/login?unlocked=1' });
    assert.match(unlocked.body, /Sign-ins are unlocked/);
  });
});

describe('POST /login', () => {
  test('the right password signs in with a new session and goes to next', async () => {
    const user = await signUp(t.app);
    const jar = signedOutBrowser(user);
    const res = await signIn(jar, { email: user.email, password: user.password, next: '/library' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/library');
    const cookie = res.cookies.find((c) => c.name === 'mnw_session');
    assert.ok(cookie);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.notEqual(cookie.value, user.jar.cookies.get('mnw_session'));
    assert.equal((await send(t.app, jar, { url: '/api/v1/me' })).statusCode, 200);
  });

  test('a next that leaves the site falls back to "/"', async () => {
    const user = await signUp(t.app);
    const hostile = [
      '//evil.example',
      'https://evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'javascript:alert(1)',
      'evil.example',
      '',
    ];
    for (const next of hostile) {
      const res = await signIn(signedOutBrowser(user), {
        email: user.email,
        password: user.password,
        next,
      });
      assert.equal(res.statusCode, 303, JSON.stringify(next));
      assert.equal(res.headers.location, '/', JSON.stringify(next));
    }
  });

  test('a wrong password and an unknown email get the same 422 page, keeping the email', async () => {
    const user = await signUp(t.app);
    const wrong = await signIn(newJar(), { email: user.email, password: 'not the password' });
    const unknownEmail = `nobody-${user.handle}@example.com`;
    const unknown = await signIn(newJar(), { email: unknownEmail, password: 'not the password' });
    assert.equal(wrong.statusCode, 422);
    assert.equal(unknown.statusCode, 422);
    assert.match(
      wrong.body,
      new RegExp(`id="field-email" name="email" type="email" value="${user.email}"`),
    );
    assert.ok(!wrong.body.includes('not the password'), 'the password is never echoed');
    assert.match(wrong.body, /<div class="form-problem" id="form-problem" tabindex="-1" autofocus/);
    assert.equal(
      wrong.body.replaceAll(user.email, 'EMAIL'),
      unknown.body.replaceAll(unknownEmail, 'EMAIL'),
    );
    assert.equal(
      wrong.cookies.find((c) => c.name === 'mnw_session'),
      undefined,
    );
  });

  test('missing fields are a 422 naming them', async () => {
    const res = await signIn(newJar(), { email: '', password: '' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /href="#field-email"/);
    assert.match(res.body, /href="#field-password"/);
  });

  test('sign-ins per account are limited: 429 with Retry-After', async () => {
    const user = await signUp(t.app);
    let last;
    for (let i = 0; i < 11; i++) {
      last = await signIn(newJar(), { email: user.email, password: `guess ${i}` });
    }
    assert.ok(last);
    assert.equal(last.statusCode, 429);
    assert.ok(Number(last.headers['retry-after']) > 0);
    assert.match(last.body, /class="form-problem"/);
  });

  test('an account with two-factor gets a short-lived pending cookie and the verify page', async () => {
    const user = await signUp(t.app);
    await t.runtime.db
      .updateTable('users')
      .set({ totp_enabled_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    const res = await signIn(signedOutBrowser(user), {
      email: user.email,
      password: user.password,
      next: '/library',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login/verify?next=%2Flibrary');
    assert.equal(
      res.cookies.find((c) => c.name === 'mnw_session'),
      undefined,
    );
    const pending = res.cookies.find((c) => c.name === 'mnw_pending_login');
    assert.ok(pending);
    assert.equal(pending.httpOnly, true);
    assert.equal(pending.sameSite, 'Lax');
    assert.equal(pending.maxAge, 300);
    assert.equal(pending.path, '/');
    assert.ok(pending.value.length >= 40);
  });
});

describe('POST /logout', () => {
  test('needs the CSRF token with a session; then ends the session and goes home', async () => {
    const user = await signUp(t.app);
    const refused = await send(t.app, user.jar, { url: '/logout', form: { _csrf: '' } });
    assert.equal(refused.statusCode, 403);
    assert.equal((await send(t.app, user.jar, { url: '/api/v1/me' })).statusCode, 200);

    const session = user.jar.cookies.get('mnw_session');
    assert.ok(session);
    const token = await csrfFor(t.app, user.jar);
    const res = await send(t.app, user.jar, { url: '/logout', form: { _csrf: token } });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    assert.equal(user.jar.cookies.has('mnw_session'), false, 'the cookie is cleared');
    const replay = newJar();
    replay.cookies.set('mnw_session', session);
    assert.equal((await send(t.app, replay, { url: '/api/v1/me' })).statusCode, 401);
    const events = await t.runtime.db
      .selectFrom('security_events')
      .select('type')
      .where('user_id', '=', user.id)
      .execute();
    assert.ok(events.some((e) => e.type === 'signed_out'));
  });

  test('without a session it only clears the cookie', async () => {
    const res = await send(t.app, newJar(), { url: '/logout', form: {} });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
  });

  test('a cross-site sign-out is refused', async () => {
    const user = await signUp(t.app);
    const token = await csrfFor(t.app, user.jar);
    const res = await send(t.app, user.jar, {
      url: '/logout',
      form: { _csrf: token },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(res.statusCode, 403);
  });
});
