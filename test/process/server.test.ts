// The server as an operator runs it: real process, embedded PostgreSQL, signals.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import {
  embeddedDatabaseUrl,
  freePort,
  postgresProcessesFor,
  startServerProcess,
  type ServerProcess,
} from '../helpers/server-process.js';

let root: string;
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'makenot-proc-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as "postgres", who must pass through
});
after(() => rm(root, { recursive: true, force: true }));

async function start(name: string, extra: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const server = startServerProcess({
    DATA_DIR: path.join(root, name),
    PORT: String(port),
    ...extra,
  });
  await server.ready;
  return server;
}

async function stop(server: ServerProcess) {
  server.child.kill('SIGTERM');
  return server.exited;
}

async function query(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

describe('server process', () => {
  test('a bad PORT stops the start with one line naming it', async () => {
    const server = startServerProcess({ DATA_DIR: path.join(root, 'bad-port'), PORT: 'abc' });
    const { code } = await server.exited;
    assert.equal(code, 1);
    const lines = server.stderr().trim().split('\n');
    assert.equal(lines.length, 1, server.stderr());
    assert.match(lines[0] ?? '', /PORT: must be a number/);
  });

  test('an unreachable DATABASE_URL stops the start with one line naming it', async () => {
    const server = startServerProcess({
      DATA_DIR: path.join(root, 'bad-db'),
      PORT: String(await freePort()),
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing',
    });
    const { code } = await server.exited;
    assert.equal(code, 1);
    const lines = server.stderr().trim().split('\n');
    assert.equal(lines.length, 1, server.stderr());
    assert.match(lines[0] ?? '', /DATABASE_URL: cannot connect/);
  });

  test('serves on embedded PostgreSQL, exits 0 on SIGTERM, restarts with its data', async () => {
    const dataDir = path.join(root, 'main');
    const first = await start('main');
    assert.equal((await fetch(`${first.baseUrl}/healthz`)).status, 200);
    const home = await fetch(`${first.baseUrl}/`);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /<main/);
    const ready = (await (await fetch(`${first.baseUrl}/readyz`)).json()) as { status: string };
    assert.equal(ready.status, 'ready');

    const url = await embeddedDatabaseUrl(dataDir);
    await query(
      url,
      "insert into mail_messages (to_address, subject, text_body) values ('a@b.example', 'kept', 'x')",
    );

    // An open Server-Sent Events stream must not hold the shutdown up.
    const signup = await fetch(`${first.baseUrl}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'listener@example.com',
        password: 'a long and private passphrase',
        handle: 'listener',
      }),
    });
    assert.equal(signup.status, 201);
    const cookie = signup.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const events = await fetch(`${first.baseUrl}/api/v1/me/files/events`, { headers: { cookie } });
    assert.equal(events.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = events.body?.getReader();
    assert.ok(reader);
    const opening = (await reader.read()) as { value?: Uint8Array };
    assert.match(new TextDecoder().decode(opening.value), /: connected/);
    const streamEnded = reader.read().then((chunk) => chunk.done);

    assert.deepEqual(await stop(first), { code: 0, signal: null });
    assert.equal(await streamEnded, true, 'the event stream was ended by the shutdown');
    assert.deepEqual(await postgresProcessesFor(dataDir), [], 'PostgreSQL left running');

    const second = await start('main');
    const rows = await query(
      await embeddedDatabaseUrl(dataDir),
      "select subject from mail_messages where subject = 'kept'",
    );
    assert.equal(rows.rowCount, 1);
    assert.deepEqual(await stop(second), { code: 0, signal: null });
  });

  test('two servers with their own DATA_DIR and PORT run side by side', async () => {
    const [a, b] = await Promise.all([start('side-a'), start('side-b')]);
    const statuses = await Promise.all(
      [a, b].map(async (s) => (await fetch(`${s.baseUrl}/healthz`)).status),
    );
    assert.deepEqual(statuses, [200, 200]);
    assert.deepEqual(await Promise.all([stop(a), stop(b)]), [
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });

  test('a server killed with SIGKILL leaves PostgreSQL running; the next start takes over', async () => {
    const dataDir = path.join(root, 'killed');
    const first = await start('killed');
    first.child.kill('SIGKILL');
    await first.exited;
    assert.equal((await postgresProcessesFor(dataDir)).length > 0, true);
    const second = await start('killed');
    assert.equal((await fetch(`${second.baseUrl}/healthz`)).status, 200);
    assert.deepEqual(await stop(second), { code: 0, signal: null });
    assert.deepEqual(await postgresProcessesFor(dataDir), []);
  });
});
