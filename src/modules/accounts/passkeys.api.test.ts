// Passkeys end to end over HTTP with a software authenticator: registration, sign-in with a
// passkey alone, the ceremony's checks (challenge, origin, user verification, counter), the
// limits, and that one account can never see, rename or remove another's passkeys.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp, type TestUser } from '../../../test/helpers/factories.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';
import { SoftAuthenticator } from '../../../test/helpers/soft-authenticator.js';

let t: TestApp;
const ORIGIN = 'http://localhost:3000';

before(async () => {
  t = await createTestApp();
});
after(() => t.close());

interface Started<T> {
  challenge_id: string;
  options: T;
}
type CreationOptions = Parameters<SoftAuthenticator['register']>[0] & {
  authenticatorSelection?: { residentKey?: string; userVerification?: string };
  excludeCredentials?: { id: string }[];
};
type RequestOptions = Parameters<SoftAuthenticator['authenticate']>[0] & {
  userVerification?: string;
};
interface PasskeyJson {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  backed_up: boolean;
}

async function post(
  jar: Jar,
  url: string,
  json: unknown,
  method: 'POST' | 'PATCH' | 'DELETE' = 'POST',
) {
  const headers: Record<string, string> = {};
  if (jar.cookies.has('mnw_session')) headers['x-csrf-token'] = await csrfFor(t.app, jar);
  return send(t.app, jar, { method, url, json, headers });
}

async function registrationOptions(user: TestUser) {
  const res = await post(user.jar, '/api/v1/me/passkeys/options', {});
  assert.equal(res.statusCode, 200, res.body);
  return res.json<Started<CreationOptions>>();
}

async function addPasskey(user: TestUser, authenticator: SoftAuthenticator, name?: string) {
  const started = await registrationOptions(user);
  const response = authenticator.register(started.options);
  const res = await post(user.jar, '/api/v1/me/passkeys', {
    challenge_id: started.challenge_id,
    response,
    ...(name !== undefined && { name }),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{ passkey: PasskeyJson }>().passkey;
}

async function signInOptions(jar: Jar) {
  const res = await post(jar, '/api/v1/auth/passkey/options', {});
  assert.equal(res.statusCode, 200, res.body);
  return res.json<Started<RequestOptions>>();
}

async function passkeySignIn(authenticator: SoftAuthenticator, jar = newJar()) {
  const started = await signInOptions(jar);
  const response = authenticator.authenticate(started.options);
  const res = await post(jar, '/api/v1/auth/passkey', {
    challenge_id: started.challenge_id,
    response,
  });
  return { res, jar, started, response };
}

function events(userId: string, type: string) {
  return t.runtime.db
    .selectFrom('security_events')
    .select(['type', 'details'])
    .where('user_id', '=', userId)
    .where('type', '=', type)
    .execute();
}

describe('adding a passkey', () => {
  test('options ask for a discoverable credential on our RP ID; the answer is verified and stored', async () => {
    const user = await signUp(t.app);
    const started = await registrationOptions(user);
    assert.match(started.challenge_id, /^[0-9a-f-]{36}$/);
    assert.equal(started.options.rp.id, 'localhost');
    assert.equal(started.options.authenticatorSelection?.residentKey, 'required');
    assert.equal(started.options.authenticatorSelection.userVerification, 'preferred');
    assert.deepEqual(started.options.excludeCredentials, []);
    assert.equal(Buffer.from(started.options.user.id, 'base64url').toString(), user.id);

    const authenticator = new SoftAuthenticator(ORIGIN);
    const res = await post(user.jar, '/api/v1/me/passkeys', {
      challenge_id: started.challenge_id,
      response: authenticator.register(started.options),
    });
    assert.equal(res.statusCode, 201, res.body);
    const { passkey } = res.json<{ passkey: PasskeyJson }>();
    assert.equal(passkey.name, 'Passkey 1');
    assert.equal(passkey.last_used_at, null);

    const list = await send(t.app, user.jar, { url: '/api/v1/me/passkeys' });
    assert.deepEqual(
      list.json<{ items: PasskeyJson[]; next_cursor: null }>().items.map((p) => p.id),
      [passkey.id],
    );
    assert.deepEqual(
      (await events(user.id, 'passkey_added')).map((e) => e.details),
      [{ name: 'Passkey 1' }],
    );
  });

  test('names: the one given, the provider known by its AAGUID, or "Passkey N"', async () => {
    const user = await signUp(t.app);
    const named = await addPasskey(user, new SoftAuthenticator(ORIGIN), '  Work laptop ');
    assert.equal(named.name, 'Work laptop');
    const icloud = new SoftAuthenticator(ORIGIN);
    icloud.aaguid = Buffer.from('fbfc3007154e4ecc8c0b6e020557d7bd', 'hex');
    assert.equal((await addPasskey(user, icloud)).name, 'iCloud Keychain');
    assert.equal((await addPasskey(user, new SoftAuthenticator(ORIGIN))).name, 'Passkey 3');
  });

  test('the same authenticator is excluded the second time, and a replayed answer is refused', async () => {
    const user = await signUp(t.app);
    const authenticator = new SoftAuthenticator(ORIGIN);
    const first = await registrationOptions(user);
    const answer = authenticator.register(first.options);
    const ok = await post(user.jar, '/api/v1/me/passkeys', {
      challenge_id: first.challenge_id,
      response: answer,
    });
    assert.equal(ok.statusCode, 201);
    const again = await post(user.jar, '/api/v1/me/passkeys', {
      challenge_id: first.challenge_id,
      response: answer,
    });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json<{ error: { code: string } }>().error.code, 'CHALLENGE_EXPIRED');

    const second = await registrationOptions(user);
    assert.deepEqual(
      second.options.excludeCredentials?.map((c) => c.id),
      [answer.id],
    );
    assert.throws(() => authenticator.register(second.options), { name: 'InvalidStateError' });
  });

  test('an answer for another origin, or to an expired challenge, is refused', async () => {
    const user = await signUp(t.app);
    const authenticator = new SoftAuthenticator(ORIGIN);
    const started = await registrationOptions(user);
    const phished = await post(user.jar, '/api/v1/me/passkeys', {
      challenge_id: started.challenge_id,
      response: authenticator.register(started.options, { origin: 'https://evil.example' }),
    });
    assert.equal(phished.statusCode, 400);
    assert.equal(phished.json<{ error: { code: string } }>().error.code, 'PASSKEY_INVALID');

    const late = await registrationOptions(user);
    await t.runtime.db
      .updateTable('webauthn_challenges')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', late.challenge_id)
      .execute();
    const expired = await post(user.jar, '/api/v1/me/passkeys', {
      challenge_id: late.challenge_id,
      response: authenticator.register(late.options),
    });
    assert.equal(expired.statusCode, 400);
    assert.equal(expired.json<{ error: { code: string } }>().error.code, 'CHALLENGE_EXPIRED');
    const list = await send(t.app, user.jar, { url: '/api/v1/me/passkeys' });
    assert.equal(list.json<{ items: unknown[] }>().items.length, 0);
  });

  test('needs a recent sign-in or the password, a browser session, and the CSRF token', async () => {
    const user = await signUp(t.app);
    await t.runtime.db
      .updateTable('sessions')
      .set({ reauthenticated_at: new Date(Date.now() - 3600_000) })
      .where('user_id', '=', user.id)
      .execute();
    const stale = await post(user.jar, '/api/v1/me/passkeys/options', {});
    assert.equal(stale.statusCode, 403);
    assert.equal(stale.json<{ error: { code: string } }>().error.code, 'REAUTH_REQUIRED');
    const wrong = await post(user.jar, '/api/v1/me/passkeys/options', {
      current_password: 'not my password',
    });
    assert.equal(wrong.json<{ error: { code: string } }>().error.code, 'PASSWORD_INCORRECT');
    const right = await post(user.jar, '/api/v1/me/passkeys/options', {
      current_password: user.password,
    });
    assert.equal(right.statusCode, 200);

    const noCsrf = await send(t.app, user.jar, { url: '/api/v1/me/passkeys/options', json: {} });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json<{ error: { code: string } }>().error.code, 'CSRF_TOKEN_INVALID');

    const created = await send(t.app, newJar(), {
      url: '/api/v1/auth/tokens',
      json: { email: user.email, password: user.password, name: 'script' },
    });
    const { token } = created.json<{ token: string }>();
    const viaToken = await send(t.app, newJar(), {
      url: '/api/v1/me/passkeys/options',
      json: { current_password: user.password },
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(viaToken.statusCode, 403);
    assert.equal(viaToken.json<{ error: { code: string } }>().error.code, 'SESSION_REQUIRED');
  });

  test('at most 20 per account: the 21st is a 409', async () => {
    const user = await signUp(t.app);
    await t.runtime.db
      .insertInto('passkeys')
      .values(
        Array.from({ length: 20 }, (_, i) => ({
          user_id: user.id,
          credential_id: `cred-${user.id}-${i}`,
          public_key: Buffer.from('x'),
          name: `Key ${i}`,
        })),
      )
      .execute();
    const res = await post(user.jar, '/api/v1/me/passkeys/options', {});
    assert.equal(res.statusCode, 409);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'PASSKEY_LIMIT_REACHED');
    const page = await send(t.app, user.jar, { url: '/settings/security' });
    assert.match(page.body, /the most an account can have/);
  });
});

describe('signing in with a passkey alone', () => {
  test('a discoverable credential signs in, with no email, and skips TOTP', async () => {
    const user = await signUp(t.app);
    const authenticator = new SoftAuthenticator(ORIGIN);
    const passkey = await addPasskey(user, authenticator);
    await t.runtime.db
      .updateTable('users')
      .set({ totp_enabled_at: new Date(), totp_secret: 'v1.x.y.z' })
      .where('id', '=', user.id)
      .execute();

    const { res, jar, started } = await passkeySignIn(authenticator);
    assert.equal(started.options.allowCredentials, undefined);
    assert.equal(started.options.userVerification, 'preferred');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json<{ user: { id: string } }>().user.id, user.id);
    const cookie = res.cookies.find((c) => c.name === 'mnw_session');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    const me = await send(t.app, jar, { url: '/api/v1/me' });
    assert.equal(me.statusCode, 200);

    const session = await t.runtime.db
      .selectFrom('sessions')
      .select('method')
      .where('user_id', '=', user.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(session.method, 'passkey');
    const row = await t.runtime.db
      .selectFrom('passkeys')
      .select(['counter', 'last_used_at'])
      .where('id', '=', passkey.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.counter, 1);
    assert.ok(row.last_used_at);
    const signedIn = await events(user.id, 'signed_in');
    assert.equal(signedIn.at(-1)?.details.method, 'passkey');
  });

  test('a replayed assertion, a cloned counter, another origin, no user verification: refused', async () => {
    const user = await signUp(t.app);
    const authenticator = new SoftAuthenticator(ORIGIN);
    await addPasskey(user, authenticator);

    const first = await passkeySignIn(authenticator);
    assert.equal(first.res.statusCode, 200);
    const replay = await post(newJar(), '/api/v1/auth/passkey', {
      challenge_id: first.started.challenge_id,
      response: first.response,
    });
    assert.equal(replay.statusCode, 400);
    assert.equal(replay.json<{ error: { code: string } }>().error.code, 'CHALLENGE_EXPIRED');

    const code = async (overrides: Parameters<SoftAuthenticator['authenticate']>[1]) => {
      const jar = newJar();
      const started = await signInOptions(jar);
      const res = await post(jar, '/api/v1/auth/passkey', {
        challenge_id: started.challenge_id,
        response: authenticator.authenticate(started.options, overrides),
      });
      return [res.statusCode, res.json<{ error?: { code: string } }>().error?.code];
    };
    // A counter that goes backwards means a cloned authenticator.
    assert.deepEqual(await code({ counter: 1 }), [401, 'PASSKEY_NOT_RECOGNIZED']);
    assert.deepEqual(await code({ origin: 'https://evil.example' }), [
      401,
      'PASSKEY_NOT_RECOGNIZED',
    ]);
    authenticator.userVerified = false;
    assert.deepEqual(await code({}), [401, 'PASSKEY_NOT_RECOGNIZED']);
    authenticator.userVerified = true;
    assert.deepEqual(await code({}), [200, undefined]);
    assert.ok((await events(user.id, 'sign_in_failed')).length >= 3);
  });

  test('an unknown credential is not recognised; a malformed answer is a 422', async () => {
    const stranger = new SoftAuthenticator(ORIGIN);
    stranger.register({
      challenge: 'AAAA',
      rp: { id: 'localhost', name: 'x' },
      user: { id: 'dXNlcg', name: 'u', displayName: 'u' },
    });
    const { res } = await passkeySignIn(stranger);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json<{ error: { code: string } }>().error.code, 'PASSKEY_NOT_RECOGNIZED');

    const jar = newJar();
    const started = await signInOptions(jar);
    const bad = await post(jar, '/api/v1/auth/passkey', {
      challenge_id: started.challenge_id,
      response: { id: 'not base64url!', type: 'public-key' },
    });
    assert.equal(bad.statusCode, 422);
  });
});

describe('renaming and removing', () => {
  test('rename: 200 and logged; a bad name is a 422', async () => {
    const user = await signUp(t.app);
    const passkey = await addPasskey(user, new SoftAuthenticator(ORIGIN));
    const url = `/api/v1/me/passkeys/${passkey.id}`;
    const res = await post(user.jar, url, { name: 'Phone' }, 'PATCH');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json<{ passkey: PasskeyJson }>().passkey.name, 'Phone');
    assert.equal((await post(user.jar, url, { name: ' ' }, 'PATCH')).statusCode, 422);
    assert.equal((await post(user.jar, url, { name: 'x'.repeat(61) }, 'PATCH')).statusCode, 422);
    assert.deepEqual(
      (await events(user.id, 'passkey_renamed')).map((e) => e.details),
      [{ name: 'Phone' }],
    );
  });

  test('remove needs the password in the same request', async () => {
    const user = await signUp(t.app);
    const authenticator = new SoftAuthenticator(ORIGIN);
    const passkey = await addPasskey(user, authenticator, 'Old key');
    const url = `/api/v1/me/passkeys/${passkey.id}`;
    assert.equal((await post(user.jar, url, {}, 'DELETE')).statusCode, 422);
    const wrong = await post(user.jar, url, { current_password: 'wrong password' }, 'DELETE');
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json<{ error: { code: string } }>().error.code, 'PASSWORD_INCORRECT');
    const ok = await post(user.jar, url, { current_password: user.password }, 'DELETE');
    assert.equal(ok.statusCode, 204);
    assert.deepEqual(
      (await events(user.id, 'passkey_removed')).map((e) => e.details),
      [{ name: 'Old key' }],
    );
    // A removed passkey no longer signs in.
    const { res } = await passkeySignIn(authenticator);
    assert.equal(res.statusCode, 401);
  });
});

describe('isolation between accounts', () => {
  test("B cannot list, rename or remove A's passkeys, by API or page: always 404", async () => {
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    const passkey = await addPasskey(a, new SoftAuthenticator(ORIGIN), 'A’s key');

    const listB = await send(t.app, b.jar, { url: '/api/v1/me/passkeys' });
    assert.deepEqual(listB.json<{ items: unknown[] }>().items, []);
    const url = `/api/v1/me/passkeys/${passkey.id}`;
    const renamed = await post(b.jar, url, { name: 'mine now' }, 'PATCH');
    assert.equal(renamed.statusCode, 404);
    const removed = await post(b.jar, url, { current_password: b.password }, 'DELETE');
    assert.equal(removed.statusCode, 404);
    for (const bogus of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const res = await post(b.jar, `/api/v1/me/passkeys/${bogus}`, { name: 'x' }, 'PATCH');
      assert.equal(res.statusCode, 404);
    }

    const csrf = await csrfFor(t.app, b.jar);
    const renamePage = await send(t.app, b.jar, {
      url: `/settings/passkeys/${passkey.id}/rename`,
      form: { _csrf: csrf, name: 'mine now' },
    });
    assert.equal(renamePage.statusCode, 404);
    const deletePage = await send(t.app, b.jar, {
      url: `/settings/passkeys/${passkey.id}/delete`,
      form: { _csrf: csrf, password: b.password },
    });
    assert.equal(deletePage.statusCode, 404);
    const pageB = await send(t.app, b.jar, { url: '/settings/security' });
    assert.doesNotMatch(pageB.body, new RegExp(passkey.id));

    const still = await send(t.app, a.jar, { url: '/api/v1/me/passkeys' });
    assert.deepEqual(
      still.json<{ items: PasskeyJson[] }>().items.map((p) => p.name),
      ['A’s key'],
    );
  });

  test('not signed in: 401 for the API, the sign-in page for settings forms', async () => {
    const res = await send(t.app, newJar(), { url: '/api/v1/me/passkeys' });
    assert.equal(res.statusCode, 401);
  });
});

describe('the settings section', () => {
  test('lists passkeys (names escaped) with forms, and loads the scripts', async () => {
    const user = await signUp(t.app);
    const passkey = await addPasskey(user, new SoftAuthenticator(ORIGIN), '<b>Tablet</b>');
    const page = await send(t.app, user.jar, { url: '/settings/security' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<section class="settings-card" id="passkeys"/);
    assert.ok(page.body.includes('<span>&lt;b>Tablet&lt;/b></span>'));
    assert.ok(!page.body.includes('<span><b>'));
    assert.match(page.body, new RegExp(`action="/settings/passkeys/${passkey.id}/rename"`));
    assert.match(page.body, new RegExp(`action="/settings/passkeys/${passkey.id}/delete"`));
    assert.match(page.body, /data-passkey-add/);
    assert.match(page.body, /<script src="\/assets\/webauthn\.[0-9a-f]{10}\.js" defer>/);
    assert.match(page.body, /<script src="\/assets\/passkeys\.[0-9a-f]{10}\.js" defer>/);
  });

  test('rename and remove by form: 303 back; a wrong password or bad name gets its own page', async () => {
    const user = await signUp(t.app);
    const passkey = await addPasskey(user, new SoftAuthenticator(ORIGIN));
    const csrf = await csrfFor(t.app, user.jar);
    const base = `/settings/passkeys/${passkey.id}`;

    const bad = await send(t.app, user.jar, {
      url: `${base}/rename`,
      form: { _csrf: csrf, name: '' },
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /class="field__error"/);
    const renamed = await send(t.app, user.jar, {
      url: `${base}/rename`,
      form: { _csrf: csrf, name: 'Desk key' },
    });
    assert.equal(renamed.statusCode, 303);
    assert.equal(renamed.headers.location, '/settings/security?done=passkey_renamed#passkeys');

    const wrong = await send(t.app, user.jar, {
      url: `${base}/delete`,
      form: { _csrf: csrf, password: 'nope nope nope' },
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /That is not your password/);
    assert.match(wrong.body, new RegExp(`action="${base}/delete"`));
    const removed = await send(t.app, user.jar, {
      url: `${base}/delete`,
      form: { _csrf: csrf, password: user.password },
    });
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, '/settings/security?done=passkey_removed#passkeys');
    const list = await send(t.app, user.jar, { url: '/api/v1/me/passkeys' });
    assert.deepEqual(list.json<{ items: unknown[] }>().items, []);
  });
});
