// Business operations on a real database: sales, the hold, refunds and disputes, each
// idempotent, each refusal posting nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Db } from '../../db/database.js';
import { totalsByAccount } from './balances.js';
import {
  recordDispute,
  recordDisputeWon,
  recordRefund,
  releaseDue,
  type SaleInput,
} from './operations.js';
import {
  assertLedgerInvariants,
  balanceIn,
  daysAfterT0,
  insertCreator,
  ledgerSize,
  newId,
  rejectsWith,
  sellOnT0,
} from './ledger.test-helpers.js';

let t: TestApp;
let db: Db;

before(async () => {
  t = await createTestApp();
  db = t.runtime.db;
});
after(() => t.close());

const at = daysAfterT0;
const sell = (creatorId: string, over: Partial<SaleInput> = {}) => sellOnT0(db, creatorId, over);
const balanceOf = (creatorId: string, currency = 'EUR') => balanceIn(db, creatorId, currency);

describe('sales and the hold', () => {
  test('a sale is pending net of the fee, then released once after the hold', async () => {
    const creator = await insertCreator(db);
    const orderId = await sell(creator);
    assert.deepEqual(await balanceOf(creator), {
      currency: 'EUR',
      pending: 941,
      available: 0,
      in_transit: 0,
      paid_out: 0,
      debt: 0,
    });
    await releaseDue(db, at(6));
    assert.equal((await balanceOf(creator)).pending, 941);
    await releaseDue(db, at(7));
    await releaseDue(db, at(8));
    const b = await balanceOf(creator);
    assert.equal(b.pending, 0);
    assert.equal(b.available, 941);
    // a redelivered sale event changes nothing
    const size = await ledgerSize(db);
    await sell(creator, { orderId, eventKey: 'another-event-for-the-same-order' });
    assert.deepEqual(await ledgerSize(db), size);
    await assertLedgerInvariants(db);
  });

  test('the same order with other amounts is a conflict; bad amounts are refused', async () => {
    const creator = await insertCreator(db);
    const orderId = await sell(creator);
    await assert.rejects(
      sell(creator, { orderId, gross: 2000 }),
      rejectsWith('LEDGER_KEY_CONFLICT'),
    );
    await assert.rejects(sell(creator, { fee: 1001 }), rejectsWith('LEDGER_INVALID_AMOUNT'));
    await assert.rejects(sell(creator, { gross: 0 }), rejectsWith('LEDGER_INVALID_AMOUNT'));
    await assert.rejects(sell(creator, { gross: 10.5 }), rejectsWith('LEDGER_INVALID_AMOUNT'));
    await assert.rejects(sell(creator, { holdDays: -1 }), rejectsWith('LEDGER_INVALID_AMOUNT'));
  });

  test('fees and gross appear in the platform accounts', async () => {
    const totals = await totalsByAccount(db);
    const fees = totals.find((a) => a.account === 'processor_fees' && a.currency === 'EUR');
    assert.ok(fees && fees.total < 0, 'processor_fees holds a credit balance');
  });
});

describe('refunds', () => {
  test('come from the order’s pending amount first, then available, then debt', async () => {
    const creator = await insertCreator(db);
    const released = await sell(creator, { occurredAt: at(-30) });
    await releaseDue(db, at(0));
    const held = await sell(creator);
    assert.deepEqual(
      [(await balanceOf(creator)).pending, (await balanceOf(creator)).available],
      [941, 941],
    );
    await db.transaction().execute((trx) =>
      recordRefund(trx, {
        eventKey: newId(),
        orderId: held,
        creatorId: creator,
        amount: 400,
        currency: 'EUR',
      }),
    );
    let b = await balanceOf(creator);
    assert.deepEqual([b.pending, b.available, b.debt], [541, 941, 0]);
    // a full refund of the released order: from available, the fee is not returned
    const refundId = newId();
    const refund = () =>
      db.transaction().execute((trx) =>
        recordRefund(trx, {
          eventKey: refundId,
          orderId: released,
          creatorId: creator,
          amount: 1000,
          currency: 'EUR',
        }),
      );
    await refund();
    b = await balanceOf(creator);
    assert.deepEqual([b.pending, b.available, b.debt], [541, 0, 59]);
    // the duplicate delivery posts nothing
    const size = await ledgerSize(db);
    assert.equal((await refund()).created, false);
    assert.deepEqual(await ledgerSize(db), size);
    // the held order's release repays the debt first
    await releaseDue(db, at(7));
    b = await balanceOf(creator);
    assert.deepEqual([b.pending, b.available, b.debt], [0, 482, 0]);
    await assertLedgerInvariants(db);
  });

  test('refusals: before the sale, beyond the sale, another creator, a changed replay', async () => {
    const creator = await insertCreator(db);
    const other = await insertCreator(db);
    const orderId = newId();
    const refund = (amount: number, eventKey = newId(), creatorId = creator) =>
      db
        .transaction()
        .execute((trx) =>
          recordRefund(trx, { eventKey, orderId, creatorId, amount, currency: 'EUR' }),
        );
    const early = newId();
    await assert.rejects(refund(100, early), rejectsWith('LEDGER_SALE_NOT_RECORDED'));
    await sell(creator, { orderId });
    await refund(100, early); // the retried early refund now applies
    await assert.rejects(refund(901), rejectsWith('LEDGER_EXCEEDS_SALE'));
    await assert.rejects(refund(1, newId(), other), rejectsWith('LEDGER_ORDER_MISMATCH'));
    await assert.rejects(refund(200, early), rejectsWith('LEDGER_KEY_CONFLICT'));
    await assert.rejects(refund(0), rejectsWith('LEDGER_INVALID_AMOUNT'));
    await refund(900);
    assert.equal((await balanceOf(creator)).pending, 0);
    assert.equal((await balanceOf(creator)).debt, 59);
    await assertLedgerInvariants(db);
  });
});

describe('disputes', () => {
  test('a lost dispute takes the amount and its fee; a won one gives the amount back', async () => {
    const creator = await insertCreator(db);
    const orderId = await sell(creator);
    const disputeId = newId();
    const lose = () =>
      db.transaction().execute((trx) =>
        recordDispute(trx, {
          disputeId,
          orderId,
          creatorId: creator,
          amount: 1000,
          fee: 1500,
          currency: 'EUR',
        }),
      );
    await assert.rejects(
      db.transaction().execute((trx) => recordDisputeWon(trx, { disputeId })),
      rejectsWith('LEDGER_DISPUTE_NOT_RECORDED'),
    );
    await lose();
    assert.equal((await lose()).created, false);
    let b = await balanceOf(creator);
    assert.deepEqual([b.pending, b.available, b.debt], [0, 0, 1559]);
    const win = () => db.transaction().execute((trx) => recordDisputeWon(trx, { disputeId }));
    await win();
    assert.equal((await win()).created, false);
    b = await balanceOf(creator);
    // still on hold: the amount returns to pending, and the release repays the debt
    assert.deepEqual([b.pending, b.available, b.debt], [1000, 0, 1559]);
    await releaseDue(db, at(7));
    b = await balanceOf(creator);
    assert.deepEqual([b.pending, b.available, b.debt], [0, 0, 559]);
    await assertLedgerInvariants(db);
  });

  test('a dispute before its sale is refused and posts nothing', async () => {
    const creator = await insertCreator(db);
    const size = await ledgerSize(db);
    await assert.rejects(
      db.transaction().execute((trx) =>
        recordDispute(trx, {
          disputeId: newId(),
          orderId: newId(),
          creatorId: creator,
          amount: 1,
          fee: 0,
          currency: 'EUR',
        }),
      ),
      rejectsWith('LEDGER_SALE_NOT_RECORDED'),
    );
    assert.deepEqual(await ledgerSize(db), size);
  });
});

describe('concurrent deliveries', () => {
  test('the same refund delivered twice at once posts once', async () => {
    const creator = await insertCreator(db);
    const orderId = await sell(creator);
    const eventKey = newId();
    const refund = () =>
      db.transaction().execute((trx) =>
        recordRefund(trx, {
          eventKey,
          orderId,
          creatorId: creator,
          amount: 700,
          currency: 'EUR',
        }),
      );
    const results = await Promise.all([refund(), refund()]);
    assert.deepEqual(results.map((r) => r.created).sort(), [false, true]);
    assert.equal((await balanceOf(creator)).pending, 241);
  });
});
