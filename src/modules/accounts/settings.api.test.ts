// The /me settings API: sessions, tokens, the security log, and the sensitive changes behind
// re-authentication (password, email, deactivation, deletion).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp, uniqueHandle, type TestUser } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';
import { hashToken } from '../../platform/secrets.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

type Err = { error: { code: string; fields?: Record<string, string> } };
interface SessionItem {
  id: string;
  current: boolean;
  device: string;
  place: string;
}
interface TokenItem {
  id: string;
  name: string;
  scopes: string[];
  current: boolean;
}

async function api(
  jar: Jar,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  json?: unknown,
) {
  const headers: Record<string, string> = {};
  if (method !== 'GET' && jar.cookies.size > 0) headers['x-csrf-token'] = await csrfFor(t.app, jar);
  return send(t.app, jar, { method, url: `/api/v1${url}`, json, headers });
}

async function signIn(user: TestUser, userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0') {
  const jar = newJar();
  const res = await send(t.app, jar, {
    url: '/api/v1/auth/login',
    json: { email: user.email, password: user.password },
    headers: { 'user-agent': userAgent },
  });
  assert.equal(res.statusCode, 200, res.body);
  return jar;
}

async function sessionsOf(jar: Jar): Promise<SessionItem[]> {
  const res = await api(jar, 'GET', '/me/sessions');
  assert.equal(res.statusCode, 200);
  return res.json<{ items: SessionItem[]; next_cursor: null }>().items;
}

async function currentSessionId(jar: Jar): Promise<string> {
  const current = (await sessionsOf(jar)).find((s) => s.current);
  assert.ok(current);
  return current.id;
}

async function createToken(user: TestUser, scopes = ['read', 'write']) {
  const res = await send(t.app, newJar(), {
    url: '/api/v1/auth/tokens',
    json: { email: user.email, password: user.password, name: 'test token', scopes },
  });
  assert.equal(res.statusCode, 201);
  return res.json<{ token: string; id: string }>();
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

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

async function mailTo(address: string) {
  return t.runtime.db
    .selectFrom('mail_messages')
    .select(['subject', 'text_body'])
    .where('to_address', '=', address)
    .orderBy('created_at')
    .execute();
}

describe('two accounts cannot see or end each other’s sessions and tokens', () => {
  test('sessions', async () => {
    const alice = await signUp(t.app);
    const bob = await signUp(t.app);
    const bobSession = await currentSessionId(bob.jar);
    const aliceSessions = await sessionsOf(alice.jar);
    assert.equal(aliceSessions.length, 1);
    assert.ok(!aliceSessions.some((s) => s.id === bobSession));

    const res = await api(alice.jar, 'DELETE', `/me/sessions/${bobSession}`);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json<Err>().error.code, 'NOT_FOUND');
    assert.equal((await api(alice.jar, 'DELETE', '/me/sessions/not-a-uuid')).statusCode, 404);
    assert.equal(await meStatus(bob.jar), 200);
  });

  test('tokens', async () => {
    const alice = await signUp(t.app);
    const bob = await signUp(t.app);
    const bobToken = await createToken(bob);
    const list = await api(alice.jar, 'GET', '/me/tokens');
    assert.deepEqual(list.json<{ items: TokenItem[] }>().items, []);

    const res = await api(alice.jar, 'DELETE', `/me/tokens/${bobToken.id}`);
    assert.equal(res.statusCode, 404);
    const viaToken = await send(t.app, newJar(), {
      url: '/api/v1/me',
      headers: bearer(bobToken.token),
    });
    assert.equal(viaToken.statusCode, 200);
  });
});

describe('sessions', () => {
  test('the list names the device and place and marks the caller’s own', async () => {
    const user = await signUp(t.app);
    const phone = await signIn(
      user,
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    );
    const items = await sessionsOf(phone);
    assert.equal(items.length, 2);
    const mine = items.find((s) => s.current);
    assert.ok(mine);
    assert.equal(mine.device, 'Safari on iPhone');
    assert.match(mine.place, /^Local network \(10\./);
    assert.equal(items[0]?.current, true, 'the caller’s session comes first');
  });

  test('revoking one ends exactly that session', async () => {
    const user = await signUp(t.app);
    const other = await signIn(user);
    const otherId = await currentSessionId(other);
    const res = await api(user.jar, 'DELETE', `/me/sessions/${otherId}`);
    assert.equal(res.statusCode, 204);
    assert.equal(await meStatus(other), 401);
    assert.equal(await meStatus(user.jar), 200);
    assert.equal((await api(user.jar, 'DELETE', `/me/sessions/${otherId}`)).statusCode, 404);
  });

  test('revoking the caller’s own session signs it out', async () => {
    const user = await signUp(t.app);
    const own = await currentSessionId(user.jar);
    const res = await api(user.jar, 'DELETE', `/me/sessions/${own}`);
    assert.equal(res.statusCode, 204);
    assert.equal(await meStatus(user.jar), 401);
  });

  test('sign out everywhere else keeps the current session only', async () => {
    const user = await signUp(t.app);
    const second = await signIn(user);
    const third = await signIn(user);
    const res = await api(user.jar, 'POST', '/me/sessions/revoke-others');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { revoked: 2, revoked_tokens: 0 });
    assert.equal(await meStatus(second), 401);
    assert.equal(await meStatus(third), 401);
    assert.equal(await meStatus(user.jar), 200);
    assert.equal((await sessionsOf(user.jar)).length, 1);
  });

  test('it revokes access tokens too, except the token that asks', async () => {
    const user = await signUp(t.app);
    const [first, second, caller] = [
      await createToken(user),
      await createToken(user, ['read']),
      await createToken(user),
    ];
    const bySession = await api(user.jar, 'POST', '/me/sessions/revoke-others');
    assert.deepEqual(bySession.json(), { revoked: 0, revoked_tokens: 3 });
    for (const token of [first, second, caller]) {
      const me = await send(t.app, newJar(), { url: '/api/v1/me', headers: bearer(token.token) });
      assert.equal(me.statusCode, 401);
    }
    const [a, b] = [await createToken(user), await createToken(user)];
    const byToken = await send(t.app, newJar(), {
      method: 'POST',
      url: '/api/v1/me/sessions/revoke-others',
      headers: bearer(a.token),
    });
    assert.deepEqual(byToken.json(), { revoked: 1, revoked_tokens: 1 });
    const status = async (token: string) =>
      (await send(t.app, newJar(), { url: '/api/v1/me', headers: bearer(token) })).statusCode;
    assert.deepEqual([await status(a.token), await status(b.token)], [200, 401]);
  });

  test('changes need the write scope', async () => {
    const user = await signUp(t.app);
    const readOnly = await createToken(user, ['read']);
    const res = await send(t.app, newJar(), {
      method: 'POST',
      url: '/api/v1/me/sessions/revoke-others',
      headers: bearer(readOnly.token),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json<Err>().error.code, 'INSUFFICIENT_SCOPE');
  });
});

describe('tokens', () => {
  test('listed without secrets, revocable, and a revoked token is a 401', async () => {
    const user = await signUp(t.app);
    const created = await createToken(user);
    const viaToken = await send(t.app, newJar(), {
      url: '/api/v1/me/tokens',
      headers: bearer(created.token),
    });
    const items = viaToken.json<{ items: TokenItem[] }>().items;
    assert.equal(items.length, 1);
    assert.equal(items[0]?.current, true);
    assert.ok(!viaToken.body.includes(created.token));

    const stored = await t.runtime.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored.token_hash, hashToken(created.token));
    assert.ok(!JSON.stringify(stored).includes(created.token.slice(8)));

    assert.equal((await api(user.jar, 'DELETE', `/me/tokens/${created.id}`)).statusCode, 204);
    const after = await send(t.app, newJar(), {
      url: '/api/v1/me',
      headers: bearer(created.token),
    });
    assert.equal(after.statusCode, 401);
    assert.equal(after.json<Err>().error.code, 'INVALID_TOKEN');
    assert.equal((await api(user.jar, 'DELETE', `/me/tokens/${created.id}`)).statusCode, 404);
  });
});

describe('re-authentication', () => {
  test('a fresh sign-in counts; after 10 minutes the password is needed again', async () => {
    const user = await signUp(t.app);
    const fresh = await api(user.jar, 'PATCH', '/me', { display_name: 'Fresh' });
    assert.equal(fresh.statusCode, 200, 'not sensitive: no re-authentication needed');

    const recent = await api(user.jar, 'POST', '/me/email', {
      email: `recent-${user.email}`,
    });
    assert.equal(recent.statusCode, 202, 'signed up moments ago: recent enough');

    await expireReauth(user.id);
    const stale = await api(user.jar, 'POST', '/me/email', { email: `stale-${user.email}` });
    assert.equal(stale.statusCode, 403);
    assert.equal(stale.json<Err>().error.code, 'REAUTH_REQUIRED');

    const wrong = await api(user.jar, 'POST', '/me/email', {
      email: `stale-${user.email}`,
      current_password: 'not my password',
    });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json<Err>().error.code, 'PASSWORD_INCORRECT');

    const right = await api(user.jar, 'POST', '/me/email', {
      email: `stale-${user.email}`,
      current_password: user.password,
    });
    assert.equal(right.statusCode, 202);
  });

  test('bearer tokens always need current_password', async () => {
    const user = await signUp(t.app);
    const { token } = await createToken(user);
    const res = await send(t.app, newJar(), {
      url: '/api/v1/me/deactivate',
      json: {},
      headers: bearer(token),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json<Err>().error.code, 'REAUTH_REQUIRED');
  });

  test('wrong passwords are limited per account and logged', async () => {
    const user = await signUp(t.app);
    const { token } = await createToken(user);
    let last = 0;
    for (let i = 0; i < 11; i += 1) {
      const res = await send(t.app, newJar(), {
        url: '/api/v1/me/deactivate',
        json: { current_password: `wrong guess ${i}` },
        headers: bearer(token),
      });
      last = res.statusCode;
      if (i < 10) assert.equal(res.statusCode, 403);
    }
    assert.equal(last, 429);
    const failures = await t.runtime.db
      .selectFrom('security_events')
      .select('id')
      .where('user_id', '=', user.id)
      .where('type', '=', 'sign_in_failed')
      .execute();
    assert.equal(failures.length, 10);
  });
});

describe('changing the password', () => {
  test('ends the other sessions and tokens by default, keeps this one, and mails a notice', async () => {
    const user = await signUp(t.app);
    const other = await signIn(user);
    const token = await createToken(user);
    const res = await api(user.jar, 'POST', '/me/password', {
      current_password: user.password,
      new_password: 'a brand new long passphrase',
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { ended_sessions: 1, revoked_tokens: 1 });
    assert.equal(await meStatus(other), 401);
    const viaToken = await send(t.app, newJar(), {
      url: '/api/v1/me',
      headers: bearer(token.token),
    });
    assert.equal(viaToken.statusCode, 401);
    assert.equal(await meStatus(user.jar), 200);
    const notices = await mailTo(user.email);
    assert.ok(notices.some((m) => m.subject === 'Your password was changed'));

    const oldLogin = await send(t.app, newJar(), {
      url: '/api/v1/auth/login',
      json: { email: user.email, password: user.password },
    });
    assert.equal(oldLogin.statusCode, 401);
    const newLogin = await send(t.app, newJar(), {
      url: '/api/v1/auth/login',
      json: { email: user.email, password: 'a brand new long passphrase' },
    });
    assert.equal(newLogin.statusCode, 200);
  });

  test('can keep the other sessions', async () => {
    const user = await signUp(t.app);
    const other = await signIn(user);
    const res = await api(user.jar, 'POST', '/me/password', {
      current_password: user.password,
      new_password: 'another brand new passphrase',
      end_other_sessions: false,
    });
    assert.deepEqual(res.json(), { ended_sessions: 0, revoked_tokens: 0 });
    assert.equal(await meStatus(other), 200);
  });

  test('the new password follows the sign-up rules', async () => {
    const user = await signUp(t.app);
    const res = await api(user.jar, 'POST', '/me/password', {
      current_password: user.password,
      new_password: 'password123',
    });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json<Err>().error.code, 'PASSWORD_TOO_COMMON');
    assert.ok(res.json<Err>().error.fields?.new_password);
  });
});

function linkIn(text: string): string {
  const match = /\/confirm-email\?token=([A-Za-z0-9_-]+)/.exec(text);
  assert.ok(match?.[1], 'a confirmation link');
  return match[1];
}

describe('changing the email address', () => {
  test('a link goes to the new address; opening it changes the email and tells the old one', async () => {
    const user = await signUp(t.app);
    const newEmail = `new-${user.handle}@example.org`;
    const res = await api(user.jar, 'POST', '/me/email', {
      current_password: user.password,
      email: newEmail,
    });
    assert.equal(res.statusCode, 202);
    const me = await send(t.app, user.jar, { url: '/api/v1/me' });
    assert.equal(me.json<{ user: { email: string } }>().user.email, user.email, 'not yet');

    const [mail] = await mailTo(newEmail);
    assert.equal(mail?.subject, 'Confirm your new email address');
    const token = linkIn(mail.text_body);

    const page = await send(t.app, user.jar, { url: `/confirm-email?token=${token}` });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(newEmail));
    const confirm = await send(t.app, user.jar, {
      url: '/confirm-email',
      form: { token, _csrf: await csrfFor(t.app, user.jar) },
    });
    assert.equal(confirm.statusCode, 303);
    assert.equal(confirm.headers.location, '/settings?done=email_changed#email');

    const after = await send(t.app, user.jar, { url: '/api/v1/me' });
    const changed = after.json<{ user: { email: string; email_verified: boolean } }>().user;
    assert.equal(changed.email, newEmail);
    assert.equal(changed.email_verified, true);
    const notices = await mailTo(user.email);
    const notice = notices.find((m) => m.subject === 'Your account email was changed');
    assert.ok(notice?.text_body.includes(newEmail));

    const again = await send(t.app, newJar(), { url: '/confirm-email', form: { token } });
    assert.equal(again.statusCode, 400, 'single use');
  });

  test('an address another account uses is refused, also when taken before confirming', async () => {
    const user = await signUp(t.app);
    const other = await signUp(t.app);
    const taken = await api(user.jar, 'POST', '/me/email', {
      current_password: user.password,
      email: other.email.toUpperCase(),
    });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json<Err>().error.code, 'EMAIL_TAKEN');

    const wanted = `race-${user.handle}@example.org`;
    await api(user.jar, 'POST', '/me/email', { current_password: user.password, email: wanted });
    const [mail] = await mailTo(wanted);
    const token = linkIn(mail?.text_body ?? '');
    await signUp(t.app, { email: wanted, handle: uniqueHandle() });
    const confirm = await send(t.app, newJar(), { url: '/confirm-email', form: { token } });
    assert.equal(confirm.statusCode, 409);
    const row = await t.runtime.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.email, user.email);
  });
});

describe('deactivation', () => {
  test('ends every session and token; signing in again reactivates', async () => {
    const user = await signUp(t.app);
    const { token } = await createToken(user);
    const res = await api(user.jar, 'POST', '/me/deactivate', {
      current_password: user.password,
    });
    assert.equal(res.statusCode, 204);
    assert.equal(await meStatus(user.jar), 401);
    const viaToken = await send(t.app, newJar(), { url: '/api/v1/me', headers: bearer(token) });
    assert.equal(viaToken.statusCode, 401);
    const row = await t.runtime.db
      .selectFrom('users')
      .select('status')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'deactivated');

    const jar = await signIn(user);
    assert.equal(await meStatus(jar), 200);
    const back = await t.runtime.db
      .selectFrom('users')
      .select('status')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(back.status, 'active');
  });
});

describe('deletion', () => {
  test('needs the handle typed out', async () => {
    const user = await signUp(t.app);
    const res = await api(user.jar, 'DELETE', '/me', {
      current_password: user.password,
      confirm_handle: `${user.handle}x`,
    });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json<Err>().error.code, 'HANDLE_MISMATCH');
    assert.equal(await meStatus(user.jar), 200);
  });

  test('removes the personal data, ends every session, and frees the email and handle', async () => {
    const user = await signUp(t.app, { display_name: 'Personal Name' });
    await signIn(user);
    await createToken(user);
    const res = await api(user.jar, 'DELETE', '/me', {
      current_password: user.password,
      confirm_handle: user.handle.toUpperCase(),
    });
    assert.equal(res.statusCode, 204);
    assert.equal(await meStatus(user.jar), 401);

    const row = await t.runtime.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'deleted');
    assert.equal(row.email, `deleted-${user.id}@deleted.invalid`);
    assert.equal(row.display_name, 'Deleted account');
    assert.equal(row.handle, `deleted-${user.id.replace(/-/g, '').slice(0, 12)}`);
    assert.equal(row.password_hash, null);
    assert.equal(row.totp_secret, null);
    assert.equal(row.email_verified_at, null);
    for (const table of [
      'sessions',
      'api_tokens',
      'passkeys',
      'totp_backup_codes',
      'known_devices',
      'email_tokens',
      'webauthn_challenges',
      'pending_logins',
      'security_events',
    ] as const) {
      const rows = await t.runtime.db
        .selectFrom(table)
        .select('user_id')
        .where('user_id', '=', user.id)
        .execute();
      assert.equal(rows.length, 0, `${table} is empty`);
    }
    const mail = await t.runtime.db
      .selectFrom('mail_messages')
      .select('id')
      .where('to_address', '=', user.email)
      .execute();
    assert.equal(mail.length, 0, 'mail to the deleted address is forgotten');

    const login = await send(t.app, newJar(), {
      url: '/api/v1/auth/login',
      json: { email: user.email, password: user.password },
    });
    assert.equal(login.statusCode, 401);
    const again = await send(t.app, newJar(), {
      url: '/api/v1/auth/signup',
      json: { email: user.email, password: 'a completely new start', handle: user.handle },
    });
    assert.equal(again.statusCode, 201, again.body);
  });
});

describe('the security log', () => {
  test('lists the account’s events, newest first', async () => {
    const user = await signUp(t.app);
    await createToken(user);
    await api(user.jar, 'POST', '/me/password', {
      current_password: user.password,
      new_password: 'log this change please',
      end_other_sessions: false,
    });
    await api(user.jar, 'POST', '/me/sessions/revoke-others');
    const res = await api(user.jar, 'GET', '/me/security-log');
    const body = res.json<{ items: { type: string; device: string }[]; next_cursor: null }>();
    assert.deepEqual(
      body.items.map((e) => e.type),
      ['other_sessions_revoked', 'password_changed', 'token_created', 'signed_up'],
    );
    assert.equal(body.next_cursor, null);
    const other = await signUp(t.app);
    const theirs = await api(other.jar, 'GET', '/me/security-log');
    assert.deepEqual(
      theirs.json<{ items: { type: string }[] }>().items.map((e) => e.type),
      ['signed_up'],
    );
  });

  test('display names are validated', async () => {
    const user = await signUp(t.app);
    const res = await api(user.jar, 'PATCH', '/me', { display_name: '   ' });
    assert.equal(res.statusCode, 422);
    assert.ok(res.json<Err>().error.fields?.display_name);
  });
});
