// Lockout and rate limits through the real API: a guesser on new devices is stopped, the owner
// on a known device is not, and limits hold across app instances (they live in PostgreSQL).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp, type TestUser } from '../../../test/helpers/factories.js';
import { newJar, send, type Jar } from '../../../test/helpers/http.js';
import { RateLimiter } from '../../platform/http/rate-limit.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const login = (jar: Jar, email: string, password: string) =>
  send(t.app, jar, { url: '/api/v1/auth/login', json: { email, password } });

/** The user's browser with its device cookie but without its session (signed out). */
function ownerBrowser(user: TestUser): Jar {
  const jar = newJar();
  const device = user.jar.cookies.get('mnw_device');
  assert.ok(device);
  jar.cookies.set('mnw_device', device);
  return jar;
}

async function lockedUntil(user: TestUser) {
  const row = await t.runtime.db
    .selectFrom('users')
    .select('locked_until')
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  return row.locked_until;
}

describe('lockout', () => {
  test('five failures from a new device lock new devices out, not the owner', async () => {
    const user = await signUp(t.app);
    const attacker = newJar();
    for (let i = 0; i < 5; i++)
      assert.equal((await login(attacker, user.email, `guess number ${i}`)).statusCode, 401);
    assert.ok((await lockedUntil(user)) !== null);

    // The right password from the attacker's device now gets the same answer as a wrong one.
    const right = await login(attacker, user.email, user.password);
    const wrong = await login(newJar(), user.email, 'still guessing');
    assert.equal(right.statusCode, 401);
    assert.deepEqual(right.json(), wrong.json());

    // The owner's browser (it signed up, so its device cookie is known) still signs in, even
    // after its session is gone.
    assert.equal((await login(ownerBrowser(user), user.email, user.password)).statusCode, 200);

    const mails = await t.runtime.db
      .selectFrom('mail_messages')
      .select(['subject', 'text_body'])
      .where('to_address', '=', user.email)
      .execute();
    const unlock = mails.find((m) => m.subject === 'Sign-ins to your account are paused');
    assert.ok(unlock);
    assert.match(unlock.text_body, /\/unlock\?token=/);
    const events = await t.runtime.db
      .selectFrom('security_events')
      .select('type')
      .where('user_id', '=', user.id)
      .execute();
    assert.ok(events.some((e) => e.type === 'account_locked'));
  });

  test("failures on the owner's own device never lock the account", async () => {
    const user = await signUp(t.app);
    const owner = ownerBrowser(user);
    for (let i = 0; i < 6; i++) await login(owner, user.email, `typo ${i}`);
    assert.equal(await lockedUntil(user), null);
  });

  test('a new sign-in device gets a notice mail; a known one does not', async () => {
    const user = await signUp(t.app);
    const count = async () =>
      (
        await t.runtime.db
          .selectFrom('mail_messages')
          .select('id')
          .where('to_address', '=', user.email)
          .where('subject', '=', 'New sign-in to your account')
          .execute()
      ).length;
    await login(ownerBrowser(user), user.email, user.password);
    assert.equal(await count(), 0);
    await login(newJar(), user.email, user.password);
    assert.equal(await count(), 1);
  });
});

describe('the per-account limit does not keep the owner out', () => {
  test('ten wrong guesses from elsewhere: the owner signs in from a known device, a new device still waits', async () => {
    const user = await signUp(t.app);
    const statuses = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await login(newJar(), user.email, `guess ${i}`)).statusCode);
    }
    assert.equal(statuses.at(-1), 429, 'guesses from unknown devices are throttled');

    const owner = await login(ownerBrowser(user), user.email, user.password);
    assert.equal(owner.statusCode, 200, 'the owner, on a device they signed in from, gets in');

    const fresh = await login(newJar(), user.email, user.password);
    assert.equal(fresh.statusCode, 429, 'an unknown device waits, even with the right password');
    const page = await send(t.app, newJar(), {
      url: '/login',
      form: { email: user.email, password: user.password, next: '/' },
    });
    assert.equal(page.statusCode, 429, 'the sign-in page counts the same way');
    const ownerPage = ownerBrowser(user);
    const signedIn = await send(t.app, ownerPage, {
      url: '/login',
      form: { email: user.email, password: user.password, next: '/' },
    });
    assert.equal(signedIn.statusCode, 303, 'and lets the owner in from their own browser');
  });

  test('token creation: guesses from elsewhere do not stop the owner’s browser', async () => {
    const user = await signUp(t.app);
    const create = (jar: Jar, password: string) =>
      send(t.app, jar, {
        url: '/api/v1/auth/tokens',
        json: { email: user.email, password, name: 'cli' },
      });
    let last = 0;
    for (let i = 0; i < 11; i++) last = (await create(newJar(), `guess ${i}`)).statusCode;
    assert.equal(last, 429);
    assert.equal((await create(ownerBrowser(user), user.password)).statusCode, 201);
    assert.equal((await create(newJar(), user.password)).statusCode, 429);
  });

  test('an unknown email is throttled exactly like an account (no enumeration)', async () => {
    const user = await signUp(t.app);
    const answers = async (email: string) => {
      const out: [number, string | undefined][] = [];
      for (let i = 0; i < 11; i++) {
        const res = await login(newJar(), email, `guess ${i}`);
        out.push([res.statusCode, res.headers['x-ratelimit-remaining']?.toString()]);
      }
      return out;
    };
    assert.deepEqual(await answers(user.email), await answers(`nobody-${user.handle}@example.com`));
  });

  test('a stolen device cookie gives no way around the limit: each known device counts on its own', async () => {
    const user = await signUp(t.app);
    const owner = ownerBrowser(user);
    let last = 0;
    for (let i = 0; i < 11; i++) last = (await login(owner, user.email, `typo ${i}`)).statusCode;
    assert.equal(last, 429, 'a known device is limited too');
    assert.equal((await login(newJar(), user.email, user.password)).statusCode, 200);
  });
});

describe('rate limits', () => {
  test('sign-in per account answers 429 with Retry-After and X-RateLimit headers', async () => {
    const user = await signUp(t.app);
    let last;
    for (let i = 0; i < 11; i++) last = await login(newJar(), user.email, `attempt ${i}`);
    assert.ok(last);
    assert.equal(last.statusCode, 429);
    assert.equal(last.json<{ error: { code: string } }>().error.code, 'RATE_LIMITED');
    assert.ok(Number(last.headers['retry-after']) > 0);
    assert.equal(last.headers['x-ratelimit-limit'], '10');
    assert.equal(last.headers['x-ratelimit-remaining'], '0');
  });

  test('signup per IP is limited; another address is not affected', async () => {
    const { ip } = newJar();
    let status = 0;
    for (let i = 0; i < 11; i++) {
      const jar = { ...newJar(), ip }; // fresh browsers, one address
      const res = await send(t.app, jar, {
        url: '/api/v1/auth/signup',
        json: {
          email: `burst${i}-${jar.ip}@example.com`,
          password: 'a fine long password',
          handle: `burst${i}x${jar.ip.replaceAll('.', '')}`,
        },
      });
      status = res.statusCode;
    }
    assert.equal(status, 429);
    assert.equal((await signUp(t.app)).handle.length > 0, true);
  });

  test('two limiters (two app instances) share one count', async () => {
    const rule = { name: 'shared-test', limit: 3, windowSeconds: 60 };
    const a = new RateLimiter(t.runtime.db);
    const b = new RateLimiter(t.runtime.db);
    const results = [
      await a.hit(rule, 'x'),
      await b.hit(rule, 'x'),
      await a.hit(rule, 'x'),
      await b.hit(rule, 'x'),
    ];
    assert.deepEqual(
      results.map((r) => r.allowed),
      [true, true, true, false],
    );
    assert.deepEqual(
      results.map((r) => r.remaining),
      [2, 1, 0, 0],
    );
  });
});
