// The posting API and what the database itself enforces: balance at commit, append-only
// history, idempotency keys.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import type { Db } from '../../db/database.js';
import { creatorAccount, PROCESSOR_CLEARING } from './ledger.accounts.js';
import { postTransaction, type LedgerEntry } from './ledger.js';
import {
  assertLedgerInvariants,
  insertCreator,
  ledgerSize,
  newId,
  rejectsWith,
} from './ledger.test-helpers.js';

let t: TestApp;
let db: Db;
let creator: string;

before(async () => {
  t = await createTestApp();
  db = t.runtime.db;
  creator = await insertCreator(db);
});
after(() => t.close());

const sale = (amount: number): LedgerEntry[] => [
  { account: PROCESSOR_CLEARING, amount, currency: 'EUR', creatorId: creator },
  {
    account: creatorAccount(creator, 'available'),
    amount: -amount,
    currency: 'EUR',
    creatorId: creator,
  },
];

describe('postTransaction', () => {
  test('posts once per key; a replay returns the same transaction and writes nothing', async () => {
    const key = `adjustment:${newId()}`;
    const first = await db
      .transaction()
      .execute((trx) => postTransaction(trx, { key, kind: 'adjustment', entries: sale(500) }));
    assert.equal(first.created, true);
    const size = await ledgerSize(db);
    const again = await db
      .transaction()
      .execute((trx) =>
        postTransaction(trx, { key, kind: 'adjustment', entries: sale(500).reverse() }),
      );
    assert.deepEqual(again, { id: first.id, created: false });
    assert.deepEqual(await ledgerSize(db), size);
    await assertLedgerInvariants(db);
  });

  test('the same key with different entries is a conflict', async () => {
    const key = `adjustment:${newId()}`;
    await db
      .transaction()
      .execute((trx) => postTransaction(trx, { key, kind: 'adjustment', entries: sale(100) }));
    await assert.rejects(
      db
        .transaction()
        .execute((trx) => postTransaction(trx, { key, kind: 'adjustment', entries: sale(101) })),
      rejectsWith('LEDGER_KEY_CONFLICT'),
    );
  });

  test('refuses unbalanced entries, zero or fractional amounts, bad currencies', async () => {
    const post = (entries: LedgerEntry[]) =>
      db
        .transaction()
        .execute((trx) =>
          postTransaction(trx, { key: `adjustment:${newId()}`, kind: 'adjustment', entries }),
        );
    const [debit, credit] = sale(100);
    assert.ok(debit && credit);
    await assert.rejects(post([debit]), rejectsWith('LEDGER_UNBALANCED'));
    await assert.rejects(post([{ ...debit, amount: 0 }]), rejectsWith('LEDGER_INVALID_AMOUNT'));
    await assert.rejects(
      post([
        { ...debit, amount: 1.5 },
        { ...credit, amount: -1.5 },
      ]),
      rejectsWith('LEDGER_INVALID_AMOUNT'),
    );
    await assert.rejects(
      post([
        { ...debit, currency: 'eur' },
        { ...credit, currency: 'eur' },
      ]),
      rejectsWith('LEDGER_INVALID_CURRENCY'),
    );
    // balanced in total but not per currency
    await assert.rejects(
      post([debit, { ...credit, currency: 'USD' }]),
      rejectsWith('LEDGER_UNBALANCED'),
    );
  });

  test('refuses a creator account that names another creator', async () => {
    const other = await insertCreator(db);
    await assert.rejects(
      db.transaction().execute((trx) =>
        postTransaction(trx, {
          key: `adjustment:${newId()}`,
          kind: 'adjustment',
          entries: [
            { account: PROCESSOR_CLEARING, amount: 5, currency: 'EUR' },
            {
              account: creatorAccount(other, 'available'),
              amount: -5,
              currency: 'EUR',
              creatorId: creator,
            },
          ],
        }),
      ),
      rejectsWith('LEDGER_INVALID_ACCOUNT'),
    );
  });

  test('refuses to take a creator balance below zero', async () => {
    const poor = await insertCreator(db);
    await assert.rejects(
      db.transaction().execute((trx) =>
        postTransaction(trx, {
          key: `adjustment:${newId()}`,
          kind: 'adjustment',
          entries: [
            {
              account: creatorAccount(poor, 'available'),
              amount: 5,
              currency: 'EUR',
              creatorId: poor,
            },
            { account: PROCESSOR_CLEARING, amount: -5, currency: 'EUR' },
          ],
        }),
      ),
      rejectsWith('LEDGER_INSUFFICIENT_BALANCE'),
    );
  });
});

describe('the database enforces', () => {
  async function raw(statements: string[]): Promise<void> {
    const client = await t.runtime.pool.connect();
    try {
      await client.query('begin');
      try {
        for (const statement of statements) await client.query(statement);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    } finally {
      client.release();
    }
  }

  const insertTx = (id: string) =>
    `insert into ledger_transactions (id, idempotency_key, kind) values ('${id}', 'adjustment:${id}', 'adjustment')`;
  const insertPosting = (id: string, account: string, amount: number, currency = 'EUR') =>
    `insert into ledger_postings (transaction_id, account, amount, currency) values ('${id}', '${account}', ${amount}, '${currency}')`;

  test('a transaction that does not balance fails at commit', async () => {
    const id = newId();
    await assert.rejects(
      raw([
        insertTx(id),
        insertPosting(id, 'processor_clearing', 100),
        insertPosting(id, 'processor_fees', -99),
      ]),
      /does not balance/,
    );
    await assert.rejects(
      raw([
        insertTx(id),
        insertPosting(id, 'processor_clearing', 100, 'EUR'),
        insertPosting(id, 'processor_fees', -100, 'USD'),
      ]),
      /does not balance/,
    );
    const row = await db
      .selectFrom('ledger_transactions')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    assert.equal(row, undefined);
    // balanced: commits
    await raw([
      insertTx(id),
      insertPosting(id, 'processor_clearing', 100),
      insertPosting(id, 'processor_fees', -100),
    ]);
  });

  test('postings and transactions cannot be updated, deleted or truncated', async () => {
    const id = newId();
    await raw([
      insertTx(id),
      insertPosting(id, 'processor_clearing', 7),
      insertPosting(id, 'processor_fees', -7),
    ]);
    for (const statement of [
      `update ledger_postings set amount = 8 where transaction_id = '${id}'`,
      `delete from ledger_postings where transaction_id = '${id}'`,
      `update ledger_transactions set kind = 'sale' where id = '${id}'`,
      `delete from ledger_transactions where id = '${id}'`,
      'truncate ledger_postings, ledger_transactions',
    ])
      await assert.rejects(raw([statement]), /append-only/, statement);
    const count = await db
      .selectFrom('ledger_postings')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('transaction_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 2);
  });

  test('postings cannot be added to a transaction written earlier', async () => {
    const id = newId();
    await raw([
      insertTx(id),
      insertPosting(id, 'processor_clearing', 3),
      insertPosting(id, 'processor_fees', -3),
    ]);
    await assert.rejects(
      raw([insertPosting(id, 'processor_clearing', 5), insertPosting(id, 'processor_fees', -5)]),
      /is closed/,
    );
  });

  test('zero amounts, bad currencies and mismatched creator accounts are refused', async () => {
    const id = newId();
    await assert.rejects(raw([insertTx(id), insertPosting(id, 'processor_clearing', 0)]), /check/);
    await assert.rejects(
      raw([insertTx(id), insertPosting(id, 'processor_clearing', 1, 'eu1')]),
      /check/,
    );
    await assert.rejects(
      raw([insertTx(id), insertPosting(id, creatorAccount(creator, 'available'), 1)]),
      /check/,
    );
  });
});

describe('concurrent posts of one key', () => {
  test('one is created, the other returns it', async () => {
    const key = `adjustment:${newId()}`;
    const entries: LedgerEntry[] = [
      { account: PROCESSOR_CLEARING, amount: 9, currency: 'EUR' },
      { account: 'processor_fees', amount: -9, currency: 'EUR' },
    ];
    const results = await Promise.all(
      [1, 2].map(() =>
        db
          .transaction()
          .execute((trx) => postTransaction(trx, { key, kind: 'adjustment', entries })),
      ),
    );
    assert.deepEqual(results.map((r) => r.created).sort(), [false, true]);
    assert.equal(results[0]?.id, results[1]?.id);
  });
});
