// DATABASE_READ_URL with a real streaming replica: anonymous public reads come from it, a
// writer sees their change at once (from the primary), and the app reads from the primary
// while the replica is down, then from the replica again once it is back.
//
// Whatever DATABASE_URL says (CI runs the suite on embedded PostgreSQL and again on the
// machine's PostgreSQL 15), this file builds its own primary and replica from the embedded
// binaries: a replica needs a primary whose replication it controls (a slot, a base backup as
// superuser) and a standby of the same major version, which the machine's shared server does
// not offer to a test. So both runs test the same pair; nothing is skipped.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createPool } from '../../src/db/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { migrate } from '../../src/db/migrate.js';
import { ReadReplica as ReadReplicaClass, type ReadReplica } from '../../src/db/read-replica.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
  type ItemBody,
} from '../../src/modules/catalog/catalog.test-helpers.js';
import { REPLICA_ROUTES, WROTE_COOKIE } from '../../src/platform/http/replica-reads.js';
import { createLogger } from '../../src/platform/log.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { startRuntime, type Runtime } from '../../src/platform/runtime.js';
import { appTasks } from '../../src/tasks.js';
import { newJar, send } from '../helpers/http.js';
import { startReplica, type Replica } from '../helpers/replica.js';
import { until } from '../helpers/until.js';

const DATABASE = 'makenot';
const log = createLogger({ logLevel: 'silent' });

let dirs: string[] = [];
let primary: EmbeddedPostgres | undefined;
let replica!: Replica;
let runtime!: Runtime;
let app!: FastifyInstance;
let readReplica: ReadReplica;

async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const found = await runtime.metrics.registry.getSingleMetric(name)?.get();
  return (found?.values ?? [])
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

/** What an anonymous visitor (no cookie at all) gets, and how many replica reads it took. */
async function anonymously(url: string) {
  const before = await metric('db_replica_reads_total');
  const response = await send(app, newJar(), { url });
  return { response, fromReplica: (await metric('db_replica_reads_total')) - before };
}

const pathOf = (url: string) => new URL(url).pathname;

/** Checks until the app's replica is in use (a check needs a primary position it replayed). */
const replicaInUse = () =>
  until(async () => {
    await readReplica.check();
    return readReplica.state === 'up' ? true : undefined;
  }, 'the replica to be in use');

before(async () => {
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'makenot-replica-'));
    dirs.push(dir);
    return dir;
  };
  const primaryDir = await tempDir();
  primary = await startEmbeddedPostgres({
    dataDir: primaryDir,
    log,
    fast: true,
    database: DATABASE,
  });
  const pool = createPool(primary.url);
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  replica = await startReplica({
    primaryDataDir: primaryDir,
    primaryAdminUrl: primary.adminUrl,
    replicaDir: await tempDir(),
    database: DATABASE,
    log,
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: await tempDir(),
    DATABASE_URL: primary.url,
    DATABASE_READ_URL: replica.url,
    // an hour: a replica whose replay the test holds back is still within the bound, so its
    // stale answers show where a read came from
    DATABASE_READ_MAX_LAG_MS: '3600000',
    PUBLIC_URL: 'http://localhost:3000',
    APP_SECRET: 'test-secret-that-is-long-enough-for-hmac-keys',
    LOG_LEVEL: 'silent',
  });
  runtime = await startRuntime(config, log, {
    migrate: false,
    runJobs: false,
    tasks: appTasks,
    metrics: createMetrics({ defaultMetrics: false }),
    poolSize: 5,
    readReplica: true,
  });
  assert.ok(runtime.readReplica, 'the server runtime builds the read replica');
  readReplica = runtime.readReplica;
  app = await buildApp(runtime);
  await app.ready();
});

// what before() got to start, whatever failed after it
after(async () => {
  await (app as FastifyInstance | undefined)?.close();
  await (runtime as Runtime | undefined)?.close();
  await (replica as Replica | undefined)?.stop();
  await primary?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  dirs = [];
});

describe('read replica (DATABASE_READ_URL) on a real streaming replica', () => {
  let creator: Creator;
  let project: { id: string; slug: string };
  let item: ItemBody;
  let itemPath: string;

  test('every route the replica may answer is a GET route of the app', () => {
    for (const url of REPLICA_ROUTES) {
      assert.ok(app.hasRoute({ method: 'GET', url }), `${url} is a route`);
    }
  });

  test('anonymous public pages, search and feeds are read from the replica', async () => {
    creator = await signUpCreator(app);
    project = await makeProject(app, creator, { title: 'Tide Tables' });
    item = await makeItem(app, creator, project.id, {
      title: 'Before the flood',
      body: 'The *text* itself.',
      ai_disclosure: { tier: 'handmade' },
    });
    const published = await call(app, creator, 'POST', `/items/${item.id}/publish`);
    assert.equal(published.statusCode, 200, published.body);
    itemPath = pathOf(item.url);
    await replica.caughtUp();
    await replicaInUse();

    for (const url of [
      itemPath,
      `/@${creator.handle}`,
      `/@${creator.handle}/${project.slug}`,
      `/@${creator.handle}/${project.slug}/feed.xml`,
      '/search?q=flood',
      `/api/v1/items/${item.id}`,
      '/',
    ]) {
      const { response, fromReplica } = await anonymously(url);
      assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`);
      assert.ok(fromReplica > 0, `${url} was read from the replica`);
    }
    assert.match((await anonymously(itemPath)).response.body, /Before the flood/);
  });

  test('the writer sees their change at once; anonymous visitors see the replica', async () => {
    // The replica keeps receiving WAL but shows nothing newer: whatever it answers is old.
    await replica.pauseReplay();
    const renamed = await call(app, creator, 'PATCH', `/items/${item.id}`, {
      title: 'After the flood',
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.match(String(renamed.headers['set-cookie']), new RegExp(`${WROTE_COOKIE}=1`));

    // the creator, signed in, reads from the primary
    const own = await send(app, creator.jar, { url: itemPath });
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /After the flood/);

    // a visitor with no cookie gets the replica's page, the lag bound old at most
    const { response: stale, fromReplica } = await anonymously(itemPath);
    assert.equal(stale.statusCode, 200);
    assert.ok(fromReplica > 0);
    assert.match(stale.body, /Before the flood/);
    assert.doesNotMatch(stale.body, /After the flood/);

    // signed out right after the change, the writer still reads from the primary (the marker)
    const loggedOut = await call(app, creator, 'POST', '/auth/logout');
    assert.ok(loggedOut.statusCode < 300, loggedOut.body);
    assert.ok(creator.jar.cookies.has(WROTE_COOKIE), 'the marker outlives the session');
    const afterLogout = await send(app, creator.jar, { url: itemPath });
    assert.match(afterLogout.body, /After the flood/);

    // so does an anonymous visitor who sent anything that may write
    const visitor = newJar();
    const attempt = await send(app, visitor, {
      url: '/api/v1/auth/login',
      json: { email: 'nobody@example.com', password: 'not the password' },
    });
    assert.equal(attempt.statusCode, 401, attempt.body);
    const seen = await send(app, visitor, { url: itemPath });
    assert.match(seen.body, /After the flood/);
  });

  test('a replica further behind than the bound is not read from', async () => {
    const primaryUrl = primary?.url ?? assert.fail('the primary runs');
    // the same replica, replay still held back, judged against a bound of 100 ms
    const strict = new ReadReplicaClass({
      primary: createPool(primaryUrl, { max: 1 }),
      replica: createPool(replica.url, { max: 1 }),
      maxLagMs: 100,
      log,
    });
    try {
      await strict.check();
      await until(async () => {
        await strict.check();
        return strict.state === 'lagging' ? true : undefined;
      }, 'the held-back replica to count as lagging');
      assert.equal(strict.usable, false);
      assert.equal(strict.unusableBecause, 'lagging');
    } finally {
      await strict.close();
      await strict.options.primary.end();
    }
  });

  test('with the replica down, pages come from the primary; once back, from the replica', async () => {
    await replica.stop();
    for (const url of [itemPath, '/search?q=flood', `/@${creator.handle}`]) {
      const { response, fromReplica } = await anonymously(url);
      assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`);
      assert.equal(fromReplica, 0);
    }
    assert.match((await anonymously(itemPath)).response.body, /After the flood/);
    assert.notEqual(readReplica.state, 'up');
    assert.ok((await metric('db_replica_fallbacks_total')) > 0);
    assert.equal(await metric('db_replica_up'), 0);

    // back: it resumes streaming (and replaying), the next check closes the circuit
    await replica.start();
    await replica.caughtUp();
    await replicaInUse();
    const { response, fromReplica } = await anonymously(itemPath);
    assert.equal(response.statusCode, 200);
    assert.ok(fromReplica > 0);
    assert.match(response.body, /After the flood/);
  });
});
