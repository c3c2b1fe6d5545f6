// Fault injection: the real worker process (`npm run worker`, src/worker.ts) SIGKILLed in the
// middle of its work, then started again, as systemd would. Two moments:
//  - media processing: a real audio file uploaded over tus, the worker killed while its ffmpeg
//    child is encoding; after the restart the file is ready once (one set of renditions in the
//    database and in the store, nothing left in the upload area);
//  - a payout: the worker killed the moment Stripe (the fake, behind a proxy the test controls)
//    has made the transfer and before the worker could record it; after the restart there is one
//    transfer at Stripe, one paid payout, and the ledger balances.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { balances } from '../../src/modules/ledger/index.js';
import { availableNow } from '../../src/modules/ledger/ledger.test-helpers.js';
import { schedulePayouts } from '../../src/modules/payouts/index.js';
import { StripeProcessor } from '../../src/modules/payments/stripe/stripe-processor.js';
import { until } from '../../src/modules/payments/payments.test-helpers.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
} from '../../src/modules/catalog/catalog.test-helpers.js';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe-fake-server.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { send } from '../helpers/http.js';
import { startWorkerProcess, type ServerProcess } from '../helpers/server-process.js';
import { generate, sine } from '../../src/modules/media/media.test-helpers.js';

const WEBHOOK_SECRET = 'whsec_worker_kill';
const log = (line: string) => console.log(`worker-kill: ${line}`);

let fake: FakeStripe;
let proxy: Server;
let proxyUrl: string;
/** set by the payout test: called once the fake has answered a transfer, before we forward it */
let onTransferMade: (() => void) | undefined;
let t: TestApp;
let baseUrl: string;
let work: string;
const workers: ServerProcess[] = [];

before(async () => {
  fake = await startFakeStripe();
  // Stripe as the worker sees it: the fake, except that a transfer's answer can be held back.
  proxy = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length')
          headers.set(name, value);
      }
      const method = req.method ?? 'GET';
      const answer = await fetch(`${fake.url}${req.url ?? '/'}`, {
        method,
        headers,
        ...(method !== 'GET' && method !== 'DELETE' && { body: Buffer.concat(chunks) }),
      });
      const body = Buffer.from(await answer.arrayBuffer());
      const hook = onTransferMade;
      if (method === 'POST' && req.url === '/v1/transfers' && hook) {
        onTransferMade = undefined;
        hook(); // the worker dies here: the transfer exists, the worker never hears of it
        res.destroy();
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  t = await createTestApp({
    env: {
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: fake.secretKey,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: proxyUrl,
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  work = await mkdtemp(path.join(tmpdir(), 'makenot-worker-kill-'));
});

after(async () => {
  for (const worker of workers) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
  }
  await t.close();
  await new Promise<void>((resolve) => {
    proxy.closeAllConnections();
    proxy.close(() => resolve());
  });
  await fake.close();
  await rm(work, { recursive: true, force: true });
});

/** The standalone worker on the app's database and data directory (so the same file store). */
async function startWorker(): Promise<ServerProcess> {
  const config = t.runtime.config;
  const worker = startWorkerProcess({
    DATABASE_URL: config.databaseUrl ?? '',
    DATA_DIR: config.dataDir,
    APP_SECRET: config.appSecret,
    PUBLIC_URL: config.publicUrl.toString(),
    PAYMENTS: 'stripe',
    STRIPE_SECRET_KEY: fake.secretKey,
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: proxyUrl,
  });
  workers.push(worker);
  await worker.ready;
  return worker;
}

async function sigkill(worker: ServerProcess) {
  worker.child.kill('SIGKILL');
  assert.deepEqual(await worker.exited, { code: null, signal: 'SIGKILL' });
}

async function stop(worker: ServerProcess) {
  worker.child.kill('SIGTERM');
  assert.deepEqual(await worker.exited, { code: 0, signal: null });
}

/** Child processes of `pid` by command name, read from /proc as `ps` would. */
async function childrenOf(pid: number): Promise<{ pid: number; command: string }[]> {
  const found: { pid: number; command: string }[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (match && Number(match[2]) === pid)
      found.push({ pid: Number(entry), command: match[1] ?? '' });
  }
  return found;
}

async function storeKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of t.runtime.storage.list(prefix)) keys.push(object.key);
  return keys.sort();
}

const db = () => t.runtime.db;

test('a worker SIGKILLed while ffmpeg encodes an upload: after a restart the file is ready once', async () => {
  const creator = await signUpCreator(t.app);
  await db()
    .updateTable('users')
    .set({ creator_tier: 'big_files' })
    .where('id', '=', creator.id)
    .execute();
  const project = await makeProject(t.app, creator);
  const item = await makeItem(t.app, creator, project.id, { type: 'audio', title: 'Long tide' });
  // a minute and a half of sound: long enough that encoding it takes the worker a few seconds
  const mp3 = await generate(work, 'long-tide.mp3', [...sine(90), '-b:a', '128k']);
  const bytes = await readFile(mp3);

  const worker = await startWorker();
  // tus creation-with-upload: the whole file in one request; the last byte queues processing
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const uploaded = await fetch(`${baseUrl}/api/v1/uploads`, {
    method: 'POST',
    headers: {
      'tus-resumable': '1.0.0',
      'x-csrf-token': creator.csrf,
      cookie: [...creator.jar.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'upload-length': String(bytes.length),
      'upload-metadata': `item_id ${b64(item.id)},filename ${b64('long tide.mp3')}`,
      'content-type': 'application/offset+octet-stream',
    },
    body: bytes,
  });
  await uploaded.arrayBuffer();
  assert.equal(uploaded.status, 201);
  const fileId = uploaded.headers.get('upload-file-id') ?? '';
  assert.match(fileId, /^[0-9a-f-]{36}$/);
  log(`uploaded ${bytes.length} bytes of mp3 over tus as file ${fileId}`);

  // the moment: the file is processing and the worker has an ffmpeg child at work
  const ffmpeg = await until(
    async () => {
      const file = await db()
        .selectFrom('files')
        .select('status')
        .where('id', '=', fileId)
        .executeTakeFirst();
      if (file?.status !== 'processing' || worker.child.pid === undefined) return undefined;
      return (await childrenOf(worker.child.pid)).find((c) => c.command === 'ffmpeg');
    },
    'the worker to run ffmpeg on the file',
    60_000,
  );
  await sigkill(worker);
  log(
    `injected: SIGKILL to worker pid ${worker.child.pid} while its ffmpeg (pid ${ffmpeg.pid}) ran`,
  );
  const stuck = await db()
    .selectFrom('files')
    .select(['status', 'attempts'])
    .where('id', '=', fileId)
    .executeTakeFirstOrThrow();
  const locked = await sql<{ n: number }>`
    select count(*)::int as n from graphile_worker.jobs where key = ${`file:${fileId}`}
      and locked_at is not null`.execute(db());
  log(
    `observed after the kill: file ${stuck.status} (attempt ${stuck.attempts}), ` +
      `job still locked by the dead worker: ${locked.rows[0]?.n === 1}`,
  );
  assert.equal(stuck.status, 'processing');
  // The orphaned ffmpeg has no one to report to; a crash of the machine would end it too.
  // It may already have ended by itself (its output pipe closed with the worker).
  try {
    process.kill(ffmpeg.pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }

  const started = Date.now();
  const restarted = await startWorker();
  const ready = await until(
    async () => {
      const file = await db()
        .selectFrom('files')
        .select(['status', 'attempts', 'error'])
        .where('id', '=', fileId)
        .executeTakeFirst();
      return file?.status === 'ready' || file?.status === 'failed' ? file : undefined;
    },
    'the restarted worker to finish the file',
    90_000,
  );
  log(
    `observed: restarted worker finished the file in ${Date.now() - started} ms: ` +
      `status ${ready.status}, attempts ${ready.attempts}`,
  );
  assert.equal(ready.status, 'ready', ready.error ?? '');
  assert.equal(ready.attempts, 2, 'the killed run and the one that finished');

  const renditions = await db()
    .selectFrom('file_renditions')
    .select('name')
    .where('file_id', '=', fileId)
    .orderBy('name')
    .execute();
  assert.deepEqual(
    renditions.map((r) => r.name),
    ['preview', 'stream', 'waveform'],
    'one set of renditions, no duplicates',
  );
  const keys = await storeKeys(`files/${fileId}/`);
  assert.deepEqual(
    keys,
    ['original', 'preview.m4a', 'stream.m4a', 'waveform.json'].map((n) => `files/${fileId}/${n}`),
  );
  // the queue drops the job once the run that made the file ready has returned
  await until(async () => {
    const jobs = await sql<{ n: number }>`
      select count(*)::int as n from graphile_worker.jobs where key = ${`file:${fileId}`}`.execute(
      db(),
    );
    return jobs.rows[0]?.n === 0 ? true : undefined;
  }, 'the file job to be done and gone');
  log(`observed: renditions ${renditions.length}, objects ${keys.join(', ')}`);
  await stop(restarted);
});

test('a worker SIGKILLed with a transfer in flight: after a restart one transfer, paid once', async () => {
  const creator = await signUpCreator(t.app);
  const amount = 4321;
  await availableNow(db(), creator.id, amount);
  const onboarding = await call(t.app, creator, 'POST', '/me/payout-account/onboarding');
  assert.equal(onboarding.statusCode, 200, onboarding.body);
  const accountId = fake.accountLinks.at(-1)?.params.account;
  assert.ok(typeof accountId === 'string');
  fake.finishOnboarding(accountId);
  const back = await send(t.app, creator.jar, { url: '/dashboard/payouts/account/return' });
  assert.equal(back.statusCode, 303);

  const worker = await startWorker();
  const killed = new Promise<void>((resolve) => {
    onTransferMade = () => {
      worker.child.kill('SIGKILL');
      resolve();
    };
  });
  const settings = t.runtime.config.stripe;
  assert.ok(settings);
  const [payoutId, ...more] = await schedulePayouts({
    db: db(),
    processor: new StripeProcessor(settings),
  });
  assert.ok(payoutId);
  assert.deepEqual(more, []);
  await killed;
  assert.deepEqual(await worker.exited, { code: null, signal: 'SIGKILL' });
  const transfersTo = () => fake.transfers.filter((tr) => tr.object.destination === accountId);
  const stuck = await db()
    .selectFrom('payouts')
    .select('status')
    .where('id', '=', payoutId)
    .executeTakeFirstOrThrow();
  log(
    `injected: SIGKILL to worker pid ${worker.child.pid} after Stripe made transfer ` +
      `${String(transfersTo()[0]?.object.id)} and before the worker heard back`,
  );
  log(
    `observed after the kill: transfers at Stripe ${transfersTo().length}, payout ${stuck.status}`,
  );
  assert.equal(transfersTo().length, 1);
  assert.equal(stuck.status, 'queued', 'the worker never recorded it');

  const started = Date.now();
  const restarted = await startWorker();
  const paid = await until(
    async () => {
      const row = await db()
        .selectFrom('payouts')
        .select(['status', 'transfer_id'])
        .where('id', '=', payoutId)
        .executeTakeFirst();
      return row?.status === 'queued' ? undefined : row;
    },
    'the restarted worker to settle the payout',
    60_000,
  );
  const transfers = transfersTo();
  log(
    `observed: restarted worker settled the payout in ${Date.now() - started} ms: ` +
      `${paid.status}, transfers at Stripe ${transfers.length}`,
  );
  assert.equal(paid.status, 'paid');
  assert.equal(transfers.length, 1, 'exactly one transfer');
  assert.equal(paid.transfer_id, transfers[0]?.object.id);
  assert.equal(transfers[0]?.idempotencyKey, `payout:${payoutId}`);
  const payouts = await db()
    .selectFrom('payouts')
    .select('status')
    .where('creator_id', '=', creator.id)
    .execute();
  assert.deepEqual(
    payouts.map((p) => p.status),
    ['paid'],
  );
  const usd = (await balances(db(), creator.id)).find((b) => b.currency === 'USD');
  assert.equal(usd?.paid_out, amount);
  assert.equal(usd.in_transit, 0);
  assert.equal(usd.available, 0);
  const sums = await sql<{ currency: string; total: number }>`
    select currency, sum(amount)::int as total from ledger_postings group by currency`.execute(
    db(),
  );
  log(`observed: ledger sums per currency ${JSON.stringify(sums.rows)}`);
  for (const row of sums.rows) assert.equal(row.total, 0, `the ledger balances in ${row.currency}`);
  await stop(restarted);
});
