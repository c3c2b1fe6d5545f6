// Idempotency-Key through the real app and PostgreSQL: a retried POST does its work once and
// answers the first answer again; another body with the same key is refused; failures are
// not kept (and what they count still counts); stored answers hold no secret in the clear;
// and every POST route under /api/v1 takes a key without breaking.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signUp } from '../../../test/helpers/factories.js';
import {
  csrfFor,
  newJar,
  send,
  type Jar,
  type RequestOptions,
} from '../../../test/helpers/http.js';
import {
  signUpCreator,
  type Creator,
  type Err,
  type ProjectBody,
} from '../../modules/catalog/catalog.test-helpers.js';
import { publishedItem, type CheckoutBody } from '../../modules/payments/payments.test-helpers.js';

let t: TestApp;
let creator: Creator;
before(async () => {
  t = await createTestApp();
  creator = await signUpCreator(t.app);
});
after(() => t.close());

const newKey = () => `test-${randomUUID()}`;

function keyed(jar: Jar, key: string, options: RequestOptions, csrf?: string) {
  return send(t.app, jar, {
    ...options,
    headers: {
      'idempotency-key': key,
      ...(csrf !== undefined && { 'x-csrf-token': csrf }),
      ...options.headers,
    },
  });
}

const createProject = (key: string, json: object, user: Creator = creator) =>
  keyed(user.jar, key, { url: '/api/v1/projects', json }, user.csrf);

const projectOf = (res: LightMyRequestResponse) => res.json<{ project: ProjectBody }>().project;

async function projectsTitled(title: string) {
  const rows = await t.runtime.db
    .selectFrom('projects')
    .select('id')
    .where('title', '=', title)
    .execute();
  return rows.length;
}

describe('Idempotency-Key', () => {
  test('the same key and body twice: one project, the first answer again', async () => {
    const key = newKey();
    const title = `Once ${key}`;
    const first = await createProject(key, { title });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const again = await createProject(key, { title });
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body, first.body);
    assert.equal(again.headers['content-type'], first.headers['content-type']);
    assert.equal(await projectsTitled(title), 1);
  });

  test('without a key nothing changes: two posts, two projects, no key stored', async () => {
    const title = `Twice ${randomUUID()}`;
    const before = await t.runtime.db
      .selectFrom('idempotency_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 2; i++) {
      const res = await send(t.app, creator.jar, {
        url: '/api/v1/projects',
        json: { title },
        headers: { 'x-csrf-token': creator.csrf },
      });
      assert.equal(res.statusCode, 201);
    }
    assert.equal(await projectsTitled(title), 2);
    const afterCount = await t.runtime.db
      .selectFrom('idempotency_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });

  test('the same key with another body is refused and does nothing', async () => {
    const key = newKey();
    assert.equal((await createProject(key, { title: `First ${key}` })).statusCode, 201);
    const other = await createProject(key, { title: `Second ${key}` });
    assert.equal(other.statusCode, 422);
    assert.equal(other.json<Err>().error.code, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(await projectsTitled(`Second ${key}`), 0);
    // another URL is another request too
    const elsewhere = await keyed(
      creator.jar,
      key,
      { url: '/api/v1/projects?x=1', json: { title: `First ${key}` } },
      creator.csrf,
    );
    assert.equal(elsewhere.json<Err>().error.code, 'IDEMPOTENCY_KEY_REUSED');
  });

  test("another caller's key of the same name is their own", async () => {
    const other = await signUpCreator(t.app);
    const key = newKey();
    const title = `Shared key ${key}`;
    const mine = await createProject(key, { title });
    const theirs = await createProject(key, { title }, other);
    assert.equal(mine.statusCode, 201);
    assert.equal(theirs.statusCode, 201);
    assert.equal(theirs.headers['idempotent-replayed'], undefined);
    assert.notEqual(projectOf(mine).id, projectOf(theirs).id);
    assert.equal(await projectsTitled(title), 2);
  });

  test('ten concurrent requests with one key: one project, ten equal answers', async () => {
    const key = newKey();
    const title = `Concurrent ${key}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => createProject(key, { title })),
    );
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      Array<number>(10).fill(201),
    );
    assert.equal(new Set(answers.map((a) => a.body)).size, 1, 'every answer is the same');
    assert.equal(answers.filter((a) => a.headers['idempotent-replayed'] === 'true').length, 9);
    assert.equal(await projectsTitled(title), 1);
  });

  test('a checkout retried with its key places one order', async () => {
    const item = await publishedItem(t.app, creator, { model: 'fixed', amount: 500 });
    const guest = newJar();
    const csrf = await csrfFor(t.app, guest);
    const key = newKey();
    const email = `buyer-${key}@example.com`;
    const body = { item_id: item.id, email };
    const first = await keyed(guest, key, { url: '/api/v1/checkout', json: body }, csrf);
    assert.equal(first.statusCode, 201, first.body);
    const second = await keyed(guest, key, { url: '/api/v1/checkout', json: body }, csrf);
    assert.equal(second.statusCode, 201);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(second.json<CheckoutBody>().order.id, first.json<CheckoutBody>().order.id);
    const orders = await t.runtime.db
      .selectFrom('orders')
      .select('id')
      .where('item_id', '=', item.id)
      .execute();
    assert.equal(orders.length, 1);
    // the processor's checkout opened inside the same transaction works: the page is there
    const url = first.json<CheckoutBody>().checkout_url;
    assert.ok(url);
    const page = await send(t.app, guest, { url: new URL(url).pathname });
    assert.equal(page.statusCode, 200);
  });

  test('a refused answer is not kept: the same key runs again once the cause is gone', async () => {
    const slug = `taken-${randomUUID().slice(0, 8)}`;
    const holder = await createProject(newKey(), { title: 'Holder', slug });
    assert.equal(holder.statusCode, 201);
    const key = newKey();
    const title = `Wants the slug ${key}`;
    const refused = await createProject(key, { title, slug });
    assert.equal(refused.statusCode, 409, refused.body);
    const renamed = await send(t.app, creator.jar, {
      method: 'PATCH',
      url: `/api/v1/projects/${projectOf(holder).id}`,
      json: { slug: `${slug}-old` },
      headers: { 'x-csrf-token': creator.csrf },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    const retried = await createProject(key, { title, slug });
    assert.equal(retried.statusCode, 201, retried.body);
    assert.equal(retried.headers['idempotent-replayed'], undefined);
    assert.equal(await projectsTitled(title), 1);
  });

  test('failed sign-ins with a key still count: the same key cannot undo a lockout', async () => {
    const user = await signUp(t.app);
    const attacker = newJar();
    const key = newKey();
    const guess = { email: user.email, password: 'a wrong guess, repeated' };
    for (let i = 0; i < 5; i++) {
      const res = await keyed(attacker, key, { url: '/api/v1/auth/login', json: guess });
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers['idempotent-replayed'], undefined);
    }
    const row = await t.runtime.db
      .selectFrom('users')
      .select(['failed_logins', 'locked_until'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.locked_until !== null, `locked (failed_logins ${row.failed_logins})`);
  });

  test('a stored answer holds no token or session in the clear', async () => {
    const user = await signUp(t.app);
    const jar = newJar();
    const key = newKey();
    const body = { email: user.email, password: user.password, name: 'script' };
    const first = await keyed(jar, key, { url: '/api/v1/auth/tokens', json: body });
    assert.equal(first.statusCode, 201, first.body);
    const { token } = first.json<{ token: string }>();
    const again = await keyed(jar, key, { url: '/api/v1/auth/tokens', json: body });
    assert.equal(again.json<{ token: string }>().token, token, 'shown again to the same caller');

    const login = await keyed(newJar(), newKey(), {
      url: '/api/v1/auth/login',
      json: { email: user.email, password: user.password },
    });
    assert.equal(login.statusCode, 200);
    const session = login.cookies.find((c) => c.name.endsWith('session'))?.value;
    assert.ok(session);

    const rows = await t.runtime.db.selectFrom('idempotency_keys').select('answer').execute();
    const stored = Buffer.concat(rows.map((r) => r.answer ?? Buffer.alloc(0)));
    for (const secret of [token, session]) {
      for (const form of [secret, Buffer.from(secret).toString('base64')]) {
        assert.equal(stored.includes(form), false, `no ${secret.slice(0, 8)}… at rest`);
      }
    }
  });

  test('a COMMIT that fails never leaves as a success', async () => {
    // checked at COMMIT only, like the ledger's balance: here the request's own COMMIT
    await sql`
      create function refuse_at_commit() returns trigger language plpgsql as $$
      begin
        if new.title = 'Refused at commit' then raise exception 'refused at commit'; end if;
        return new;
      end $$`.execute(t.runtime.db);
    await sql`
      create constraint trigger refuse_at_commit after insert on projects
      deferrable initially deferred for each row execute function refuse_at_commit()`.execute(
      t.runtime.db,
    );
    const key = newKey();
    for (let i = 0; i < 2; i++) {
      const res = await createProject(key, { title: 'Refused at commit' });
      assert.equal(res.statusCode, 500, res.body);
      assert.equal(res.headers['idempotent-replayed'], undefined);
    }
    assert.equal(await projectsTitled('Refused at commit'), 0);
    const keys = await t.runtime.db
      .selectFrom('idempotency_keys')
      .select('id')
      .where('key', '=', key)
      .execute();
    assert.equal(keys.length, 0);
  });

  test('a request whose database session dies mid-way leaves nothing; its retry runs', async () => {
    // the first insert of this title kills its own session, as a crash of the database
    // connection (or of the instance) would; a sequence is not undone with the transaction
    await sql`create sequence killed_once`.execute(t.runtime.db);
    await sql`
      create function kill_once() returns trigger language plpgsql as $$
      begin
        if new.title = 'Killed once' and nextval('killed_once') = 1 then
          perform pg_terminate_backend(pg_backend_pid());
        end if;
        return new;
      end $$`.execute(t.runtime.db);
    await sql`
      create trigger kill_once before insert on projects
      for each row execute function kill_once()`.execute(t.runtime.db);
    const key = newKey();
    const first = await createProject(key, { title: 'Killed once' });
    assert.equal(first.statusCode, 503, first.body);
    assert.equal(await projectsTitled('Killed once'), 0);
    const retried = await createProject(key, { title: 'Killed once' });
    assert.equal(retried.statusCode, 201, retried.body);
    assert.equal(retried.headers['idempotent-replayed'], undefined);
    assert.equal(await projectsTitled('Killed once'), 1);
  });

  test('a key older than 24 hours is ignored: the request runs again', async () => {
    const key = newKey();
    const title = `Expired ${key}`;
    assert.equal((await createProject(key, { title })).statusCode, 201);
    await t.runtime.db
      .updateTable('idempotency_keys')
      .set({ created_at: new Date(Date.now() - 25 * 3600_000) })
      .where('key', '=', key)
      .execute();
    const later = await createProject(key, { title });
    assert.equal(later.statusCode, 201);
    assert.equal(later.headers['idempotent-replayed'], undefined);
    assert.equal(await projectsTitled(title), 2);
  });

  test('keys must be 1 to 255 visible ASCII characters', async () => {
    for (const key of ['', 'x'.repeat(256), 'with space', 'naïve']) {
      const res = await send(t.app, creator.jar, {
        url: '/api/v1/projects',
        json: { title: 'Bad key' },
        headers: { 'x-csrf-token': creator.csrf, 'idempotency-key': key },
      });
      assert.equal(res.statusCode, 400, `${JSON.stringify(key)}: ${res.body}`);
      assert.equal(res.json<Err>().error.code, 'INVALID_IDEMPOTENCY_KEY');
    }
    assert.equal((await createProject('x'.repeat(255), { title: 'Long key' })).statusCode, 201);
  });

  test('the OpenAPI document gives every POST the header and its answers', async () => {
    const doc = (await t.app.inject('/api/v1/openapi.json')).json<{
      components: { parameters: Record<string, { name: string; in: string }> };
      paths: Record<
        string,
        Record<
          string,
          {
            parameters: { $ref?: string }[];
            responses: Record<string, { description: string; headers?: object }>;
          }
        >
      >;
    }>();
    const header = doc.components.parameters.IdempotencyKey;
    assert.equal(header?.name, 'Idempotency-Key');
    assert.equal(header.in, 'header');
    const ref = '#/components/parameters/IdempotencyKey';
    let posts = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const hasKey = op.parameters.some((p) => p.$ref === ref);
        assert.equal(hasKey, method === 'post', `${method} ${path}`);
        if (method !== 'post') continue;
        posts++;
        assert.match(op.responses['422']?.description ?? '', /IDEMPOTENCY_KEY_REUSED/, path);
        assert.match(op.responses['400']?.description ?? '', /INVALID_IDEMPOTENCY_KEY/, path);
        const success = Object.entries(op.responses).find(([status]) => status.startsWith('2'));
        assert.ok(success?.[1].headers, `${path}: Idempotent-Replayed on its success`);
      }
    }
    assert.ok(posts > 20);
  });

  test('file uploads refuse a key: they are retried through tus', async () => {
    const res = await keyed(
      creator.jar,
      newKey(),
      {
        url: '/api/v1/me/images',
        multipart: {
          fields: { purpose: 'cover' },
          file: {
            field: 'file',
            filename: 'a.png',
            contentType: 'image/png',
            body: Buffer.alloc(10),
          },
        },
      },
      creator.csrf,
    );
    assert.equal(res.statusCode, 400);
    assert.equal(res.json<Err>().error.code, 'IDEMPOTENCY_KEY_UNSUPPORTED');
  });
});
