// The pinned transaction on real PostgreSQL: code written for the pool (db.transaction(),
// plain queries, Promise.all, nesting) runs unchanged inside it, nothing is visible to others
// before the owner commits, and a rollback leaves nothing at all.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js';
import { createDb, createPool, type Db, type Executor } from './database.js';
import { openPinnedTransaction as open, type PinnedTransaction } from './pinned-connection.js';

let database: TestDatabase;
let db: Db;
let other: Db; // another app instance's view

before(async () => {
  database = await createTestDatabase();
  db = createDb(createPool(database.url, { max: 3 }));
  other = createDb(createPool(database.url, { max: 1 }));
  await sql`create table notes (id serial primary key, text text unique not null)`.execute(db);
});
after(async () => {
  await db.destroy();
  await other.destroy();
  await database.drop();
});
beforeEach(async () => {
  await sql`truncate notes`.execute(db);
});
// a test that fails halfway leaves no transaction open for the next one
const opened: PinnedTransaction[] = [];
afterEach(async () => {
  for (const pinned of opened.splice(0)) if (pinned.open) await pinned.rollback();
});
async function openPinnedTransaction(on: Db) {
  const pinned = await open(on);
  opened.push(pinned);
  return pinned;
}

const add = (executor: Executor, text: string) =>
  sql`insert into notes (text) values (${text})`.execute(executor);
const texts = async (executor: Db = other) => {
  const { rows } = await sql<{ text: string }>`select text from notes order by text`.execute(
    executor,
  );
  return rows.map((r) => r.text);
};

describe('pinned transaction', () => {
  test('transactions inside become savepoints; others see them only after the commit', async () => {
    const pinned = await openPinnedTransaction(db);
    await pinned.run(async () => {
      await db.transaction().execute((trx) => add(trx, 'a'));
      await add(db, 'b');
      assert.deepEqual(await texts(db), ['a', 'b'], 'seen inside');
      assert.deepEqual(await texts(other), [], 'not outside');
    });
    await pinned.commit();
    assert.deepEqual(await texts(), ['a', 'b']);
  });

  test('a rollback of the pinned transaction undoes even what was committed inside', async () => {
    const pinned = await openPinnedTransaction(db);
    await pinned.run(() => db.transaction().execute((trx) => add(trx, 'gone')));
    await pinned.rollback();
    assert.deepEqual(await texts(), []);
  });

  test('a failing transaction or statement inside fails alone', async () => {
    const pinned = await openPinnedTransaction(db);
    await pinned.run(async () => {
      await add(db, 'kept');
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await add(trx, 'undone');
          await add(trx, 'kept'); // unique violation
        }),
        /duplicate key/,
      );
      // a plain statement that fails, caught as a service would catch a unique violation
      await assert.rejects(add(db, 'kept'), /duplicate key/);
      await assert.rejects(sql`select 'not a uuid'::uuid`.execute(db), /invalid input syntax/);
      await add(db, 'after');
    });
    await pinned.commit();
    assert.deepEqual(await texts(), ['after', 'kept']);
  });

  test('transactions side by side (Promise.all) and nested ones keep their savepoints in order', async () => {
    const pinned = await openPinnedTransaction(db);
    await pinned.run(async () => {
      const slow = (name: string) =>
        db.transaction().execute(async (trx) => {
          await add(trx, `${name}-1`);
          await new Promise((resolve) => setTimeout(resolve, 5));
          await add(trx, `${name}-2`);
        });
      await Promise.all([slow('x'), slow('y'), add(db, 'plain')]);
      await db.transaction().execute(async (trx) => {
        await add(trx, 'outer');
        // code that uses db inside another transaction's callback
        await db.transaction().execute((inner) => add(inner, 'inner'));
        await assert.rejects(
          db.transaction().execute(async (inner) => {
            await add(inner, 'inner-undone');
            throw new Error('changed my mind');
          }),
        );
        await add(trx, 'outer-again');
      });
    });
    await pinned.commit();
    assert.deepEqual(await texts(), [
      'inner',
      'outer',
      'outer-again',
      'plain',
      'x-1',
      'x-2',
      'y-1',
      'y-2',
    ]);
  });

  test('the commit waits for work still running inside', async () => {
    const pinned = await openPinnedTransaction(db);
    let late: Promise<unknown> = Promise.resolve();
    pinned.run(() => {
      late = db.transaction().execute(async (trx) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await add(trx, 'late');
      });
    });
    await pinned.commit();
    await late;
    assert.deepEqual(await texts(), ['late']);
  });

  test('after the end, the same async context uses the pool again', async () => {
    const pinned = await openPinnedTransaction(db);
    await pinned.run(async () => {
      await add(db, 'in');
      await pinned.commit();
      await add(db, 'out'); // autocommitted on a pool connection
      assert.equal(pinned.open, false);
    });
    assert.deepEqual(await texts(), ['in', 'out']);
  });

  test('a transaction asking for its own isolation level is refused inside', async () => {
    const pinned = await openPinnedTransaction(db);
    await pinned.run(() =>
      assert.rejects(
        db
          .transaction()
          .setIsolationLevel('serializable')
          .execute((trx) => add(trx, 'no')),
        /isolation/,
      ),
    );
    await pinned.commit();
    assert.deepEqual(await texts(), []);
  });

  test('outside a pinned transaction nothing changes', async () => {
    await db.transaction().execute((trx) => add(trx, 'pool'));
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await add(trx, 'rolled back');
        throw new Error('no');
      }),
    );
    assert.deepEqual(await texts(), ['pool']);
  });
});
