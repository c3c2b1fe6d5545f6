// Several processes on one DATA_DIR with the embedded PostgreSQL (no DATABASE_URL): the first
// to start the cluster owns it, the others use it and never stop it; when the owner goes away
// (stopped or killed) a process still using the cluster takes it over.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  freePort,
  postgresProcessesFor,
  runCliProcess,
  startServerProcess,
  startWorkerProcess,
  type ServerProcess,
} from '../helpers/server-process.js';

let root: string;
const started: ServerProcess[] = [];
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'makenot-shared-pg-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as "postgres", who must pass through
});
after(async () => {
  // After a failure, nothing may outlive the test (a live child keeps the runner waiting).
  for (const child of started) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  await Promise.all(started.map((child) => child.exited));
  for (const dir of ['beside', 'handover', 'together']) {
    for (const pid of await postgresProcessesFor(path.join(root, dir)))
      process.kill(pid, 'SIGKILL');
  }
  await rm(root, { recursive: true, force: true });
});

async function startServer(dataDir: string): Promise<ServerProcess> {
  const server = startServerProcess({
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    WORKER: 'off',
  });
  started.push(server);
  await server.ready;
  return server;
}

async function startWorker(dataDir: string): Promise<ServerProcess> {
  const worker = startWorkerProcess({ DATA_DIR: dataDir });
  started.push(worker);
  await worker.ready;
  return worker;
}

async function stop(running: ServerProcess) {
  running.child.kill('SIGTERM');
  return running.exited;
}

/** A sign-up: its verification mail is a job for the worker. */
async function signUp(server: ServerProcess, handle: string) {
  const email = `${handle}@example.com`;
  const response = await fetch(`${server.baseUrl}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'a long and private passphrase', handle }),
  });
  assert.equal(response.status, 201);
  return { email, handle };
}

let visitors = 0;
/** What a visitor notices: the server is ready and a sign-up (reads and writes) succeeds. */
async function assertServing(server: ServerProcess) {
  const ready = await fetch(`${server.baseUrl}/readyz`);
  const body = (await ready.json()) as { checks: { database: string } };
  assert.deepEqual([ready.status, body.checks.database], [200, 'ok']);
  await signUp(server, `visitor${++visitors}`);
}

const logged = (message: string) => (line: string) => line.includes(`"msg":"${message}"`);

test('the CLI, a worker and a second `npm start` beside a server leave its database running', async () => {
  const dataDir = path.join(root, 'beside');
  const server = await startServer(dataDir);
  const ava = await signUp(server, 'ava');

  const granted = await runCliProcess(['admin', 'grant', ava.email], { DATA_DIR: dataDir });
  assert.equal(granted.code, 0, granted.stderr);
  assert.equal(granted.stdout.trim(), '@ava is now an admin');
  await assertServing(server);

  const worker = await startWorker(dataDir);
  await worker.lineMatching(logged('mail delivered')); // the sign-up's, queued before it ran
  assert.equal(
    ((await (await fetch(`${server.baseUrl}/readyz`)).json()) as { checks: { worker: string } })
      .checks.worker,
    'ok',
  );
  assert.deepEqual(await stop(worker), { code: 0, signal: null });
  await assertServing(server);

  // `npm start` twice by mistake: the second says why it cannot start and harms nothing.
  const again = startServerProcess({ DATA_DIR: dataDir, PORT: String(server.port) });
  started.push(again);
  assert.equal((await again.exited).code, 1);
  assert.match(again.stderr().trim(), /^makenot server: PORT: 127\.0\.0\.1:\d+ is already in use$/);
  await assertServing(server);

  assert.deepEqual(await stop(server), { code: 0, signal: null });
  assert.deepEqual(await postgresProcessesFor(dataDir), [], 'the owner stops PostgreSQL');
});

test('when the process that runs the cluster stops or is killed, one still using it takes over', async () => {
  const dataDir = path.join(root, 'handover');
  const worker = await startWorker(dataDir); // the worker starts first and owns the cluster
  const server = await startServer(dataDir);
  await signUp(server, 'ben');
  await worker.lineMatching(logged('mail delivered'));

  assert.deepEqual(await stop(worker), { code: 0, signal: null });
  await server.lineMatching(logged('embedded PostgreSQL is running'));
  await assertServing(server);

  const nextWorker = await startWorker(dataDir);
  server.child.kill('SIGKILL');
  await server.exited;
  await nextWorker.lineMatching(logged('embedded PostgreSQL is running'));

  const nextServer = await startServer(dataDir);
  await assertServing(nextServer);
  await signUp(nextServer, 'cleo');
  await nextWorker.lineMatching(logged('mail delivered')); // through the takeover

  assert.deepEqual(await stop(nextServer), { code: 0, signal: null });
  assert.deepEqual(await stop(nextWorker), { code: 0, signal: null });
  assert.deepEqual(await postgresProcessesFor(dataDir), [], 'PostgreSQL left running');
});

test('a server and a worker started together on a new DATA_DIR create and share one cluster', async () => {
  const dataDir = path.join(root, 'together');
  const [server, worker] = await Promise.all([startServer(dataDir), startWorker(dataDir)]);
  await assertServing(server);
  await worker.lineMatching(logged('mail delivered'));
  const owners = await Promise.all(
    [server, worker].map((p) =>
      p.lineMatching((line) =>
        /"msg":"(embedded PostgreSQL is running|using the embedded)/.test(line),
      ),
    ),
  );
  assert.equal(owners.filter((line) => line.includes('is running')).length, 1, owners.join('\n'));

  assert.deepEqual(await stop(worker), { code: 0, signal: null });
  assert.deepEqual(await stop(server), { code: 0, signal: null });
  assert.deepEqual(await postgresProcessesFor(dataDir), [], 'PostgreSQL left running');
});
