import { sql } from 'kysely';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { watch } from 'node:fs';
import { access, chmod, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startJobRunner } from '../../platform/jobs/runner.js';
import { StorageUnavailableError, type ObjectStore } from '../../platform/storage/index.js';
import {
  enqueueFileProcessing,
  hasReadyFile,
  mediaToolsAvailable,
  processFileTask,
  removeOrphanedFileObjects,
  TOOLS_MISSING_NOTICE,
  GAVE_UP,
} from './index.js';
import {
  generate,
  listKeys,
  listenToFileStatus,
  loadFile,
  processNow,
  setUpMedia,
  sine,
  submitFile,
  TOOLS,
  type MediaFixture,
} from './media.test-helpers.js';

let fx: MediaFixture;
let mp3: string;
before(async () => {
  fx = await setUpMedia();
  mp3 = await generate(fx.work, 'tune.mp3', [...sine(3), '-b:a', '128k']);
});
after(async () => {
  await fx.close();
});

const store = () => fx.t.runtime.storage;
const expectedKeys = (id: string) =>
  ['original', 'preview.m4a', 'stream.m4a', 'waveform.json'].map((n) => `files/${id}/${n}`);

/** The real store, except that put() fails for keys matching `failOn` while `failing` holds. */
function faultyStore(failOn: RegExp, state = { failing: true }): ObjectStore {
  const real = store();
  return Object.assign(Object.create(real) as ObjectStore, {
    put: (
      key: string,
      ...rest: Parameters<ObjectStore['put']> extends [string, ...infer R] ? R : never
    ) => {
      if (state.failing && failOn.test(key))
        return Promise.reject(new Error(`injected failure storing ${key}`));
      return real.put(key, ...rest);
    },
  });
}

describe('processing is safe to repeat and to interrupt', () => {
  test('the queued job runs in the worker, once per file, and the item then has a ready file', async () => {
    const { db, pool, log, metrics, tempDir } = fx.t.runtime;
    const ready = hasReadyFile(db);
    assert.equal(await ready(fx.itemId), false);
    const listener = await listenToFileStatus(fx);
    try {
      const id = await submitFile(fx, store(), { path: mp3, name: 'tune.mp3' });
      await db.transaction().execute(async (trx) => {
        await enqueueFileProcessing(trx, id);
        await enqueueFileProcessing(trx, id); // the job key keeps one
      });
      const runner = await startJobRunner({
        pool, db, log, metrics, crontab: '', concurrency: 2,
        tasks: [processFileTask({ db, store: store(), tempDir }, { tools: TOOLS })],
      }); // prettier-ignore
      try {
        await listener.waitFor((e) => e.id === id && e.status === 'ready');
      } finally {
        await runner.stop();
      }
      const { file } = await loadFile(fx, id);
      assert.equal(file.status, 'ready');
      assert.equal(file.attempts, 1);
      assert.equal(await ready(fx.itemId), true);
      assert.equal(await ready(randomUUID()), false);
    } finally {
      await listener.close();
    }
  });

  test('running the job twice gives the same result and no extra objects', async () => {
    const id = await submitFile(fx, store(), { path: mp3, name: 'tune.mp3' });
    await processNow(fx, store(), id);
    const first = await loadFile(fx, id);
    await processNow(fx, store(), id);
    const second = await loadFile(fx, id);
    assert.equal(first.file.status, 'ready');
    assert.deepEqual(second, first);
    assert.deepEqual(await listKeys(store(), `files/${id}/`), expectedKeys(id));
    assert.deepEqual(await listKeys(store(), 'tmp/'), []);
    // each run's scratch folder is gone
    assert.deepEqual(await readdir(fx.t.runtime.tempDir), []);
  });

  test('a run that dies after storing the original finishes exactly once on the rerun', async () => {
    const listener = await listenToFileStatus(fx);
    try {
      const id = await submitFile(fx, store(), { path: mp3, name: 'tune.mp3' });
      await assert.rejects(processNow(fx, faultyStore(/stream\.m4a$/), id), /injected failure/);
      const halfway = await loadFile(fx, id);
      assert.equal(halfway.file.status, 'processing');
      assert.deepEqual(await listKeys(store(), `files/${id}/`), [`files/${id}/original`]);
      // an earlier run may also have left an object under a name this run does not make
      await store().put(`files/${id}/stale.bin`, Buffer.from('left over'));

      await processNow(fx, store(), id, undefined, 2);
      const { file, renditions } = await loadFile(fx, id);
      assert.equal(file.status, 'ready');
      assert.equal(file.attempts, 2);
      assert.equal(Object.keys(renditions).length, 3);
      assert.deepEqual(await listKeys(store(), `files/${id}/`), expectedKeys(id));
      assert.deepEqual(await listKeys(store(), `tmp/uploads/${id}`), []);
      await listener.settle();
      assert.deepEqual(
        listener.events.filter((e) => e.id === id).map((e) => e.status),
        ['pending', 'processing', 'ready'],
      );
    } finally {
      await listener.close();
    }
  });

  test('a worker process killed in the middle of ffmpeg leaves a file the next run finishes once', async () => {
    // ffmpeg that answers -version but hangs on real work, after saying it started
    const started = path.join(fx.work, 'started');
    const hanging = path.join(fx.work, 'hanging-ffmpeg');
    await writeFile(
      hanging,
      `#!/bin/sh\nif [ "$2" = "-version" ]; then exec ${TOOLS.ffmpeg} "$@"; fi\ntouch ${started}\nexec sleep 60\n`,
    );
    await chmod(hanging, 0o755);
    const id = await submitFile(fx, store(), { path: mp3, name: 'tune.mp3' });
    const { config, tempDir } = fx.t.runtime;
    const child = spawn(
      process.execPath,
      [
        '--import', 'tsx', fileURLToPath(new URL('media.kill-child.ts', import.meta.url)),
        config.databaseUrl ?? '', path.join(config.dataDir, 'objects'), tempDir, id, hanging,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'], detached: true },
    ); // prettier-ignore
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // the worker is inside ffmpeg once the fake tool has touched its file
    await new Promise<void>((resolve) => {
      const watcher = watch(fx.work, (_event, name) => {
        if (name === 'started') {
          watcher.close();
          resolve();
        }
      });
      void access(started).then(
        () => {
          watcher.close();
          resolve();
        },
        () => undefined,
      );
    });
    assert.equal((await loadFile(fx, id)).file.status, 'processing');
    // the whole process group: the worker and its ffmpeg, as a machine crash would
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    await exited;

    await processNow(fx, store(), id, undefined, 2);
    const { file } = await loadFile(fx, id);
    assert.equal(file.status, 'ready');
    assert.deepEqual(await listKeys(store(), `files/${id}/`), expectedKeys(id));
    assert.deepEqual(await listKeys(store(), `tmp/uploads/${id}`), []);
  });

  test('the last attempt gives up with a reason and leaves nothing behind', async () => {
    const id = await submitFile(fx, store(), { path: mp3, name: 'tune.mp3' });
    await processNow(fx, faultyStore(/waveform/), id, undefined, 5);
    const { file } = await loadFile(fx, id);
    assert.equal(file.status, 'failed');
    assert.equal(file.error, GAVE_UP);
    assert.deepEqual(await listKeys(store(), `files/${id}/`), []);
    assert.deepEqual(await listKeys(store(), `tmp/uploads/${id}`), []);
  });

  test('a storage outage on the last attempt queues the file again for later, keeping its bytes', async () => {
    const id = await submitFile(fx, store(), { path: mp3, name: 'tune.mp3' });
    const real = store();
    const down = Object.assign(Object.create(real) as ObjectStore, {
      get: () => Promise.reject(new StorageUnavailableError('get')),
    });
    await processNow(fx, down, id, undefined, 5);
    const { file } = await loadFile(fx, id);
    assert.equal(file.status, 'processing', 'not given up');
    const job = await sql<{ run_at: Date; attempts: number }>`
      select run_at, attempts from graphile_worker.jobs where key = ${`file:${id}`}
    `.execute(fx.t.runtime.db);
    const queued = job.rows[0];
    assert.ok(queued, 'a job waits for the file');
    assert.equal(queued.attempts, 0, 'with fresh attempts');
    assert.ok(queued.run_at.getTime() > Date.now() + 60_000, 'a few minutes from now');
    assert.deepEqual(await listKeys(store(), `tmp/uploads/${id}`), [`tmp/uploads/${id}`]);
    // storage is back: the next run finishes it
    await processNow(fx, store(), id);
    assert.equal((await loadFile(fx, id)).file.status, 'ready');
  });

  test('without ffmpeg, audio is ready as the original only, with a notice', async () => {
    const missing = { ffmpeg: '/nonexistent/ffmpeg', ffprobe: '/nonexistent/ffprobe' };
    assert.equal(await mediaToolsAvailable(missing), false);
    assert.equal(await mediaToolsAvailable(TOOLS), true);
    const id = await submitFile(fx, store(), { path: mp3, name: 'tune.mp3' });
    await processNow(fx, store(), id, { tools: missing });
    const { file, renditions } = await loadFile(fx, id);
    assert.equal(file.status, 'ready');
    assert.equal(file.kind, 'audio');
    assert.equal(file.notice, TOOLS_MISSING_NOTICE);
    assert.deepEqual(renditions, {});
    assert.deepEqual(await listKeys(store(), `files/${id}/`), [`files/${id}/original`]);
  });
});

describe('cleaning up', () => {
  test('objects of a file whose row is gone are removed; others stay', async () => {
    const kept = await submitFile(fx, store(), { path: mp3, name: 'kept.mp3' });
    await processNow(fx, store(), kept);
    const gone = await submitFile(fx, store(), { path: mp3, name: 'gone.mp3' });
    await processNow(fx, store(), gone);
    await fx.t.runtime.db.deleteFrom('files').where('id', '=', gone).execute();
    const { db } = fx.t.runtime;
    // nothing is old enough yet
    assert.equal(await removeOrphanedFileObjects(db, store(), new Date(Date.now() - 3600e3)), 0);
    assert.equal(await removeOrphanedFileObjects(db, store(), new Date(Date.now() + 1000)), 4);
    assert.deepEqual(await listKeys(store(), `files/${gone}/`), []);
    assert.deepEqual(await listKeys(store(), `files/${kept}/`), expectedKeys(kept));
  });
});
