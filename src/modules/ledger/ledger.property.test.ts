// Property: whatever sequence of sales, duplicate and reordered deliveries, refunds, disputes,
// releases and payouts arrives, the ledger stays balanced, no creator balance goes negative,
// each creator's money is exactly what their events say, and replaying changes nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { balances } from './balances.js';
import type { PostedTransaction } from './ledger.js';
import { assertLedgerInvariants, insertCreator, ledgerSize, newId } from './ledger.test-helpers.js';
import {
  recordDispute,
  recordDisputeWon,
  recordRefund,
  recordSale,
  releaseDue,
} from './operations.js';
import { completePayout, failPayout, reservePayout } from './payout-operations.js';

let t: TestApp;
let db: Db;

before(async () => {
  t = await createTestApp();
  db = t.runtime.db;
});
after(() => t.close());

const CURRENCIES = ['EUR', 'USD'] as const;
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

// Refusals a caller expects from events out of order or beyond a balance; anything else fails.
const EXPECTED = new Set([
  'LEDGER_SALE_NOT_RECORDED',
  'LEDGER_EXCEEDS_SALE',
  'LEDGER_DISPUTE_NOT_RECORDED',
  'LEDGER_INSUFFICIENT_AVAILABLE',
  'LEDGER_PAYOUT_NOT_RESERVED',
  'LEDGER_PAYOUT_ALREADY_PAID',
  'LEDGER_PAYOUT_ALREADY_FAILED',
]);

const order = fc.record({
  creator: fc.nat(2),
  currency: fc.constantFrom(...CURRENCIES),
  gross: fc.integer({ min: 1, max: 10_000 }),
  feePercent: fc.integer({ min: 0, max: 30 }),
  holdDays: fc.integer({ min: 0, max: 10 }),
  day: fc.integer({ min: 0, max: 30 }),
});
const scenario = fc.record({
  orders: fc.array(order, { minLength: 1, maxLength: 6 }),
  // amounts in percent of the order's gross; over 100 is a refund beyond the sale
  refunds: fc.array(fc.record({ order: fc.nat(5), percent: fc.integer({ min: 1, max: 110 }) }), {
    minLength: 1,
    maxLength: 4,
  }),
  disputes: fc.array(
    fc.record({
      order: fc.nat(5),
      percent: fc.integer({ min: 1, max: 100 }),
      fee: fc.integer({ min: 0, max: 1500 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  // a payout for the creator and currency of one of the orders
  payouts: fc.array(fc.record({ order: fc.nat(5), amount: fc.integer({ min: 1, max: 3000 }) }), {
    minLength: 1,
    maxLength: 3,
  }),
  steps: fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.record({ op: fc.constant('sale' as const), i: fc.nat(5) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('refund' as const), i: fc.nat(3) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('dispute' as const), i: fc.nat(2) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('won' as const), i: fc.nat(2) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('release' as const), i: fc.nat(45) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('reserve' as const), i: fc.nat(2) }) },
      { weight: 2, arbitrary: fc.record({ op: fc.constant('paid' as const), i: fc.nat(2) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('failed' as const), i: fc.nat(2) }) },
    ),
    { minLength: 10, maxLength: 40 },
  ),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;
type Step = Scenario['steps'][number];

/** Binds a scenario to fresh creators and ids; each step is one database transaction. */
function world(s: Scenario, creators: string[]) {
  const orderIds = s.orders.map(() => newId());
  const disputeIds = s.disputes.map(() => newId());
  const payoutIds = s.payouts.map(() => newId());
  const refundKeys = s.refunds.map(() => newId());
  const pick = <T>(list: T[], i: number): T | undefined => list[i % Math.max(1, list.length)];
  const orderOf = (i: number) => {
    const o = pick(s.orders, i);
    const id = pick(orderIds, i);
    const creatorId = o && creators[o.creator];
    return o && id && creatorId ? { ...o, id, creatorId } : undefined;
  };
  async function apply(step: Step): Promise<PostedTransaction | 'skipped'> {
    const inTrx = (fn: (trx: Trx) => Promise<PostedTransaction>) => db.transaction().execute(fn);
    switch (step.op) {
      case 'sale': {
        const o = orderOf(step.i);
        if (!o) return 'skipped';
        return inTrx((trx) =>
          recordSale(trx, {
            eventKey: `evt_${o.id}`,
            orderId: o.id,
            creatorId: o.creatorId,
            gross: o.gross,
            fee: Math.floor((o.gross * o.feePercent) / 100),
            currency: o.currency,
            holdDays: o.holdDays,
            occurredAt: new Date(T0 + o.day * DAY),
          }),
        );
      }
      case 'refund': {
        const r = pick(s.refunds, step.i);
        const o = r && orderOf(r.order);
        const key = pick(refundKeys, step.i);
        if (!r || !o || !key) return 'skipped';
        return inTrx((trx) =>
          recordRefund(trx, {
            eventKey: key,
            orderId: o.id,
            creatorId: o.creatorId,
            amount: Math.ceil((o.gross * r.percent) / 100),
            currency: o.currency,
          }),
        );
      }
      case 'dispute': {
        const d = pick(s.disputes, step.i);
        const o = d && orderOf(d.order);
        const disputeId = pick(disputeIds, step.i);
        if (!d || !o || !disputeId) return 'skipped';
        return inTrx((trx) =>
          recordDispute(trx, {
            disputeId,
            orderId: o.id,
            creatorId: o.creatorId,
            amount: Math.ceil((o.gross * d.percent) / 100),
            fee: d.fee,
            currency: o.currency,
          }),
        );
      }
      case 'won': {
        const disputeId = pick(disputeIds, step.i);
        if (!disputeId) return 'skipped';
        return inTrx((trx) => recordDisputeWon(trx, { disputeId }));
      }
      case 'release':
        await releaseDue(db, new Date(T0 + step.i * DAY));
        return 'skipped';
      case 'reserve': {
        const p = pick(s.payouts, step.i);
        const o = p && orderOf(p.order);
        const payoutId = pick(payoutIds, step.i);
        if (!p || !o || !payoutId) return 'skipped';
        return inTrx((trx) =>
          reservePayout(trx, {
            payoutId,
            creatorId: o.creatorId,
            amount: p.amount,
            currency: o.currency,
          }),
        );
      }
      case 'paid':
      case 'failed': {
        const payoutId = pick(payoutIds, step.i);
        if (!payoutId) return 'skipped';
        return inTrx((trx) =>
          step.op === 'paid' ? completePayout(trx, { payoutId }) : failPayout(trx, { payoutId }),
        );
      }
    }
  }
  /** Applies a step; an expected refusal counts as 'refused', anything else throws. */
  async function deliver(step: Step): Promise<PostedTransaction | 'skipped' | 'refused'> {
    try {
      return await apply(step);
    } catch (error) {
      if (error instanceof AppError && EXPECTED.has(error.code)) return 'refused';
      throw error;
    }
  }
  return { deliver };
}

/**
 * What each creator holds in all (pending + available + in transit + paid out − debt) must be
 * exactly their sales net of fees, less refunds and disputes (with fees), plus disputes won.
 */
async function assertCreatorsConserveMoney(creators: string[]): Promise<void> {
  for (const creatorId of creators) {
    const expected = await db
      .selectFrom('ledger_postings as p')
      .innerJoin('ledger_transactions as x', 'x.id', 'p.transaction_id')
      .select(['p.currency', (eb) => eb.fn.sum<string>('p.amount').as('total')])
      .where('p.creator_id', '=', creatorId)
      .where('p.account', 'in', ['processor_clearing', 'processor_fees'])
      .where('x.kind', 'in', ['sale', 'refund', 'dispute', 'dispute_won'])
      .groupBy('p.currency')
      .execute();
    for (const b of await balances(db, creatorId)) {
      const platform = Number(expected.find((e) => e.currency === b.currency)?.total ?? 0);
      assert.equal(
        b.pending + b.available + b.in_transit + b.paid_out - b.debt,
        platform,
        `creator ${creatorId} ${b.currency} holds what their events say`,
      );
    }
  }
}

test('random event sequences keep the ledger balanced, non-negative and idempotent', async (ctx) => {
  let runs = 0;
  // How often each operation posted or was refused, so a generator that stops reaching an
  // operation is noticed.
  const seen = new Map<string, number>();
  const count = (name: string) => seen.set(name, (seen.get(name) ?? 0) + 1);
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      runs += 1;
      const creators = [await insertCreator(db), await insertCreator(db), await insertCreator(db)];
      const { deliver } = world(s, creators);
      const accepted: Step[] = [];
      for (const step of s.steps) {
        const result = await deliver(step);
        if (typeof result === 'object' && result.created) accepted.push(step);
        count(
          `${step.op} ${typeof result === 'object' ? (result.created ? 'posted' : 'replayed') : result}`,
        );
        await assertLedgerInvariants(db);
      }
      await assertCreatorsConserveMoney(creators);
      // Every accepted event delivered again: nothing new.
      const size = await ledgerSize(db);
      const before = await Promise.all(creators.map((c) => balances(db, c)));
      for (const step of accepted) {
        const again = await deliver(step);
        assert.ok(typeof again !== 'object' || !again.created, `${step.op} replayed`);
      }
      assert.deepEqual(await ledgerSize(db), size);
      assert.deepEqual(await Promise.all(creators.map((c) => balances(db, c))), before);
      // The whole sequence again, refused events included (the caller's retries): whatever it
      // now applies keeps every invariant.
      for (const step of s.steps) await deliver(step);
      await assertLedgerInvariants(db);
      await assertCreatorsConserveMoney(creators);
    }),
    { numRuns: 100, endOnFailure: true },
  );
  assert.equal(runs >= 100, true);
  ctx.diagnostic(JSON.stringify(Object.fromEntries([...seen].sort())));
  for (const op of ['sale', 'refund', 'dispute', 'won', 'reserve', 'paid', 'failed'])
    assert.ok(seen.has(`${op} posted`), `${op} was exercised`);
  for (const op of ['sale', 'refund', 'reserve']) assert.ok(seen.has(`${op} replayed`));
  assert.ok(seen.has('refund refused'), 'a refund arrived before its sale or beyond it');
});
