// WORKER=off on the server, `npm run worker` beside it: the two share only the database.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { freePort, startServerProcess, startWorkerProcess } from '../helpers/server-process.js';

let root: string;
let database: TestDatabase;
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'makenot-worker-'));
  await chmod(root, 0o755);
  database = await createTestDatabase();
});
after(async () => {
  await database.drop();
  await rm(root, { recursive: true, force: true });
});

interface Ready {
  status: string;
  checks: { worker: string };
}

test('a standalone worker makes a WORKER=off server ready, and leaves cleanly', async () => {
  const env = { DATABASE_URL: database.url, APP_SECRET: 'x'.repeat(40) };
  const port = await freePort();
  const server = startServerProcess({
    ...env,
    WORKER: 'off',
    PORT: String(port),
    DATA_DIR: path.join(root, 'app'),
  });
  await server.ready;
  const readyz = async () => (await (await fetch(`${server.baseUrl}/readyz`)).json()) as Ready;
  assert.deepEqual(await readyz().then((r) => [r.status, r.checks.worker]), ['degraded', 'down']);

  const worker = startWorkerProcess({ ...env, DATA_DIR: path.join(root, 'worker') });
  await worker.ready;
  assert.deepEqual(await readyz().then((r) => [r.status, r.checks.worker]), ['ready', 'ok']);

  worker.child.kill('SIGTERM');
  assert.deepEqual(await worker.exited, { code: 0, signal: null });
  assert.equal((await readyz()).checks.worker, 'down', 'a stopped worker removes its heartbeat');

  server.child.kill('SIGTERM');
  assert.deepEqual(await server.exited, { code: 0, signal: null });
});
