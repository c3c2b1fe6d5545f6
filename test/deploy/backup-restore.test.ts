// deploy/backup.sh and deploy/restore.sh on real data: a server makes a creator, an item and a
// processed audio file; the backup is restored into a fresh database and DATA_DIR (fs driver) or
// bucket (S3 driver, s3rver through the AWS CLI); a server on the restored data shows the same
// account (old session and password), item and file bytes.
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
  type Creator,
} from '../../src/modules/catalog/catalog.test-helpers.js';
import { S3ObjectStore } from '../../src/platform/storage/index.js';
import {
  S3_BUCKET,
  S3_CREDENTIALS,
  startS3rver,
} from '../../src/platform/storage/testing/harnesses.js';
import { until } from '../../src/modules/payments/payments.test-helpers.js';
import type { FileJson } from '../../src/modules/files/files.api.js';
import { generate, sine } from '../../src/modules/media/media.test-helpers.js';

const run = promisify(execFile);
const ADMIN_URL = process.env.BACKUP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = randomBytes(4).toString('hex');
const databases = {
  source: `mnw_backup_src_${suffix}`,
  target: `mnw_backup_dst_${suffix}`,
  s3Source: `mnw_backup_s3src_${suffix}`,
  s3Target: `mnw_backup_s3dst_${suffix}`,
};
let root: string;
const servers: ServerProcess[] = [];
const buckets: { port: number; stop(): Promise<void> }[] = [];

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

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const server = startServerProcess({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    NODE_ENV: 'production',
    ...env,
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
  for (const name of Object.values(databases).slice(1)) await admin(`create database ${name}`);
});

after(async () => {
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  }
  for (const name of Object.values(databases)) {
    await admin(`drop database if exists ${name} with (force)`);
  }
  for (const s3 of buckets) await s3.stop();
  await rm(root, { recursive: true, force: true });
});

interface Made {
  creator: Creator;
  itemId: string;
  fileId: string;
  wav: Buffer;
}

/** A creator, an audio item and its processed file, made through a real server on `env`. */
async function makeData(env: Record<string, string>): Promise<Made> {
  const wav = await readFile(await generate(root, 'tone.wav', sine(3)));
  const source = await start(env);
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
  return { creator, itemId: item.id, fileId, wav };
}

/** A server on the restored data: same session, same password, same item and file bytes. */
async function assertRestored(env: Record<string, string>, made: Made): Promise<void> {
  const { creator, itemId, fileId, wav } = made;
  const target = await start(env);
  const again = remoteApp(target.baseUrl);
  const me = await send(again, creator.jar, { url: '/api/v1/me' });
  assert.equal(me.statusCode, 200, me.body);
  const login = await send(again, newJar(), {
    url: '/api/v1/auth/login',
    json: { email: creator.email, password: creator.password },
  });
  assert.equal(login.statusCode, 200, login.body);
  const got = await call(again, creator, 'GET', `/items/${itemId}`);
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
    `backup-restore: restored ${env.DATABASE_URL ?? ''}: user ${creator.handle}, item ${itemId}, file ${fileId} (${wav.length} bytes) served again from ${new URL(download.url).host}`,
  );
  await stop(target);
}

/** Runs a deploy script; returns its stdout as one line for the log. */
async function runScript(name: string, args: string[], env: Record<string, string>) {
  const { stdout } = await script(name, args, env);
  const line = stdout.trim().split('\n').join(' | ');
  console.log(`backup-restore: ${line}`);
  return line;
}

test(
  'backup.sh then restore.sh bring back the account, item and file on a fresh database',
  { timeout: 150_000 },
  async () => {
    const sourceEnv = {
      DATABASE_URL: urlOf(databases.source),
      DATA_DIR: path.join(root, 'source'),
    };
    const made = await makeData(sourceEnv);

    const backups = path.join(root, 'backups');
    await runScript('backup.sh', [backups], sourceEnv);
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

    const targetEnv = {
      DATABASE_URL: urlOf(databases.target),
      DATA_DIR: path.join(root, 'target'),
    };
    await runScript('restore.sh', [backupDir], targetEnv);
    await assertRestored(targetEnv, made);
  },
);

test(
  'with S3 storage: the bucket is mirrored by the backup and synced back by the restore',
  { timeout: 150_000 },
  async () => {
    const source = await startS3rver(path.join(root, 's3-source'));
    const target = await startS3rver(path.join(root, 's3-target'));
    buckets.push(source, target);
    const s3Env = (port: number) => ({
      S3_BUCKET,
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    });
    const sourceEnv = {
      DATABASE_URL: urlOf(databases.s3Source),
      DATA_DIR: path.join(root, 's3-source-data'),
      ...s3Env(source.port),
    };
    const made = await makeData(sourceEnv);

    const backups = path.join(root, 's3-backups');
    await runScript('backup.sh', [backups], sourceEnv);
    const backupDir = path.join(backups, 'latest');
    assert.deepEqual((await readdir(backupDir)).sort(), [
      'MANIFEST',
      'app-secret',
      'db.dump',
      's3',
    ]);
    assert.match(await readFile(path.join(backupDir, 'MANIFEST'), 'utf8'), /^objects=s3$/m);
    const mirrored = await readFile(path.join(backupDir, 's3', 'files', made.fileId, 'original'));
    assert.equal(mirrored.equals(made.wav), true, 'the original upload is in the backup, intact');

    // refused: a fresh database but a bucket that has objects (the source's)
    const targetEnv = {
      DATABASE_URL: urlOf(databases.s3Target),
      DATA_DIR: path.join(root, 's3-target-data'),
      ...s3Env(source.port),
    };
    await assert.rejects(
      script('restore.sh', [backupDir], targetEnv),
      (error: { stderr: string }) => {
        assert.match(error.stderr, /is not empty; restore into an empty bucket or pass --force/);
        return true;
      },
    );

    const restoredEnv = { ...targetEnv, ...s3Env(target.port) };
    await runScript('restore.sh', [backupDir], restoredEnv);
    await assertRestored(restoredEnv, made);

    // --force makes the bucket an exact copy: an object the backup does not have is deleted
    const store = new S3ObjectStore({
      config: {
        bucket: S3_BUCKET,
        endpoint: `http://127.0.0.1:${target.port}`,
        region: 'us-east-1',
        forcePathStyle: true,
        ...S3_CREDENTIALS,
      },
    });
    try {
      await store.put('files/stray/original', Buffer.from('not in the backup'));
      await runScript('restore.sh', ['--force', backupDir], restoredEnv);
      assert.equal(await store.head('files/stray/original'), undefined, 'the stray is gone');
      assert.ok(await store.head(`files/${made.fileId}/original`), 'the upload is still there');
    } finally {
      store.destroy();
    }
  },
);
