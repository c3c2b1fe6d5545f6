// What the token-scope walk stands on: an owner with something behind every kind of route (a
// creator and an admin, so the developer payment panel is theirs too) — projects, a published
// paid item that a fan bought, a draft with a version, a membership tier a fan joined, a promo
// code, a second signed-in browser, a write token — and a read-only token of theirs to walk with.
// Also the database's fingerprint, to prove that the walk changed nothing at all.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
} from '../../src/modules/catalog/catalog.test-helpers.js';
import { buyAndPay } from '../../src/modules/earnings/earnings.test-helpers.js';
import { join, makeTier } from '../../src/modules/memberships/memberships.test-helpers.js';
import { until } from '../../src/modules/payments/payments.test-helpers.js';
import type { TestApp } from '../helpers/app.js';
import { newJar, send } from '../helpers/http.js';

export interface ScopeFixtures {
  owner: Creator;
  readToken: string;
  writeToken: string;
  /** every id the fixtures made, for filling :id (and a route's other uuid parameters) */
  ids: string[];
  versionIds: string[];
  /** a valid-looking body for any form or JSON write: the owner's own values where it matters */
  body: Record<string, unknown>;
}

export async function createToken(t: TestApp, owner: Creator, scopes: string[], name: string) {
  const res = await send(t.app, newJar(), {
    url: '/api/v1/auth/tokens',
    json: { email: owner.email, password: owner.password, name, scopes },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{ token: string; id: string }>();
}

async function idsOf(db: Db, query: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`${sql.raw(query)}`.execute(db);
  return rows.map((row) => row.id);
}

export async function makeScopeFixtures(t: TestApp): Promise<ScopeFixtures> {
  const db = t.runtime.db;
  const owner = await signUpCreator(t.app);
  const fan = await signUpFan(t.app);
  // An admin too, so the developer payment panel (admins only) is within the token's reach.
  await db.updateTable('users').set({ is_admin: true }).where('id', '=', owner.id).execute();

  const sale = await buyAndPay(t.app, db, owner, fan);
  const project = await makeProject(t.app, owner, { title: 'Workshop' });
  const draft = await makeItem(t.app, owner, project.id, { title: 'Draft tool', type: 'software' });
  const version = await call(t.app, owner, 'POST', `/items/${draft.id}/versions`, {
    version: '1.0.0',
    changelog: 'First',
  });
  const tier = await makeTier(t.app, owner, project.id);
  await join(t.app, db, fan, tier.id);
  const promo = await call(t.app, owner, 'POST', '/promo-codes', {
    code: 'READTOKEN10',
    kind: 'percent',
    percent_off: 10,
  });
  assert.equal(promo.statusCode, 201, promo.body);
  // a second browser signed in, which "sign out everywhere else" would end
  const other = await send(t.app, newJar(), {
    url: '/api/v1/auth/login',
    json: { email: owner.email, password: owner.password },
  });
  assert.equal(other.statusCode, 200, other.body);

  const read = await createToken(t, owner, ['read'], 'read-only walker');
  const write = await createToken(t, owner, ['read', 'write'], 'deploy');
  await until(async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from graphile_worker.jobs
      where run_at <= now() and attempts < max_attempts`.execute(db);
    return rows[0]?.n === 0 ? true : undefined;
  }, 'the fixtures’ jobs to finish');

  const ids = [
    ...(await idsOf(db, 'select id from projects')),
    ...(await idsOf(db, 'select id from items')),
    ...(await idsOf(db, 'select id from orders')),
    ...(await idsOf(db, 'select id from membership_tiers')),
    ...(await idsOf(db, 'select id from memberships')),
    ...(await idsOf(db, 'select id from promo_codes')),
    ...(await idsOf(db, 'select id from sessions')),
    ...(await idsOf(db, 'select id from api_tokens')),
    ...(await idsOf(db, 'select id from local_checkout_sessions')),
    ...(await idsOf(db, 'select payment_id as id from local_checkout_sessions where payment_id is not null')), // prettier-ignore
    ...(await idsOf(db, 'select id from local_subscriptions')),
  ];
  const versionIds = await idsOf(db, 'select id from item_versions');
  assert.equal(version.statusCode, 201, version.body);
  return {
    owner,
    readToken: read.token,
    writeToken: write.token,
    ids,
    versionIds,
    body: {
      title: 'Changed by a read-only token',
      name: 'Changed by a read-only token',
      display_name: 'Changed by a read-only token',
      bio: 'Changed by a read-only token',
      description: 'Changed by a read-only token',
      body: 'Changed by a read-only token',
      email: owner.email,
      password: owner.password,
      current_password: owner.password,
      new_password: 'a brand new password for the walk',
      confirm_handle: owner.handle,
      handle: owner.handle,
      scopes: ['read', 'write'],
      amount: 100,
      outcome: 'succeeded',
      reason: 'requested_by_customer',
      item_id: sale.itemId,
      project_id: project.id,
      tier_id: tier.id,
      interval: 'month',
      code: 'WALKED',
      kind: 'percent',
      percent_off: 50,
      active: false,
      status: 'archived',
      version: '9.9.9',
      price: { model: 'free' },
    },
  };
}

/** Tables whose rows are not anyone's data: counters of refused requests, worker liveness. */
const NOT_DATA = new Set(['rate_limits', 'worker_heartbeats']);
/** Columns touched by reading: when a token or session was last used. */
const TOUCHED_BY_READS = ['last_used_at', 'last_seen_at'];

/** One fingerprint per table of the public schema (a table added tomorrow is in it). */
export async function fingerprint(db: Db): Promise<Map<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db);
  const result = new Map<string, string>();
  for (const { name } of tables) {
    if (NOT_DATA.has(name)) continue;
    const { rows } = await sql<{ rows: number; hash: string }>`
      select count(*)::int as rows, md5(coalesce(string_agg(r, E'\n' order by r), '')) as hash
      from (select (to_jsonb(t) - ${sql.val(TOUCHED_BY_READS)}::text[])::text as r
            from ${sql.table(name)} t) s`.execute(db);
    const row = rows[0];
    result.set(name, `${row?.rows ?? 0} rows ${row?.hash ?? ''}`);
  }
  return result;
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => before.get(name) !== after.get(name)).sort();
}
