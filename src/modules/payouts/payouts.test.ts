// The payout queue against the real ledger and the local processor: money on hold is released,
// a scheduled run queues one payout per creator and currency above the minimum, a worker killed
// between "transfer sent" and "payout recorded" still ends with exactly one transfer, and a
// refused transfer puts the money back and tells the creator.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { call, signUpCreator, type Creator } from '../catalog/catalog.test-helpers.js';
import { balances, recordSale, releaseDue } from '../ledger/index.js';
import { TransferRefused, type PaymentProcessor } from '../payments/processor.js';
import { LocalProcessor } from '../payments/local/local-processor.js';
import { schedulePayouts, sendPayout } from './payouts.service.js';

let t: TestApp;
let processor: PaymentProcessor;
before(async () => {
  t = await createTestApp();
  processor = new LocalProcessor(t.runtime.db, t.runtime.config);
});
after(() => t.close());

const DAY = 24 * 3600 * 1000;

async function creatorWithSales(sales: number[]): Promise<Creator> {
  const creator = await signUpCreator(t.app);
  for (const gross of sales) {
    await t.runtime.db.transaction().execute((trx) =>
      recordSale(trx, {
        eventKey: `evt_${randomUUID()}`,
        orderId: randomUUID(),
        creatorId: creator.id,
        gross,
        fee: Math.round(gross * 0.029) + 30,
        currency: 'USD',
        holdDays: 7,
      }),
    );
  }
  return creator;
}

async function usd(creator: Creator) {
  const balance = (await balances(t.runtime.db, creator.id)).find((b) => b.currency === 'USD');
  assert.ok(balance, 'a USD balance');
  return balance;
}

const transfersFor = (payoutId: string) =>
  t.runtime.db
    .selectFrom('local_transfers')
    .selectAll()
    .where('idempotency_key', '=', `payout:${payoutId}`)
    .execute();

test('held money is released after 7 days and paid out once, above the minimum', async () => {
  const creator = await creatorWithSales([2000, 1500]);
  const net = 2000 - 88 + (1500 - 74);
  assert.equal((await usd(creator)).pending, net);
  assert.deepEqual(await schedulePayouts({ db: t.runtime.db, processor }), [], 'nothing available');

  await releaseDue(t.runtime.db, new Date(Date.now() + 8 * DAY));
  assert.equal((await usd(creator)).available, net);
  assert.deepEqual(
    await schedulePayouts({ db: t.runtime.db, processor }),
    [],
    'no payout account connected yet',
  );
  const connected = await call(t.app, creator, 'PUT', '/me/payout-account', {});
  assert.equal(connected.statusCode, 200, connected.body);

  const [payoutId, ...more] = await schedulePayouts({ db: t.runtime.db, processor });
  assert.ok(payoutId);
  assert.deepEqual(more, []);
  assert.deepEqual(await schedulePayouts({ db: t.runtime.db, processor }), [], 'one at a time');
  let balance = await usd(creator);
  assert.equal(balance.available, 0);
  assert.equal(balance.in_transit, net);

  await sendPayout({ db: t.runtime.db, processor }, payoutId);
  await sendPayout({ db: t.runtime.db, processor }, payoutId); // a repeated job does nothing
  balance = await usd(creator);
  assert.equal(balance.in_transit, 0);
  assert.equal(balance.paid_out, net);
  assert.equal((await transfersFor(payoutId)).length, 1);
  const listed = await call(t.app, creator, 'GET', '/me/payouts');
  assert.deepEqual(
    listed
      .json<{ items: { id: string; status: string; amount: number }[] }>()
      .items.map((p) => [p.id, p.status, p.amount]),
    [[payoutId, 'paid', net]],
  );
  const api = await call(t.app, creator, 'GET', '/me/balance');
  assert.equal(
    api.json<{ balances: { currency: string; paid_out: number }[] }>().balances[0]?.paid_out,
    net,
  );
});

test('below the minimum nothing is paid out', async () => {
  const creator = await creatorWithSales([900]);
  await releaseDue(t.runtime.db, new Date(Date.now() + 8 * DAY));
  await call(t.app, creator, 'PUT', '/me/payout-account', {});
  const queued = await schedulePayouts({ db: t.runtime.db, processor });
  const mine = await t.runtime.db
    .selectFrom('payouts')
    .select('id')
    .where('creator_id', '=', creator.id)
    .execute();
  assert.deepEqual(mine, []);
  assert.ok(queued.every((id) => typeof id === 'string'));
});

test('a worker killed after the transfer and before recording it: one transfer, paid once', async () => {
  const creator = await creatorWithSales([5000]);
  await releaseDue(t.runtime.db, new Date(Date.now() + 8 * DAY));
  await call(t.app, creator, 'PUT', '/me/payout-account', {});
  const queued = await schedulePayouts({ db: t.runtime.db, processor });
  const payoutId = (
    await t.runtime.db
      .selectFrom('payouts')
      .select('id')
      .where('creator_id', '=', creator.id)
      .executeTakeFirstOrThrow()
  ).id;
  assert.ok(queued.includes(payoutId));

  // A worker process that sends the transfer and is SIGKILLed before it records anything.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('payouts.kill-child.ts', import.meta.url)),
      t.runtime.config.databaseUrl ?? '',
      payoutId,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const exit = await new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('exit', (_code, signal) => resolve(signal)),
  );
  assert.equal(exit, 'SIGKILL');
  assert.equal((await transfersFor(payoutId)).length, 1, 'the transfer went out');
  const stuck = await t.runtime.db
    .selectFrom('payouts')
    .select('status')
    .where('id', '=', payoutId)
    .executeTakeFirstOrThrow();
  assert.equal(stuck.status, 'queued', 'but was not recorded');

  // The job runs again (the queue retries it): the processor answers the same transfer.
  await sendPayout({ db: t.runtime.db, processor }, payoutId);
  assert.equal((await transfersFor(payoutId)).length, 1, 'exactly one transfer');
  const balance = await usd(creator);
  assert.equal(balance.paid_out, 5000 - 175);
  assert.equal(balance.in_transit, 0);
  assert.equal(balance.available, 0);
});

test('a refused transfer returns the money to available and mails the creator the reason', async () => {
  const creator = await creatorWithSales([3000]);
  await releaseDue(t.runtime.db, new Date(Date.now() + 8 * DAY));
  await call(t.app, creator, 'PUT', '/me/payout-account', {});
  await schedulePayouts({ db: t.runtime.db, processor });
  const payout = await t.runtime.db
    .selectFrom('payouts')
    .selectAll()
    .where('creator_id', '=', creator.id)
    .executeTakeFirstOrThrow();
  const refusing: PaymentProcessor = {
    ...processor,
    name: processor.name,
    webhookSecret: processor.webhookSecret,
    transfer: () => Promise.reject(new TransferRefused('The bank account was closed.')),
  };
  await sendPayout({ db: t.runtime.db, processor: refusing }, payout.id);
  const after = await t.runtime.db
    .selectFrom('payouts')
    .selectAll()
    .where('id', '=', payout.id)
    .executeTakeFirstOrThrow();
  assert.equal(after.status, 'failed');
  assert.equal(after.failure_reason, 'The bank account was closed.');
  assert.equal((await usd(creator)).available, payout.amount);
  const mail = await t.runtime.db
    .selectFrom('mail_messages')
    .select(['subject', 'text_body'])
    .where('to_address', '=', creator.email)
    .where('subject', '=', 'Your payout did not go through')
    .executeTakeFirst();
  assert.match(mail?.text_body ?? '', /The bank account was closed\./);
});
