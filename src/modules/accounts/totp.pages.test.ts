// Authenticator-app codes through the real app: turning them on (QR code, confirming code,
// backup codes shown once), the second step of sign-in by page and by API (attempt limit,
// expiry, codes good once, backup codes single use), and turning off or renewing codes, which
// need the password.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp, type TestUser } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';
import { decodeBase32, totp } from './totp.algorithm.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

interface TwoFactorUser extends TestUser {
  secret: Buffer;
  backupCodes: string[];
}

const codeAt = (secret: Buffer, offsetMs = 0) => totp(secret, Date.now() + offsetMs);

function keyOf(html: string): Buffer {
  const match = /<p class="totp-key">([A-Z2-7 ]+)<\/p>/.exec(html);
  assert.ok(match?.[1], 'the setup page shows the key');
  return decodeBase32(match[1]);
}

function backupCodesOf(html: string): string[] {
  return [...html.matchAll(/<code class="backup-codes__code">([a-z2-9-]+)<\/code>/g)].map(
    (m) => m[1] ?? '',
  );
}

async function enableTotp(user: TestUser): Promise<TwoFactorUser> {
  const setup = await send(t.app, user.jar, { url: '/settings/two-factor/setup' });
  assert.equal(setup.statusCode, 200, setup.body.slice(0, 200));
  const secret = keyOf(setup.body);
  const done = await send(t.app, user.jar, {
    url: '/settings/two-factor/setup',
    form: { _csrf: await csrfFor(t.app, user.jar), code: codeAt(secret) },
  });
  assert.equal(done.statusCode, 200);
  return { ...user, secret, backupCodes: backupCodesOf(done.body) };
}

/** The owner's browser after signing out: its device cookie, no session. */
function signedOutBrowser(user: TestUser): Jar {
  const jar = newJar();
  const device = user.jar.cookies.get('mnw_device');
  if (device) jar.cookies.set('mnw_device', device);
  return jar;
}

async function passwordStep(user: TestUser, next = '/library') {
  const jar = signedOutBrowser(user);
  const res = await send(t.app, jar, {
    url: '/login',
    form: { _csrf: '', email: user.email, password: user.password, next },
  });
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, `/login/verify?next=${encodeURIComponent(next)}`);
  return jar;
}

function verify(jar: Jar, code: string, next = '/library') {
  return send(t.app, jar, { url: '/login/verify', form: { _csrf: '', code, next } });
}

async function apiPending(user: TestUser): Promise<string> {
  const res = await send(t.app, signedOutBrowser(user), {
    url: '/api/v1/auth/login',
    json: { email: user.email, password: user.password },
  });
  assert.equal(res.statusCode, 202);
  return res.json<{ pending_token: string }>().pending_token;
}

function apiSecondFactor(pendingToken: string, code: string) {
  return send(t.app, newJar(), {
    url: '/api/v1/auth/login/second-factor',
    json: { pending_token: pendingToken, code },
  });
}

const errorCode = (res: LightMyRequestResponse) =>
  res.json<{ error: { code: string } }>().error.code;

function events(userId: string, type: string) {
  return t.runtime.db
    .selectFrom('security_events')
    .select('details')
    .where('user_id', '=', userId)
    .where('type', '=', type)
    .execute();
}

describe('turning TOTP on', () => {
  test('QR code and key, a wrong code refused, a right one turns it on with 10 backup codes', async () => {
    const user = await signUp(t.app);
    const before = await send(t.app, user.jar, { url: '/settings/security' });
    assert.match(before.body, /id="two-factor"/);
    assert.match(before.body, /href="\/settings\/two-factor\/setup"/);

    const setup = await send(t.app, user.jar, { url: '/settings/two-factor/setup' });
    assert.equal(setup.statusCode, 200);
    assert.equal(setup.headers['cache-control'], 'no-store');
    assert.match(
      setup.body,
      /<img class="totp-qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/,
    );
    const secret = keyOf(setup.body);
    assert.equal(secret.length, 20);
    // Reloading the page keeps the same secret, so an app that scanned it still matches.
    const reload = await send(t.app, user.jar, { url: '/settings/two-factor/setup' });
    assert.deepEqual(keyOf(reload.body), secret);

    const csrf = await csrfFor(t.app, user.jar);
    const wrong = await send(t.app, user.jar, {
      url: '/settings/two-factor/setup',
      form: { _csrf: csrf, code: codeAt(secret, 5 * 60_000) },
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /That code is not right/);
    const stillOff = await t.runtime.db
      .selectFrom('users')
      .select(['totp_enabled_at', 'totp_secret'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.equal(stillOff.totp_enabled_at, null);

    const right = await send(t.app, user.jar, {
      url: '/settings/two-factor/setup',
      form: { _csrf: csrf, code: codeAt(secret) },
    });
    assert.equal(right.statusCode, 200);
    assert.equal(right.headers['cache-control'], 'no-store');
    const codes = backupCodesOf(right.body);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);

    const row = await t.runtime.db
      .selectFrom('users')
      .select(['totp_enabled_at', 'totp_secret'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.totp_enabled_at);
    // Stored sealed, never as the key itself.
    assert.match(row.totp_secret ?? '', /^v1\./);
    assert.ok(!(row.totp_secret ?? '').includes(secret.toString('base64url')));
    const stored = await t.runtime.db
      .selectFrom('totp_backup_codes')
      .select('code_hash')
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(stored.length, 10);
    for (const { code_hash } of stored) {
      assert.ok(!codes.some((c) => code_hash.toString().includes(c.replace('-', ''))));
    }
    assert.equal((await events(user.id, 'totp_enabled')).length, 1);

    const after = await send(t.app, user.jar, { url: '/settings/security' });
    assert.match(after.body, /badge badge--success">On</);
    assert.match(after.body, /10 backup codes left/);
    const again = await send(t.app, user.jar, { url: '/settings/two-factor/setup' });
    assert.equal(again.statusCode, 303);
  });

  test('setup needs a recent password confirmation', async () => {
    const user = await signUp(t.app);
    await t.runtime.db
      .updateTable('sessions')
      .set({ reauthenticated_at: new Date(Date.now() - 3600_000) })
      .where('user_id', '=', user.id)
      .execute();
    const res = await send(t.app, user.jar, { url: '/settings/two-factor/setup' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/settings/reauth?next=%2Fsettings%2Ftwo-factor%2Fsetup');
  });
});

describe('the second step of sign-in, by page', () => {
  test('the password alone is not enough; the code finishes it and goes to next', async () => {
    const user = await enableTotp(await signUp(t.app));
    const jar = await passwordStep(user);
    assert.equal(jar.cookies.has('mnw_session'), false);

    const page = await send(t.app, jar, { url: '/login/verify?next=%2Flibrary' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post" action="\/login\/verify"/);
    assert.match(page.body, /autocomplete="one-time-code"/);

    const wrong = await verify(jar, '000000');
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /4 tries left/);
    assert.equal(jar.cookies.has('mnw_session'), false);

    const ok = await verify(jar, codeAt(user.secret, 30_000));
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/library');
    assert.equal(jar.cookies.has('mnw_pending_login'), false);
    assert.equal((await send(t.app, jar, { url: '/api/v1/me' })).statusCode, 200);
    const failures = await events(user.id, 'sign_in_failed');
    assert.equal(failures.at(-1)?.details.second_factor, true);
  });

  test('a code works once: the same code cannot finish a second sign-in', async () => {
    const user = await enableTotp(await signUp(t.app));
    const code = codeAt(user.secret, 30_000);
    const first = await passwordStep(user);
    assert.equal((await verify(first, code)).statusCode, 303);
    const second = await passwordStep(user);
    assert.equal((await verify(second, code)).statusCode, 422);
    // The setup's own code is spent too.
    assert.equal((await verify(second, codeAt(user.secret))).statusCode, 422);
  });

  test('a next that leaves the site falls back to "/"', async () => {
    const user = await enableTotp(await signUp(t.app));
    const jar = await passwordStep(user, '/');
    const res = await verify(jar, codeAt(user.secret, 30_000), '//evil.example');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
  });

  test('five wrong codes end the pending sign-in', async () => {
    const user = await enableTotp(await signUp(t.app));
    const jar = await passwordStep(user);
    for (let i = 0; i < 4; i++) assert.equal((await verify(jar, '000000')).statusCode, 422);
    const fifth = await verify(jar, '000000');
    assert.equal(fifth.statusCode, 401);
    assert.match(fifth.body, /Sign in again/);
    assert.equal(jar.cookies.has('mnw_pending_login'), false);
    const rows = await t.runtime.db
      .selectFrom('pending_logins')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(rows.length, 0);
  });

  test('an expired pending sign-in is refused even with the right code', async () => {
    const user = await enableTotp(await signUp(t.app));
    const jar = await passwordStep(user);
    await t.runtime.db
      .updateTable('pending_logins')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.id)
      .execute();
    const res = await verify(jar, codeAt(user.secret, 30_000));
    assert.equal(res.statusCode, 401);
    assert.match(res.body, /Sign in again/);
    assert.equal(jar.cookies.has('mnw_session'), false);
    assert.equal(jar.cookies.has('mnw_pending_login'), false);
  });

  test('an expired pending sign-in shows "sign in again" on the verify page too', async () => {
    const user = await enableTotp(await signUp(t.app));
    const jar = await passwordStep(user);
    await t.runtime.db
      .updateTable('pending_logins')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', user.id)
      .execute();
    const page = await send(t.app, jar, { url: '/login/verify?next=%2Flibrary' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Sign in again/);
    assert.match(page.body, /href="\/login\?next=%2Flibrary"/);
  });

  test('without a pending cookie, /login/verify sends the browser to /login', async () => {
    const res = await send(t.app, newJar(), { url: '/login/verify?next=%2Flibrary' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/login?next=%2Flibrary');
  });
});

describe('the second step of sign-in, by API', () => {
  test('the pending token and a code give the user and a session cookie', async () => {
    const user = await enableTotp(await signUp(t.app));
    const pending = await apiPending(user);
    const res = await apiSecondFactor(pending, codeAt(user.secret, 30_000));
    assert.equal(res.statusCode, 200);
    assert.equal(res.json<{ user: { id: string } }>().user.id, user.id);
    const cookie = res.cookies.find((c) => c.name === 'mnw_session');
    assert.equal(cookie?.httpOnly, true);
    // The pending token is spent.
    const again = await apiSecondFactor(pending, codeAt(user.secret, 30_000));
    assert.equal(again.statusCode, 401);
    assert.equal(errorCode(again), 'SECOND_FACTOR_EXPIRED');
  });

  test('attempts are limited to 5 per pending sign-in', async () => {
    const user = await enableTotp(await signUp(t.app));
    const pending = await apiPending(user);
    for (let i = 0; i < 5; i++) {
      const res = await apiSecondFactor(pending, '123456');
      assert.equal(res.statusCode, 401);
      assert.equal(errorCode(res), 'SECOND_FACTOR_INVALID');
    }
    const late = await apiSecondFactor(pending, codeAt(user.secret, 30_000));
    assert.equal(errorCode(late), 'SECOND_FACTOR_EXPIRED');
  });

  test('and to 10 per account, across pending sign-ins', async () => {
    const user = await enableTotp(await signUp(t.app));
    for (let round = 0; round < 2; round++) {
      const pending = await apiPending(user);
      for (let i = 0; i < 5; i++) await apiSecondFactor(pending, '123456');
    }
    const res = await apiSecondFactor(await apiPending(user), codeAt(user.secret, 30_000));
    assert.equal(res.statusCode, 429);
    assert.ok(Number(res.headers['retry-after']) > 0);
  });

  test('a backup code signs in once, and is logged', async () => {
    const user = await enableTotp(await signUp(t.app));
    const code = user.backupCodes[0] ?? '';
    const first = await apiSecondFactor(await apiPending(user), code.toUpperCase());
    assert.equal(first.statusCode, 200);
    const used = await events(user.id, 'backup_code_used');
    assert.deepEqual(
      used.map((e) => e.details),
      [{ remaining: 9 }],
    );
    const second = await apiSecondFactor(await apiPending(user), code);
    assert.equal(second.statusCode, 401);
    assert.equal(errorCode(second), 'SECOND_FACTOR_INVALID');
    const page = await send(t.app, user.jar, { url: '/settings/security' });
    assert.match(page.body, /9 backup codes left/);
  });

  test('a malformed body is a 422', async () => {
    const res = await send(t.app, newJar(), {
      url: '/api/v1/auth/login/second-factor',
      json: { pending_token: 'x' },
    });
    assert.equal(res.statusCode, 422);
  });
});

describe('turning TOTP off and renewing backup codes', () => {
  test('turning off needs the password', async () => {
    const user = await enableTotp(await signUp(t.app));
    const csrf = await csrfFor(t.app, user.jar);
    const missing = await send(t.app, user.jar, {
      url: '/settings/two-factor/disable',
      form: { _csrf: csrf },
    });
    assert.equal(missing.statusCode, 422);
    const wrong = await send(t.app, user.jar, {
      url: '/settings/two-factor/disable',
      form: { _csrf: csrf, password: 'not the password' },
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /That is not your password/);
    const still = await apiPending(user); // still asks for a code
    assert.ok(still);

    const ok = await send(t.app, user.jar, {
      url: '/settings/two-factor/disable',
      form: { _csrf: csrf, password: user.password },
    });
    assert.equal(ok.statusCode, 303);
    assert.equal(ok.headers.location, '/settings/security?done=totp_disabled#two-factor');
    assert.equal((await events(user.id, 'totp_disabled')).length, 1);
    const codes = await t.runtime.db
      .selectFrom('totp_backup_codes')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    assert.equal(codes.length, 0);
    const login = await send(t.app, signedOutBrowser(user), {
      url: '/api/v1/auth/login',
      json: { email: user.email, password: user.password },
    });
    assert.equal(login.statusCode, 200);
  });

  test('new backup codes need the password; the old ones stop working', async () => {
    const user = await enableTotp(await signUp(t.app));
    const csrf = await csrfFor(t.app, user.jar);
    const wrong = await send(t.app, user.jar, {
      url: '/settings/two-factor/backup-codes',
      form: { _csrf: csrf, password: 'not the password' },
    });
    assert.equal(wrong.statusCode, 422);
    const res = await send(t.app, user.jar, {
      url: '/settings/two-factor/backup-codes',
      form: { _csrf: csrf, password: user.password },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    const fresh = backupCodesOf(res.body);
    assert.equal(fresh.length, 10);
    const old = await apiSecondFactor(await apiPending(user), user.backupCodes[0] ?? '');
    assert.equal(old.statusCode, 401);
    const renewed = await apiSecondFactor(await apiPending(user), fresh[0] ?? '');
    assert.equal(renewed.statusCode, 200);
  });

  test('the forms need the CSRF token', async () => {
    const user = await enableTotp(await signUp(t.app));
    const res = await send(t.app, user.jar, {
      url: '/settings/two-factor/disable',
      form: { password: user.password },
    });
    assert.equal(res.statusCode, 403);
  });
});
