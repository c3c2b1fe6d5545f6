import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { createDb, createPool, type Db } from '../../db/database.js';
import { FsObjectStore } from '../storage/index.js';
import {
  expiredIdempotencyKeysStep,
  MAIL_RETENTION_MS,
  oldMailStep,
  runCleanup,
  staleHeartbeatsStep,
  tempDirStep,
  tempObjectsStep,
  TEMP_MAX_AGE_MS,
  type CleanupStep,
} from './cleanup.jobs.js';

const log = pino({ level: 'silent' });
let database: TestDatabase;
let db: Db;
let dir: string;

before(async () => {
  database = await createTestDatabase();
  db = createDb(createPool(database.url));
  dir = await mkdtemp(path.join(tmpdir(), 'makenot-cleanup-'));
});
after(async () => {
  await db.destroy();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('cleanup of temporary data', () => {
  test('removes temp files older than a day and keeps fresh ones', async () => {
    const temp = path.join(dir, 'tmp');
    await mkdir(path.join(temp, 'old-upload'), { recursive: true });
    await writeFile(path.join(temp, 'old-upload', 'part-1'), 'x');
    await writeFile(path.join(temp, 'fresh'), 'y');
    const old = new Date(Date.now() - TEMP_MAX_AGE_MS - 60_000);
    await utimes(path.join(temp, 'old-upload'), old, old);
    const removed = await runCleanup([tempDirStep(temp)], log);
    assert.deepEqual(removed, { temp_files: 1 });
    assert.deepEqual(await readdir(temp), ['fresh']);
  });

  test('removes expired objects under tmp/ only', async () => {
    const store = new FsObjectStore({
      root: path.join(dir, 'objects'),
      secret: 's'.repeat(40),
      publicUrl: new URL('http://localhost:3000'),
    });
    await store.put('tmp/abandoned', Buffer.from('a'));
    await store.put('originals/keep', Buffer.from('b'));
    // Seen from a day later, everything written now has expired.
    const later = new Date(Date.now() + TEMP_MAX_AGE_MS + 60_000);
    assert.deepEqual(await runCleanup([tempObjectsStep(store)], log, later), { temp_objects: 1 });
    assert.equal(await store.head('tmp/abandoned'), undefined);
    assert.notEqual(await store.head('originals/keep'), undefined);
  });

  test('forgets workers not seen for an hour', async () => {
    await db
      .insertInto('worker_heartbeats')
      .values([
        { worker_id: 'gone', hostname: 'h', pid: 1, seen_at: new Date(Date.now() - 2 * 3600e3) },
        { worker_id: 'alive', hostname: 'h', pid: 2, seen_at: new Date() },
      ])
      .execute();
    await runCleanup([staleHeartbeatsStep(db)], log);
    const left = await db.selectFrom('worker_heartbeats').select('worker_id').execute();
    assert.deepEqual(
      left.map((r) => r.worker_id),
      ['alive'],
    );
  });

  test('forgets delivered mail after 30 days, never mail still queued', async () => {
    const old = new Date(Date.now() - MAIL_RETENTION_MS - 60_000);
    await db
      .insertInto('mail_messages')
      .values([
        { to_address: 'a@example.com', subject: 'old sent', text_body: 'x', created_at: old },
        { to_address: 'b@example.com', subject: 'old queued', text_body: 'x', created_at: old },
        { to_address: 'c@example.com', subject: 'new sent', text_body: 'x' },
      ])
      .execute();
    await db
      .updateTable('mail_messages')
      .set({ status: 'sent' })
      .where('subject', 'like', '%sent')
      .execute();
    assert.deepEqual(await runCleanup([oldMailStep(db)], log), { old_mail: 1 });
    const left = await db
      .selectFrom('mail_messages')
      .select('subject')
      .orderBy('subject')
      .execute();
    assert.deepEqual(
      left.map((m) => m.subject),
      ['new sent', 'old queued'],
    );
  });

  test('forgets idempotency keys after 24 hours', async () => {
    const old = new Date(Date.now() - 24 * 3600e3 - 60_000);
    await db
      .insertInto('idempotency_keys')
      .values([
        { caller: 'anon:127.0.0.1', key: 'old', request_hash: Buffer.alloc(32), created_at: old },
        { caller: 'anon:127.0.0.1', key: 'fresh', request_hash: Buffer.alloc(32) },
      ])
      .execute();
    assert.deepEqual(await runCleanup([expiredIdempotencyKeysStep(db)], log), {
      idempotency_keys: 1,
    });
    const left = await db.selectFrom('idempotency_keys').select('key').execute();
    assert.deepEqual(
      left.map((k) => k.key),
      ['fresh'],
    );
  });

  test('one failing step does not stop the others, and the job fails for a retry', async () => {
    const ran: string[] = [];
    const steps: CleanupStep[] = [
      { name: 'broken', run: () => Promise.reject(new Error('disk on fire')) },
      { name: 'fine', run: async () => (ran.push('fine'), 0) },
    ];
    await assert.rejects(runCleanup(steps, log), AggregateError);
    assert.deepEqual(ran, ['fine']);
  });
});
