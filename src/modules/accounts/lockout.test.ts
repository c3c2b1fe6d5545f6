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
