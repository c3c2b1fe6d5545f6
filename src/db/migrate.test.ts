import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js';
import { createPool } from './database.js';
import { migrate, MigrationError } from './migrate.js';

let database: TestDatabase;
let pool: pg.Pool;
let dir: string;

before(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url);
  dir = await mkdtemp(path.join(tmpdir(), 'makenot-migrations-'));
});
after(async () => {
  await pool.end();
  await database.drop();
  await rm(dir, { recursive: true, force: true });
});

const tableExists = async (name: string) =>
  (await pool.query<{ t: string | null }>('select to_regclass($1) as t', [name])).rows[0]?.t !=
  null;

describe('migrate', () => {
  test('the real migrations are applied once and enable the search extensions', async () => {
    assert.deepEqual(await migrate(pool), []);
    const extensions = await pool.query<{ extname: string }>('select extname from pg_extension');
    const names = extensions.rows.map((r) => r.extname);
    assert.ok(names.includes('pg_trgm') && names.includes('unaccent'));
    assert.ok(await tableExists('graphile_worker._private_jobs'));
  });

  test('new files apply in order; concurrent runs apply each once', async () => {
    await writeFile(
      path.join(dir, '9001_widgets.sql'),
      'create table widgets (id int primary key);',
    );
    await writeFile(path.join(dir, '9002_widget_rows.sql'), 'insert into widgets values (1);');
    const other = createPool(database.url);
    try {
      const results = await Promise.all([migrate(pool, dir), migrate(other, dir)]);
      assert.deepEqual(results.flat().sort(), ['9001_widgets.sql', '9002_widget_rows.sql']);
    } finally {
      await other.end();
    }
    const widgets = await pool.query<{ n: number }>('select count(*)::int as n from widgets');
    assert.equal(widgets.rows[0]?.n, 1);
  });

  test('an edited migration is refused', async () => {
    await writeFile(path.join(dir, '9001_widgets.sql'), 'create table widgets (id bigint);');
    await assert.rejects(migrate(pool, dir), (error: unknown) => {
      assert.ok(error instanceof MigrationError);
      assert.match(error.message, /9001_widgets\.sql was changed/);
      return true;
    });
    await writeFile(
      path.join(dir, '9001_widgets.sql'),
      'create table widgets (id int primary key);',
    );
  });

  test('a failing migration is rolled back and not recorded', async () => {
    await writeFile(
      path.join(dir, '9003_broken.sql'),
      'create table half_done (id int); select no_such_function();',
    );
    await assert.rejects(migrate(pool, dir), /9003_broken\.sql failed/);
    assert.equal(await tableExists('half_done'), false);
    const recorded = await pool.query(
      "select 1 from schema_migrations where name = '9003_broken.sql'",
    );
    assert.equal(recorded.rowCount, 0);
  });
});
