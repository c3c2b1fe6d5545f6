// Payouts on a real database: reserved from available, then paid or failed exactly once, and
// two payouts racing for one balance never take more than it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Db } from '../../db/database.js';
import { releaseDue } from './operations.js';
import { completePayout, failPayout, reservePayout } from './payout-operations.js';
import {
  assertLedgerInvariants,
  balanceIn,
  daysAfterT0,
  insertCreator,
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
const balanceOf = (creatorId: string, currency = 'EUR') => balanceIn(db, creatorId, currency);

describe('payouts', () => {
  async function creatorWithAvailable(amount: number): Promise<string> {
    const creator = await insertCreator(db);
    await sellOnT0(db, creator, { gross: amount, fee: 0, occurredAt: at(-30) });
    await releaseDue(db, at(0));
    return creator;
  }
  const reserve = (creatorId: string, amount: number, payoutId = newId()) =>
    db
      .transaction()
      .execute((trx) => reservePayout(trx, { payoutId, creatorId, amount, currency: 'EUR' }));

  test('reserve, then paid once; paid money leaves the processor', async () => {
    const creator = await creatorWithAvailable(5000);
    const payoutId = newId();
    await reserve(creator, 3000, payoutId);
    assert.equal((await reserve(creator, 3000, payoutId)).created, false);
    await assert.rejects(reserve(creator, 3001, payoutId), rejectsWith('LEDGER_KEY_CONFLICT'));
    let b = await balanceOf(creator);
    assert.deepEqual([b.available, b.in_transit, b.paid_out], [2000, 3000, 0]);
    const pay = () => db.transaction().execute((trx) => completePayout(trx, { payoutId }));
    await pay();
    assert.equal((await pay()).created, false);
    await assert.rejects(
      db.transaction().execute((trx) => failPayout(trx, { payoutId })),
      rejectsWith('LEDGER_PAYOUT_ALREADY_PAID'),
    );
    b = await balanceOf(creator);
    assert.deepEqual([b.available, b.in_transit, b.paid_out], [2000, 0, 3000]);
    await assertLedgerInvariants(db);
  });

  test('a failed payout returns to available and cannot be paid afterwards', async () => {
    const creator = await creatorWithAvailable(5000);
    const payoutId = newId();
    await reserve(creator, 5000, payoutId);
    await db
      .transaction()
      .execute((trx) => failPayout(trx, { payoutId, reason: 'account closed' }));
    await assert.rejects(
      db.transaction().execute((trx) => completePayout(trx, { payoutId })),
      rejectsWith('LEDGER_PAYOUT_ALREADY_FAILED'),
    );
    const b = await balanceOf(creator);
    assert.deepEqual([b.available, b.in_transit, b.paid_out], [5000, 0, 0]);
  });

  test('refusals: more than available, nothing reserved', async () => {
    const creator = await creatorWithAvailable(100);
    await assert.rejects(reserve(creator, 101), rejectsWith('LEDGER_INSUFFICIENT_AVAILABLE'));
    await assert.rejects(
      db.transaction().execute((trx) => completePayout(trx, { payoutId: newId() })),
      rejectsWith('LEDGER_PAYOUT_NOT_RESERVED'),
    );
    await assert.rejects(
      db.transaction().execute((trx) => failPayout(trx, { payoutId: newId() })),
      rejectsWith('LEDGER_PAYOUT_NOT_RESERVED'),
    );
  });

  test('two payouts reserved at once on two connections never exceed available', async () => {
    const creator = await creatorWithAvailable(1000);
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([reserve(creator, 300), reserve(creator, 300)]);
      const b = await balanceOf(creator);
      assert.ok(b.available >= 0, `available ${b.available}`);
      assert.equal(b.available + b.in_transit, 1000);
      if (b.available < 300) {
        assert.ok(results.some((r) => r.status === 'rejected'));
        break;
      }
    }
    const b = await balanceOf(creator);
    assert.deepEqual([b.available, b.in_transit], [100, 900]);
    await assertLedgerInvariants(db);
  });

  test('a payout completed and failed at once ends exactly one way', async () => {
    const creator = await insertCreator(db);
    await sellOnT0(db, creator, { gross: 800, fee: 0, occurredAt: at(-30) });
    await releaseDue(db, at(0));
    const payoutId = newId();
    await db
      .transaction()
      .execute((trx) =>
        reservePayout(trx, { payoutId, creatorId: creator, amount: 800, currency: 'EUR' }),
      );
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => completePayout(trx, { payoutId })),
      db.transaction().execute((trx) => failPayout(trx, { payoutId })),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const b = await balanceOf(creator);
    assert.equal(b.in_transit, 0);
    assert.equal(b.available + b.paid_out, 800);
    await assertLedgerInvariants(db);
  });
});
