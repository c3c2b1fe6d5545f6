// A fresh database per test file, cloned from the migrated template made in global-setup.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests with npm test`);
  return value;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: required('TEST_PG_ADMIN_URL') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `mnw_t_${randomBytes(6).toString('hex')}`;
  const template = required('TEST_PG_TEMPLATE');
  // Cloning needs the template to have no other sessions; a clone never touches it again.
  await adminQuery(`create database ${name} template ${template}`);
  const url = new URL(required('TEST_PG_ADMIN_URL'));
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}
