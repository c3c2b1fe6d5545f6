// The operator's `sessions end` (npm run cli): signing an account out everywhere ends its
// sessions and revokes its personal access tokens; `--all` does it for every account.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp, type TestUser } from '../../../test/helpers/factories.js';
import { newJar, send } from '../../../test/helpers/http.js';
import { endSessions } from './admin.service.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

async function tokenOf(user: TestUser): Promise<Record<string, string>> {
  const res = await send(t.app, newJar(), {
    url: '/api/v1/auth/tokens',
    json: { email: user.email, password: user.password, name: 'script' },
  });
  assert.equal(res.statusCode, 201, res.body);
  return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
}

const status = async (headers: Record<string, string>) =>
  (await send(t.app, newJar(), { url: '/api/v1/me', headers })).statusCode;

test('sessions end revokes the account’s tokens with its sessions; --all every account’s', async () => {
  const [a, b] = [await signUp(t.app), await signUp(t.app)];
  const [tokenA, tokenB] = [await tokenOf(a), await tokenOf(b)];
  assert.deepEqual(await endSessions(t.runtime.db, { email: a.email }), { sessions: 1, tokens: 1 });
  assert.deepEqual([await status(tokenA), await status(tokenB)], [401, 200]);
  assert.equal((await send(t.app, a.jar, { url: '/api/v1/me' })).statusCode, 401);
  const all = await endSessions(t.runtime.db, 'everyone');
  assert.ok(all.sessions >= 1 && all.tokens >= 1, JSON.stringify(all));
  assert.equal(await status(tokenB), 401);
});
