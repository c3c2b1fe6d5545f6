// The settings pages as a browser uses them: forms with CSRF fields, 303s and 422s, the
// password prompt before sensitive changes, and escaping of everything users or clients send.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp, type TestUser } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

async function post(jar: Jar, url: string, form: Record<string, string> = {}) {
  return send(t.app, jar, { url, form: { _csrf: await csrfFor(t.app, jar), ...form } });
}

async function signIn(user: TestUser, userAgent?: string) {
  const jar = newJar();
  const res = await send(t.app, jar, {
    url: '/api/v1/auth/login',
    json: { email: user.email, password: user.password },
    ...(userAgent && { headers: { 'user-agent': userAgent } }),
  });
  assert.equal(res.statusCode, 200, res.body);
  return jar;
}

async function sessionIdOf(jar: Jar): Promise<string> {
  const res = await send(t.app, jar, { url: '/api/v1/me/sessions' });
  const current = res
    .json<{ items: { id: string; current: boolean }[] }>()
    .items.find((s) => s.current);
  assert.ok(current);
  return current.id;
}

async function meStatus(jar: Jar) {
  return (await send(t.app, jar, { url: '/api/v1/me' })).statusCode;
}

async function expireReauth(userId: string) {
  await t.runtime.db
    .updateTable('sessions')
    .set({ reauthenticated_at: sql<Date>`now() - interval '11 minutes'` })
    .where('user_id', '=', userId)
    .execute();
}

/** The markup outside attribute values, where a tag would actually be a tag. */
function outsideAttributes(html: string): string {
  return html.replace(/="[^"]*"/g, '=""');
}

describe('settings pages', () => {
  test('need a signed-in user', async () => {
    const res = await send(t.app, newJar(), { url: '/settings/security' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login?next=%2Fsettings%2Fsecurity');
  });

  test('render for a signed-in user, every POST form with its CSRF field', async () => {
    const user = await signUp(t.app);
    for (const url of ['/settings', '/settings/security', '/settings/security-log']) {
      const res = await send(t.app, user.jar, { url });
      assert.equal(res.statusCode, 200, url);
      // GET forms (the header's search) change nothing and carry no token
      const forms = res.body.match(/<form\b[^>]*method="post"/g)?.length ?? 0;
      assert.ok(forms > 0, url);
      const csrfFields = res.body.match(/name="_csrf"/g)?.length ?? 0;
      assert.equal(csrfFields, forms, `${url}: a CSRF field in each form`);
    }
  });

  test('a form without the CSRF token is refused', async () => {
    const user = await signUp(t.app);
    const res = await send(t.app, user.jar, {
      url: '/settings/profile',
      form: { display_name: 'No token' },
    });
    assert.equal(res.statusCode, 403);
  });

  test('hostile user agents, display names and token names are escaped', async () => {
    const user = await signUp(t.app, { display_name: '"><script>alert(1)</script>' });
    await signIn(user, '<script>alert(2)</script><img src=x onerror=alert(3)>');
    const tokenName = '<img src=x onerror=alert(4)>';
    await post(user.jar, '/settings/tokens', { name: tokenName, scopes: 'read' });
    for (const url of ['/settings', '/settings/security', '/settings/security-log']) {
      const res = await send(t.app, user.jar, { url });
      const markup = outsideAttributes(res.body);
      assert.ok(!/<script>alert|<img src=x/.test(markup), `${url} has no injected tags`);
      assert.ok(!res.body.includes('"><script>'), `${url} keeps attributes closed`);
    }
    const security = await send(t.app, user.jar, { url: '/settings/security' });
    assert.ok(security.body.includes('&lt;img src=x onerror=alert(4)'));
  });

  test('invalid input re-renders the form with 422 and what was typed', async () => {
    const user = await signUp(t.app);
    const res = await post(user.jar, '/settings/profile', { display_name: ' ' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /field--invalid/);
    const ok = await post(user.jar, '/settings/profile', { display_name: 'Ada & co' });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/settings?done=profile_saved');
    const page = await send(t.app, user.jar, { url: ok.headers.location });
    assert.ok(page.body.includes('value="Ada & co"'));
    assert.ok(page.body.includes('Your name is saved.'));
  });
});

describe('re-authentication on pages', () => {
  test('sensitive forms send the browser to the password prompt, which sends it back', async () => {
    const user = await signUp(t.app);
    await expireReauth(user.id);
    const locked = await send(t.app, user.jar, { url: '/settings/security' });
    assert.ok(!locked.body.includes('name="new_password"'), 'no password form while locked');
    assert.ok(locked.body.includes('/settings/reauth?next='));

    const refused = await post(user.jar, '/settings/password', { new_password: 'never applied x' });
    assert.equal(refused.statusCode, 303);
    assert.equal(
      refused.headers.location,
      '/settings/reauth?next=%2Fsettings%2Fsecurity%23password',
    );

    const prompt = await send(t.app, user.jar, { url: refused.headers.location });
    assert.equal(prompt.statusCode, 200);
    assert.match(prompt.body, /autocomplete="current-password"/);

    const next = '/settings/security#password';
    const wrong = await post(user.jar, '/settings/reauth', { password: 'nope nope', next });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /field__error/);

    const oldCookie = user.jar.cookies.get('mnw_session');
    const right = await post(user.jar, '/settings/reauth', { password: user.password, next });
    assert.equal(right.statusCode, 303);
    assert.equal(right.headers.location, next);
    assert.notEqual(user.jar.cookies.get('mnw_session'), oldCookie, 'a new session token');
    const stale = newJar();
    stale.cookies.set('mnw_session', oldCookie ?? '');
    assert.equal(await meStatus(stale), 401);

    const open = await send(t.app, user.jar, { url: '/settings/security' });
    assert.ok(open.body.includes('name="new_password"'));
  });

  test('the way back stays on this site', async () => {
    const user = await signUp(t.app);
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const res = await post(user.jar, '/settings/reauth', { password: user.password, next });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/settings', next);
    }
  });
});

describe('password on the security page', () => {
  test('with the box ticked, other sessions end; unticked, they stay', async () => {
    const user = await signUp(t.app);
    const other = await signIn(user);
    const kept = await post(user.jar, '/settings/password', {
      new_password: 'first new passphrase',
    });
    assert.equal(kept.statusCode, 303);
    assert.equal(kept.headers.location, '/settings/security?done=password_changed#password');
    assert.equal(await meStatus(other), 200);

    const ended = await post(user.jar, '/settings/password', {
      new_password: 'second new passphrase',
      end_other_sessions: 'on',
    });
    assert.equal(
      ended.headers.location,
      '/settings/security?done=password_changed_signed_out#password',
    );
    assert.equal(await meStatus(other), 401);
    assert.equal(await meStatus(user.jar), 200);
    const notices = await t.runtime.db
      .selectFrom('mail_messages')
      .select('subject')
      .where('to_address', '=', user.email)
      .where('subject', '=', 'Your password was changed')
      .execute();
    assert.equal(notices.length, 2);
  });

  test('a common password re-renders with the box as it was', async () => {
    const user = await signUp(t.app);
    const res = await post(user.jar, '/settings/password', { new_password: 'password123' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="field-new_password-error"/);
    assert.ok(!/id="field-end_other_sessions"[^>]*checked/.test(res.body));
  });
});

describe('sessions on the security page', () => {
  test('lists device and place, and another account’s session is a 404', async () => {
    const user = await signUp(t.app);
    const stranger = await signUp(t.app);
    await signIn(user, 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0');
    const page = await send(t.app, user.jar, { url: '/settings/security' });
    assert.ok(page.body.includes('Firefox on Linux'));
    assert.ok(page.body.includes('This session'));
    assert.match(page.body, /Local network \(10\./);

    const theirs = await sessionIdOf(stranger.jar);
    const res = await post(user.jar, `/settings/sessions/${theirs}/revoke`);
    assert.equal(res.statusCode, 404);
    assert.equal(await meStatus(stranger.jar), 200);
  });

  test('sign out one, then everywhere else', async () => {
    const user = await signUp(t.app);
    const second = await signIn(user);
    const third = await signIn(user);
    const one = await post(user.jar, `/settings/sessions/${await sessionIdOf(second)}/revoke`);
    assert.equal(one.statusCode, 303);
    assert.equal(await meStatus(second), 401);
    assert.equal(await meStatus(third), 200);

    const rest = await post(user.jar, '/settings/sessions/revoke-others');
    assert.equal(rest.headers.location, '/settings/security?done=sessions_revoked#sessions');
    assert.equal(await meStatus(third), 401);
    assert.equal(await meStatus(user.jar), 200);
    const log = await t.runtime.db
      .selectFrom('security_events')
      .select('type')
      .where('user_id', '=', user.id)
      .where('type', '=', 'other_sessions_revoked')
      .execute();
    assert.equal(log.length, 1);
  });
});

describe('signing out everywhere ends access tokens too', () => {
  async function apiToken(user: TestUser): Promise<Record<string, string>> {
    const res = await send(t.app, newJar(), {
      url: '/api/v1/auth/tokens',
      json: { email: user.email, password: user.password, name: 'script', scopes: ['read'] },
    });
    assert.equal(res.statusCode, 201, res.body);
    return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
  }
  const tokenStatus = async (headers: Record<string, string>) =>
    (await send(t.app, newJar(), { url: '/api/v1/me', headers })).statusCode;

  test('"Sign out everywhere else" revokes every token, and the page says it will', async () => {
    const user = await signUp(t.app);
    const headers = await apiToken(user);
    const page = await send(t.app, user.jar, { url: '/settings/security' });
    assert.match(page.body, /Sign out everywhere else/, 'offered while a token is live');
    assert.match(page.body, /also revokes your 1 access token/);
    const res = await post(user.jar, '/settings/sessions/revoke-others');
    assert.equal(res.statusCode, 303);
    assert.equal(await tokenStatus(headers), 401);
    assert.equal(await meStatus(user.jar), 200, 'the session that asked stays');
    const done = await send(t.app, user.jar, { url: '/settings/security?done=sessions_revoked' });
    assert.match(done.body, /every access token is revoked/);
  });

  test('changing the password with "sign out everywhere else" revokes tokens; without, they stay', async () => {
    const user = await signUp(t.app);
    const headers = await apiToken(user);
    await post(user.jar, '/settings/password', { new_password: 'first new passphrase' });
    assert.equal(await tokenStatus(headers), 200);
    await post(user.jar, '/settings/password', {
      new_password: 'second new passphrase',
      end_other_sessions: 'on',
    });
    assert.equal(await tokenStatus(headers), 401);
  });
});

describe('tokens on the security page', () => {
  test('shown once, stored hashed, revocable only by their owner', async () => {
    const user = await signUp(t.app);
    const stranger = await signUp(t.app);
    const created = await post(user.jar, '/settings/tokens', {
      name: 'deploy',
      scopes: 'read',
    });
    assert.equal(created.statusCode, 200);
    assert.equal(created.headers['cache-control'], 'no-store');
    const token = /mnw_pat_[A-Za-z0-9_-]+/.exec(created.body)?.[0];
    assert.ok(token);
    const listed = await send(t.app, user.jar, { url: '/settings/security' });
    assert.ok(listed.body.includes('deploy'));
    assert.ok(!listed.body.includes(token), 'never shown again');

    const row = await t.runtime.db
      .selectFrom('api_tokens')
      .select(['id', 'scopes'])
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row.scopes, ['read']);
    const byStranger = await post(stranger.jar, `/settings/tokens/${row.id}/revoke`);
    assert.equal(byStranger.statusCode, 404);
    const headers = { authorization: `Bearer ${token}` };
    assert.equal((await send(t.app, newJar(), { url: '/api/v1/me', headers })).statusCode, 200);

    const revoked = await post(user.jar, `/settings/tokens/${row.id}/revoke`);
    assert.equal(revoked.statusCode, 303);
    assert.equal((await send(t.app, newJar(), { url: '/api/v1/me', headers })).statusCode, 401);
  });

  test('a token needs a name and a scope', async () => {
    const user = await signUp(t.app);
    const res = await post(user.jar, '/settings/tokens', { name: 'no scope' });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /id="scopes-error"/);
    assert.ok(res.body.includes('value="no scope"'));
  });
});

describe('email on the account page', () => {
  test('a change request shows as pending until the link is opened', async () => {
    const user = await signUp(t.app);
    const newEmail = `moving-${user.handle}@example.org`;
    const res = await post(user.jar, '/settings/email', { email: newEmail });
    assert.equal(res.statusCode, 303);
    const page = await send(t.app, user.jar, { url: '/settings' });
    assert.ok(page.body.includes(`Waiting for confirmation of ${newEmail}`));
    assert.ok(page.body.includes('Not confirmed'));
  });

  test('the confirmation page shows nothing for a bad link', async () => {
    const res = await send(t.app, newJar(), {
      url: '/confirm-email?token=nonsense-token-that-is-long',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
  });

  test('a new verification link can be sent', async () => {
    const user = await signUp(t.app);
    const res = await post(user.jar, '/settings/email/verify');
    assert.equal(res.statusCode, 303);
    const mails = await t.runtime.db
      .selectFrom('mail_messages')
      .select('subject')
      .where('to_address', '=', user.email)
      .where('subject', '=', 'Confirm your email address')
      .execute();
    assert.equal(mails.length, 2);
  });
});

describe('closing the account from the page', () => {
  test('deactivation signs out and says goodbye', async () => {
    const user = await signUp(t.app);
    const res = await post(user.jar, '/settings/deactivate');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/goodbye?after=deactivated');
    assert.equal(await meStatus(user.jar), 401);
    const bye = await send(t.app, user.jar, { url: res.headers.location });
    assert.equal(bye.statusCode, 200);
  });

  test('deletion needs the handle, then clears the cookie', async () => {
    const user = await signUp(t.app);
    const wrong = await post(user.jar, '/settings/delete', { confirm_handle: 'someone-else' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /id="field-confirm_handle-error"/);
    const right = await post(user.jar, '/settings/delete', { confirm_handle: `@${user.handle}` });
    assert.equal(right.statusCode, 303);
    assert.equal(right.headers.location, '/goodbye?after=deleted');
    assert.ok(!user.jar.cookies.has('mnw_session'));
    const row = await t.runtime.db
      .selectFrom('users')
      .select('status')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'deleted');
  });

  test('deletion without a recent password confirmation asks for it first', async () => {
    const user = await signUp(t.app);
    await expireReauth(user.id);
    const res = await post(user.jar, '/settings/delete', { confirm_handle: user.handle });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/settings/reauth?next=%2Fsettings%23close');
    assert.equal(await meStatus(user.jar), 200);
  });
});
