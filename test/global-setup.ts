// Runs once per `npm test`: a PostgreSQL server (embedded unless DATABASE_URL points at one)
// and a migrated template database that each test file clones in milliseconds.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { createPool } from '../src/db/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { migrate } from '../src/db/migrate.js';

let embedded: EmbeddedPostgres | undefined;
let dataDir: string | undefined;
let adminUrl: string | undefined;
let template: string | undefined;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.href;
}

async function admin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function globalSetup(): Promise<void> {
  const external = process.env.DATABASE_URL;
  if (external) {
    adminUrl = external;
  } else {
    // One throwaway cluster per run, so concurrent runs on one machine never share one.
    dataDir = await mkdtemp(path.join(tmpdir(), 'makenot-test-'));
    embedded = await startEmbeddedPostgres({ dataDir, log: pino({ level: 'silent' }), fast: true });
    adminUrl = embedded.adminUrl;
  }
  template = `mnw_template_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`create database ${template}`));
  const pool = createPool(withDatabase(adminUrl, template));
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  process.env.TEST_PG_ADMIN_URL = adminUrl;
  process.env.TEST_PG_TEMPLATE = template;
}

export async function globalTeardown(): Promise<void> {
  if (adminUrl && template) {
    const name = template;
    await admin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).catch(
      () => undefined,
    );
  }
  await embedded?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
