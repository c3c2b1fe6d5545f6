// deploy/backup.sh and deploy/restore.sh on real data: a server makes a creator, an item and a
// processed audio file; the backup is restored into a fresh database and DATA_DIR; a server on
// the restored data shows the same account (old session and password), item and file bytes.
// pg_dump must be at least the server's version, so this uses the machine's PostgreSQL at
// 127.0.0.1:5432 (Debian's pg_dump matches it), with databases it creates and drops itself.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { newJar, send } from '../helpers/http.js';
import { remoteApp } from '../helpers/remote-app.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
} from '../../src/modules/catalog/catalog.test-helpers.js';
import { until } from '../../src/modules/payments/payments.test-helpers.js';
import type { FileJson } from '../../src/modules/files/files.api.js';
import { generate, sine } from '../../src/modules/media/media.test-helpers.js';

const run = promisify(execFile);
const ADMIN_URL = process.env.BACKUP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = randomBytes(4).toString('hex');
const databases = { source: `mnw_backup_src_${suffix}`, target: `mnw_backup_dst_${suffix}` };
let root: string;
const servers: ServerProcess[] = [];

function urlOf(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.href;
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function start(database: string, dataDir: string): Promise<ServerProcess> {
  const port = await freePort();
  const server = startServerProcess({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: urlOf(database),
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
  });
  servers.push(server);
  await server.ready;
  return server;
}

async function stop(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

/** A deploy script with only what an operator's shell would have. */
async function script(name: string, args: string[], env: Record<string, string>) {
  return run(path.resolve('deploy', name), args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    timeout: 60_000,
  });
}

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'makenot-backup-'));
  await admin(`create database ${databases.source}`).catch((error: unknown) => {
    throw new Error(
      `the backup test needs PostgreSQL at ${ADMIN_URL} (set BACKUP_TEST_PG_URL): ${String(error)}`,
    );
  });
  await admin(`create database ${databases.target}`);
});

after(async () => {
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }
  await admin(`drop database if exists ${databases.source} with (force)`);
  await admin(`drop database if exists ${databases.target} with (force)`);
  await rm(root, { recursive: true, force: true });
});

test(
  'backup.sh then restore.sh bring back the account, item and file on a fresh database',
  { timeout: 150_000 },
  async () => {
    const sourceDir = path.join(root, 'source');
    const wav = await readFile(await generate(root, 'tone.wav', sine(3)));

    // real data, made through the real server (its worker processes the file)
    const source = await start(databases.source, sourceDir);
    const app = remoteApp(source.baseUrl);
    const creator = await signUpCreator(app);
    const project = await makeProject(app, creator);
    const item = await makeItem(app, creator, project.id, { type: 'audio', title: 'Kept tone' });
    const uploaded = await send(app, creator.jar, {
      url: `/api/v1/items/${item.id}/files`,
      headers: { 'x-csrf-token': creator.csrf },
      multipart: {
        file: { field: 'file', filename: 'tone.wav', contentType: 'audio/wav', body: wav },
      },
    });
    assert.equal(uploaded.statusCode, 202, uploaded.body);
    const fileId = uploaded.json<{ file: FileJson }>().file.id;
    await until(
      async () => {
        const res = await call(app, creator, 'GET', `/files/${fileId}`);
        return res.json<{ file: FileJson }>().file.status === 'ready' ? true : undefined;
      },
      'the file to be processed',
      60_000,
    );
    await stop(source);

    const backups = path.join(root, 'backups');
    const sourceEnv = { DATABASE_URL: urlOf(databases.source), DATA_DIR: sourceDir };
    const made = await script('backup.sh', [backups], sourceEnv);
    console.log(`backup-restore: ${made.stdout.trim().split('\n').join(' | ')}`);
    const backupDir = path.join(backups, 'latest');
    const contents = (await readdir(backupDir)).sort();
    assert.deepEqual(contents, ['MANIFEST', 'app-secret', 'db.dump', 'objects']);

    // refused: restoring over the source database, which has tables
    await assert.rejects(
      script('restore.sh', [backupDir], sourceEnv),
      (error: { stderr: string }) => {
        assert.match(error.stderr, /restore into an empty database or pass --force/);
        return true;
      },
    );

    const targetDir = path.join(root, 'target');
    const targetEnv = { DATABASE_URL: urlOf(databases.target), DATA_DIR: targetDir };
    const restored = await script('restore.sh', [backupDir], targetEnv);
    console.log(`backup-restore: ${restored.stdout.trim().split('\n').join(' | ')}`);

    // the restored server: same session, same password, same item and file bytes
    const target = await start(databases.target, targetDir);
    const again = remoteApp(target.baseUrl);
    const me = await send(again, creator.jar, { url: '/api/v1/me' });
    assert.equal(me.statusCode, 200, me.body);
    const fresh = newJar();
    const login = await send(again, fresh, {
      url: '/api/v1/auth/login',
      json: { email: creator.email, password: creator.password },
    });
    assert.equal(login.statusCode, 200, login.body);
    const got = await call(again, creator, 'GET', `/items/${item.id}`);
    assert.equal(got.statusCode, 200, got.body);
    assert.equal(got.json<{ item: { title: string } }>().item.title, 'Kept tone');
    const file = (await call(again, creator, 'GET', `/files/${fileId}`)).json<{ file: FileJson }>()
      .file;
    assert.equal(file.status, 'ready');
    const download = (await call(again, creator, 'GET', `/files/${fileId}/download`)).json<{
      url: string;
    }>();
    const bytes = await fetch(download.url);
    assert.equal(bytes.status, 200);
    assert.equal(Buffer.from(await bytes.arrayBuffer()).equals(wav), true);
    console.log(
      `backup-restore: restored ${databases.target}: user ${creator.handle}, item ${item.id}, file ${fileId} (${wav.length} bytes) served again`,
    );
    await stop(target);
  },
);
