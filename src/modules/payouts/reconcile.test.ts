// Payout reconciliation against the real ledger and the local processor: a clean state gives a
// clean report; each kind of difference, injected on the processor's side (local_transfers) or
// ours (payouts), is reported; the daily job runs through the queue, is harmless twice, and its
// reports are for admins only.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import { call, signUpCreator, type Creator } from '../catalog/catalog.test-helpers.js';
import { availableNow } from '../ledger/ledger.test-helpers.js';
import { LocalProcessor, type PaymentProcessor } from '../payments/index.js';
import { until } from '../payments/payments.test-helpers.js';
import { createLogger } from '../../platform/log.js';
import { schedulePayouts } from './payouts.service.js';
import { reconcileJob, reconcilePayouts, type ReconcileDeps } from './reconcile.js';
import type { Difference, DifferenceKind } from './reconcile.rules.js';

let t: TestApp;
let processor: PaymentProcessor;
let deps: ReconcileDeps;
const db = () => t.runtime.db;

before(async () => {
  t = await createTestApp({ runJobs: true });
  processor = new LocalProcessor(db(), t.runtime.config);
  deps = { db: db(), processor, log: createLogger(t.runtime.config, 'test') };
});
after(() => t.close());

async function payoutStatus(id: string) {
  const row = await db()
    .selectFrom('payouts')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.status;
}

/** A creator with a sale, paid out through the real queue and the worker; returns the payout. */
async function settledPayout(
  destination?: string,
): Promise<{ creator: Creator; payoutId: string }> {
  const creator = await signUpCreator(t.app);
  await availableNow(db(), creator.id, 2000, 88);
  const connected = await call(t.app, creator, 'PUT', '/me/payout-account', {
    ...(destination !== undefined && { destination }),
  });
  assert.equal(connected.statusCode, 200, connected.body);
  await schedulePayouts({ db: db(), processor });
  const payout = await db()
    .selectFrom('payouts')
    .select('id')
    .where('creator_id', '=', creator.id)
    .executeTakeFirstOrThrow();
  await until(
    async () => ((await payoutStatus(payout.id)) === 'queued' ? undefined : true),
    'the payout to settle',
  );
  return { creator, payoutId: payout.id };
}

const kindsFor = (differences: Difference[], payoutOrKey: string): DifferenceKind[] =>
  differences
    .filter((d) => d.payout_id === payoutOrKey || d.idempotency_key === payoutOrKey)
    .map((d) => d.kind)
    .sort();

test('processor, payouts and ledger that agree give a clean report', async () => {
  const paid = await settledPayout();
  const failed = await settledPayout('acct_local_refused');
  assert.equal(await payoutStatus(paid.payoutId), 'paid');
  assert.equal(await payoutStatus(failed.payoutId), 'failed');

  const { reportId, differences } = await reconcilePayouts(deps);
  assert.deepEqual(differences, []);
  const report = await db()
    .selectFrom('reconciliation_reports')
    .selectAll()
    .where('id', '=', reportId)
    .executeTakeFirstOrThrow();
  assert.equal(report.status, 'clean');
  assert.equal(report.difference_count, 0);
  assert.equal(report.transfers_checked, 1);
  assert.equal(report.payouts_checked, 2);
  assert.ok(report.finished_at);
});

test('a transfer no payout asked for, and a paid payout the processor never sent, are reported', async () => {
  const strayKey = `payout:${randomUUID()}`;
  await db()
    .insertInto('local_transfers')
    .values({
      id: 'tr_local_stray',
      idempotency_key: strayKey,
      destination: 'acct_x',
      amount: 777,
      currency: 'USD',
    })
    .execute();
  const vanished = await settledPayout();
  await db()
    .deleteFrom('local_transfers')
    .where('idempotency_key', '=', `payout:${vanished.payoutId}`)
    .execute();

  const { differences } = await reconcilePayouts(deps);
  assert.deepEqual(kindsFor(differences, strayKey), ['transfer_without_payout']);
  assert.deepEqual(kindsFor(differences, vanished.payoutId), ['paid_without_transfer']);
});

test('a transfer of another amount or currency is reported; so is a payout row changed under the ledger', async () => {
  const more = await settledPayout();
  const euros = await settledPayout();
  const edited = await settledPayout();
  await db()
    .updateTable('local_transfers')
    .set((eb) => ({ amount: eb('amount', '+', 100) }))
    .where('idempotency_key', '=', `payout:${more.payoutId}`)
    .execute();
  await db()
    .updateTable('local_transfers')
    .set({ currency: 'EUR' })
    .where('idempotency_key', '=', `payout:${euros.payoutId}`)
    .execute();
  await db()
    .updateTable('payouts')
    .set((eb) => ({ amount: eb('amount', '-', 1) }))
    .where('id', '=', edited.payoutId)
    .execute();

  const { differences } = await reconcilePayouts(deps);
  const found = differences.find((d) => d.payout_id === more.payoutId);
  assert.equal(found?.kind, 'amount_mismatch');
  assert.equal(found.actual?.amount, (found.expected?.amount ?? 0) + 100);
  assert.deepEqual(kindsFor(differences, euros.payoutId), ['currency_mismatch']);
  assert.deepEqual(kindsFor(differences, edited.payoutId), ['amount_mismatch', 'ledger_mismatch']);
});

test('money sent for a payout we hold as queued or failed is reported (after a grace period)', async () => {
  const stuck = await settledPayout();
  // As if the worker died between the transfer and recording it, long enough ago.
  await db()
    .updateTable('payouts')
    .set({
      status: 'queued',
      transfer_id: null,
      settled_at: null,
      updated_at: new Date(Date.now() - 2 * 3600 * 1000),
    })
    .where('id', '=', stuck.payoutId)
    .execute();
  const refused = await settledPayout('acct_local_refused');
  await db()
    .insertInto('local_transfers')
    .values({
      id: `tr_local_${randomUUID()}`,
      idempotency_key: `payout:${refused.payoutId}`,
      destination: 'acct_local_refused',
      amount: 1912,
      currency: 'USD',
    })
    .execute();

  const { differences } = await reconcilePayouts(deps);
  // the ledger ended the stuck payout as paid, which a queued payout contradicts too
  assert.deepEqual(kindsFor(differences, stuck.payoutId), [
    'ledger_mismatch',
    'queued_with_transfer',
  ]);
  assert.deepEqual(kindsFor(differences, refused.payoutId), ['failed_with_transfer']);

  // Just touched: it may be mid-send, so not (yet) a difference.
  await db()
    .updateTable('payouts')
    .set({ updated_at: new Date() })
    .where('id', '=', stuck.payoutId)
    .execute();
  const fresh = await reconcilePayouts(deps);
  assert.deepEqual(kindsFor(fresh.differences, stuck.payoutId), ['ledger_mismatch']);
});

test('two transfers under one payout key are reported as duplicates', async () => {
  const twice = await settledPayout();
  // The local processor's unique key cannot send twice; a processor whose keys expire can.
  const duplicating: PaymentProcessor = Object.assign(
    Object.create(processor) as PaymentProcessor,
    {
      listTransfers: async (since: Date) => {
        const transfers = await processor.listTransfers(since);
        const original = transfers.find((tr) => tr.idempotencyKey === `payout:${twice.payoutId}`);
        assert.ok(original);
        return [...transfers, { ...original, transferId: 'tr_local_second' }];
      },
    },
  );
  const { differences } = await reconcilePayouts({ ...deps, processor: duplicating });
  assert.deepEqual(kindsFor(differences, twice.payoutId), ['duplicate_transfers']);
  assert.deepEqual(
    differences.find((d) => d.kind === 'duplicate_transfers')?.transfer_ids.length,
    2,
  );
});

test('the daily job runs from the queue, twice harmlessly, shows in /metrics, and admins read it', async () => {
  const count = async () => {
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from reconciliation_reports where status <> 'running'`.execute(
      db(),
    );
    return rows[0]?.n ?? 0;
  };
  const payouts = () =>
    db().selectFrom('payouts').select(['id', 'status', 'amount']).orderBy('id').execute();
  const ledgerSize = async () => {
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from ledger_transactions`.execute(db());
    return rows[0]?.n;
  };
  const before = { reports: await count(), payouts: await payouts(), ledger: await ledgerSize() };
  for (const run of [1, 2]) {
    await reconcileJob.add(db(), {}, { jobKey: `reconcile-test-${run}` });
    await until(
      async () => ((await count()) === before.reports + run ? true : undefined),
      `run ${run}`,
    );
  }
  // Read-only apart from its reports: the money's records are as they were.
  assert.deepEqual(await payouts(), before.payouts);
  assert.equal(await ledgerSize(), before.ledger);

  const latest = await db()
    .selectFrom('reconciliation_reports')
    .selectAll()
    .orderBy('started_at', 'desc')
    .limit(2)
    .execute();
  assert.equal(latest.length, 2);
  assert.equal(latest[0]?.status, 'differences');
  assert.deepEqual(latest[0].differences, latest[1]?.differences, 'the same findings twice');

  const metrics = await t.app.inject({ url: '/metrics' });
  assert.match(
    metrics.body,
    /payout_reconciliation_differences\{kind="transfer_without_payout"\} 1/,
  );
  assert.match(metrics.body, /payout_reconciliation_runs_total\{outcome="differences"\} 2/);

  const admin = await signUpCreator(t.app);
  await db().updateTable('users').set({ is_admin: true }).where('id', '=', admin.id).execute();
  const res = await call(t.app, admin, 'GET', '/admin/reconciliation?limit=2');
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<{ items: { id: string; status: string; differences: Difference[] }[] }>();
  assert.deepEqual(
    body.items.map((r) => r.id),
    latest.map((r) => r.id),
  );
  assert.ok(body.items[0]?.differences.some((d) => d.kind === 'transfer_without_payout'));

  const someone = await signUpCreator(t.app);
  assert.equal((await call(t.app, someone, 'GET', '/admin/reconciliation')).statusCode, 404);
  const anonymous = await send(t.app, newJar(), { url: '/api/v1/admin/reconciliation' });
  assert.equal(anonymous.statusCode, 401);
  assert.equal(
    (await call(t.app, admin, 'GET', '/admin/reconciliation?limit=1000')).statusCode,
    422,
  );
});
