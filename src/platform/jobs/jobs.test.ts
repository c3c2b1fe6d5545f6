import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type pg from 'pg';
import { pino } from 'pino';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { createDb, createPool, type Db } from '../../db/database.js';
import { createMetrics } from '../metrics.js';
import { addJob } from './queue.js';
import { startJobRunner } from './runner.js';
import { defineTask } from './task.js';
import { until } from '../../../test/helpers/until.js';

let database: TestDatabase;
let pool: pg.Pool;
let db: Db;
const log = pino({ level: 'silent' });

before(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url);
  db = createDb(pool);
});
after(async () => {
  await db.destroy();
  await database.drop();
});

async function jobCount(task: string): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker._private_jobs j
    join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = ${task}`.execute(
    db,
  );
  return r.rows[0]?.n ?? 0;
}

describe('job queue', () => {
  test('a job added in a rolled-back transaction never exists', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await addJob(trx, 'test:rolled_back', { n: 1 });
        throw new Error('abort');
      }),
      /abort/,
    );
    assert.equal(await jobCount('test:rolled_back'), 0);
  });

  test('a job key keeps one pending job', async () => {
    await addJob(
      db,
      'test:keyed',
      { n: 1 },
      { jobKey: 'same', runAt: new Date(Date.now() + 3600e3) },
    );
    await addJob(
      db,
      'test:keyed',
      { n: 2 },
      { jobKey: 'same', runAt: new Date(Date.now() + 3600e3) },
    );
    assert.equal(await jobCount('test:keyed'), 1);
  });

  test('the runner runs committed jobs with validated payloads and drops malformed ones', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const seen: number[] = [];
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const task = defineTask({
      name: 'test:record',
      payload: z.object({ n: z.number().int() }),
      run: async ({ n }) => {
        seen.push(n);
        if (n === 2) resolveDone();
      },
    });
    // Malformed first, then a good one: when the good one ran, the bad one was handled too.
    await addJob(db, 'test:record', { n: 'not a number' }, { priority: 0 });
    await db.transaction().execute((trx) => addJob(trx, 'test:record', { n: 2 }, { priority: 1 }));
    const runner = await startJobRunner({
      pool,
      db,
      log,
      metrics,
      tasks: [task],
      crontab: '',
      concurrency: 1,
    });
    const heartbeat = await db.selectFrom('worker_heartbeats').select('worker_id').execute();
    assert.deepEqual(
      heartbeat.map((h) => h.worker_id),
      [runner.workerId],
    );
    await done;
    // `done` fires inside the handler, before the runner records the job as complete; stopping
    // at once could release it instead (under load it did). Wait for the queue to empty: a
    // malformed job that was not dropped keeps it from emptying and fails the wait.
    await until(
      async () => ((await jobCount('test:record')) === 0 ? true : undefined),
      'the queue',
    );
    await runner.stop();
    assert.deepEqual(seen, [2]);
    assert.equal(await jobCount('test:record'), 0);
    const failed = await metrics.jobsFailed.get();
    assert.deepEqual(
      failed.values.map((v) => [v.labels.reason, v.value]),
      [['invalid_payload', 1]],
    );
    assert.equal((await db.selectFrom('worker_heartbeats').selectAll().execute()).length, 0);
  });
});
