// Every POST route under /api/v1, as the app registered them (not a list kept by hand, so the
// next route is walked too), called with an Idempotency-Key by a signed-in creator and by a
// stranger: none answers 5xx, a success is replayed byte for byte with the same key, and
// anything else is not kept.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, newJar, send, type Jar } from '../../../test/helpers/http.js';
import { signUpCreator, type Creator } from '../../modules/catalog/catalog.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const concrete = (path: string) => `/api/v1${path.replace(/\{\w+\}/g, randomUUID())}`;

async function stillSignedIn(user: Creator): Promise<Creator> {
  const me = await send(t.app, user.jar, { url: '/api/v1/me' });
  if (me.statusCode !== 200) return signUpCreator(t.app); // the route signed it out
  return { ...user, csrf: await csrfFor(t.app, user.jar) }; // or rotated its session
}

async function twice(jar: Jar, url: string, csrf: string) {
  const key = `walk-${randomUUID()}`;
  const call = () =>
    send(t.app, jar, {
      url,
      json: {},
      headers: { 'idempotency-key': key, 'x-csrf-token': csrf },
    });
  const session = () => [...jar.cookies].find(([name]) => name.endsWith('session'))?.[1];
  const before = session();
  const first = await call();
  // a route that signs in, out or rotates the session makes the retry another caller's
  const sameCaller = session() === before;
  const second = await call();
  return { first, second, sameCaller };
}

test('every POST route under /api/v1 takes an Idempotency-Key', async () => {
  const routes = [
    ...new Set(t.app.registeredApiRoutes.filter((r) => r.method === 'post').map((r) => r.path)),
  ];
  assert.ok(routes.length > 20, `found ${routes.length} POST routes`);
  let creator = await signUpCreator(t.app);
  let replayed = 0;
  let callerChanged = 0;
  for (const path of routes) {
    for (const who of ['creator', 'stranger'] as const) {
      const jar = who === 'creator' ? creator.jar : newJar();
      const csrf = who === 'creator' ? creator.csrf : await csrfFor(t.app, jar);
      const url = concrete(path);
      const { first, second, sameCaller } = await twice(jar, url, csrf);
      const where = `${who} POST ${path}: ${first.statusCode} ${first.body.slice(0, 200)}`;
      assert.ok(first.statusCode < 500, where);
      assert.ok(second.statusCode < 500, `again: ${second.statusCode} ${second.body}`);
      if (!sameCaller) {
        callerChanged++;
      } else if (first.statusCode >= 200 && first.statusCode < 300) {
        assert.equal(second.headers['idempotent-replayed'], 'true', where);
        assert.equal(second.statusCode, first.statusCode, where);
        assert.equal(second.body, first.body, where);
        replayed++;
      } else {
        assert.equal(second.headers['idempotent-replayed'], undefined, where);
      }
      if (who === 'creator') creator = await stillSignedIn(creator);
    }
  }
  console.log(
    `walked ${routes.length} POST routes as a creator and a stranger: ${replayed} successes ` +
      `replayed, ${callerChanged} signed the caller in or out (not replayed), none failed`,
  );
});
