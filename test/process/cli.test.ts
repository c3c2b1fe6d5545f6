// `npm run cli -- admin grant|revoke <email>` against a real database.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { signUp } from '../helpers/factories.js';
import { runCliProcess } from '../helpers/server-process.js';

let t: TestApp;
let dataDir: string;
before(async () => {
  t = await createTestApp();
  dataDir = await mkdtemp(path.join(tmpdir(), 'makenot-cli-'));
});
after(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

function cli(args: string[]) {
  return runCliProcess(args, {
    DATABASE_URL: t.runtime.config.databaseUrl ?? '',
    DATA_DIR: dataDir,
  });
}

test('admin grant and revoke change the role and end the account sessions', async () => {
  const user = await signUp(t.app);
  const granted = await cli(['admin', 'grant', user.email.toUpperCase()]);
  assert.equal(granted.code, 0, granted.stderr);
  assert.equal(granted.stdout.trim(), `@${user.handle} is now an admin`);
  const row = await t.runtime.db
    .selectFrom('users')
    .select('is_admin')
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.is_admin, true);
  const sessions = await t.runtime.db
    .selectFrom('sessions')
    .select('id')
    .where('user_id', '=', user.id)
    .execute();
  assert.equal(sessions.length, 0);

  const revoked = await cli(['admin', 'revoke', user.email]);
  assert.equal(revoked.code, 0);
  const revokedRow = await t.runtime.db
    .selectFrom('users')
    .select('is_admin')
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  assert.equal(revokedRow.is_admin, false);
});

test('sessions end signs one account out everywhere, or everyone', async () => {
  const [a, b] = [await signUp(t.app), await signUp(t.app)];
  const one = await cli(['sessions', 'end', a.email]);
  assert.equal(one.code, 0, one.stderr);
  assert.equal(one.stdout.trim(), 'ended 1 session');
  const count = async (id: string) =>
    (await t.runtime.db.selectFrom('sessions').select('id').where('user_id', '=', id).execute())
      .length;
  assert.deepEqual([await count(a.id), await count(b.id)], [0, 1]);
  const all = await cli(['sessions', 'end', '--all']);
  assert.equal(all.code, 0);
  assert.equal(await count(b.id), 0);
});

test('an unknown email or a malformed command fails with a clear line', async () => {
  const unknown = await cli(['admin', 'grant', 'nobody@example.com']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no account uses nobody@example.com/);
  const malformed = await cli(['admin', 'promote']);
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /usage/);
});
