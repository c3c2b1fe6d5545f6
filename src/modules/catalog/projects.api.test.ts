import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Err,
  type ProjectBody,
} from './catalog.test-helpers.js';
import { findProjectBySlug } from './index.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

describe('projects', () => {
  test('a creator creates a project: 201 with id, slug from the title, absolute url', async () => {
    const creator = await signUpCreator(t.app);
    const res = await call(t.app, creator, 'POST', '/projects', {
      title: '  Field Recordings, Vol. 1 ',
      description: 'Sounds *outside*.',
    });
    assert.equal(res.statusCode, 201);
    const { project } = res.json<{ project: ProjectBody }>();
    assert.equal(project.slug, 'field-recordings-vol-1');
    assert.equal(project.title, 'Field Recordings, Vol. 1');
    assert.equal(project.description, 'Sounds *outside*.');
    assert.equal(project.url, `http://localhost:3000/@${creator.handle}/field-recordings-vol-1`);
    const again = await makeProject(t.app, creator, { title: 'Field Recordings, Vol. 1' });
    assert.equal(again.slug, 'field-recordings-vol-1-2');
    const got = await send(t.app, newJar(), { url: `/api/v1/projects/${project.id}` });
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.json<{ project: ProjectBody }>().project, project);
  });

  test('a fan who is not a creator gets 403 NOT_A_CREATOR; anonymous 401', async () => {
    const fan = await signUpFan(t.app);
    const res = await call(t.app, fan, 'POST', '/projects', { title: 'Mine' });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json<Err>().error.code, 'NOT_A_CREATOR');
    // the message names a page that is there (settings have no such switch)
    const { message } = res.json<{ error: { message: string } }>().error;
    assert.equal(message, 'Turn on creating first, at /join/create.');
    assert.equal((await send(t.app, fan.jar, { url: '/join/create' })).statusCode, 200);
    const anon = await send(t.app, newJar(), { url: '/api/v1/projects', json: { title: 'x' } });
    assert.equal(anon.statusCode, 401);
  });

  test('an explicit slug that is taken is 409 SLUG_TAKEN; bad input is 422 with fields', async () => {
    const creator = await signUpCreator(t.app);
    await makeProject(t.app, creator, { title: 'A', slug: 'taken' });
    const dup = await call(t.app, creator, 'POST', '/projects', { title: 'B', slug: 'taken' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json<Err>().error.code, 'SLUG_TAKEN');
    const cases: [unknown, string][] = [
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 'ok', slug: 'Not OK' }, 'slug'],
      [{ title: 'ok', slug: 'a--b' }, 'slug'],
      [{ title: 'ok', slug: 'a'.repeat(81) }, 'slug'],
      [{ title: 'ok', description: 'x'.repeat(20_001) }, 'description'],
      [{ title: 42 }, 'title'],
      [[], '_'],
    ];
    for (const [body, field] of cases) {
      const res = await call(t.app, creator, 'POST', '/projects', body);
      assert.equal(res.statusCode, 422, JSON.stringify(body));
      const { error } = res.json<Err>();
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.ok(error.fields?.[field], `${field} in ${JSON.stringify(error.fields)}`);
    }
  });

  test('renaming the slug keeps the old one resolving; a new project may take it back', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Old Name', slug: 'old-name' });
    const res = await call(t.app, creator, 'PATCH', `/projects/${project.id}`, {
      slug: 'new-name',
      title: 'New Name',
    });
    assert.equal(res.statusCode, 200);
    const changed = res.json<{ project: ProjectBody }>().project;
    assert.equal(changed.slug, 'new-name');
    assert.equal(changed.url, `http://localhost:3000/@${creator.handle}/new-name`);
    const db = t.runtime.db;
    const current = await findProjectBySlug(db, creator.handle.toUpperCase(), 'new-name');
    assert.ok(current);
    assert.equal(current.project.id, project.id);
    assert.equal(current.redirected, false);
    const old = await findProjectBySlug(db, creator.handle, 'old-name');
    assert.ok(old);
    assert.equal(old.project.id, project.id);
    assert.equal(old.redirected, true);
    assert.equal(old.project.slug, 'new-name');
    const other = await makeProject(t.app, creator, { title: 'Other', slug: 'old-name' });
    assert.equal((await findProjectBySlug(db, creator.handle, 'old-name'))?.project.id, other.id);
    assert.equal(await findProjectBySlug(db, creator.handle, 'never-was'), undefined);
  });

  test('delete: 204 with only drafts (deleted too); 409 PROJECT_NOT_EMPTY with visible items', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const draft = await makeItem(t.app, creator, project.id);
    const del = await call(t.app, creator, 'DELETE', `/projects/${project.id}`);
    assert.equal(del.statusCode, 204);
    assert.equal((await call(t.app, creator, 'GET', `/projects/${project.id}`)).statusCode, 404);
    assert.equal((await call(t.app, creator, 'GET', `/items/${draft.id}`)).statusCode, 404);

    const kept = await makeProject(t.app, creator);
    const item = await makeItem(t.app, creator, kept.id, {
      body: 'Words.',
      ai_disclosure: { tier: 'handmade' },
    });
    assert.equal((await call(t.app, creator, 'POST', `/items/${item.id}/publish`)).statusCode, 200);
    const refused = await call(t.app, creator, 'DELETE', `/projects/${kept.id}`);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json<Err>().error.code, 'PROJECT_NOT_EMPTY');
    assert.equal((await call(t.app, creator, 'GET', `/projects/${kept.id}`)).statusCode, 200);
  });

  test('GET /me/projects lists my projects only, with keyset pages', async () => {
    const creator = await signUpCreator(t.app);
    const other = await signUpCreator(t.app);
    await makeProject(t.app, other);
    const made: string[] = [];
    for (let i = 0; i < 5; i++)
      made.push((await makeProject(t.app, creator, { title: `P${i}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const res = await call(t.app, creator, 'GET', `/me/projects?limit=2${query}`);
      assert.equal(res.statusCode, 200);
      const page = res.json<{ items: ProjectBody[]; next_cursor: string | null }>();
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, made);
    for (const bad of ['?limit=0', '?limit=101', '?limit=x', '?cursor=garbage']) {
      const res = await call(t.app, creator, 'GET', `/me/projects${bad}`);
      assert.equal(res.statusCode, 422, bad);
    }
    assert.equal((await send(t.app, newJar(), { url: '/api/v1/me/projects' })).statusCode, 401);
  });

  test('malformed ids are 404, never 500', async () => {
    const creator = await signUpCreator(t.app);
    for (const id of [
      'nope',
      '123',
      "1' or '1'='1",
      '%00',
      '00000000-0000-0000-0000-000000000000',
    ]) {
      for (const [method, url] of [
        ['GET', `/projects/${encodeURIComponent(id)}`],
        ['PATCH', `/projects/${encodeURIComponent(id)}`],
        ['DELETE', `/projects/${encodeURIComponent(id)}`],
        ['GET', `/projects/${encodeURIComponent(id)}/items`],
        ['POST', `/projects/${encodeURIComponent(id)}/items`],
      ] as const) {
        const body =
          method === 'POST'
            ? { type: 'text', title: 'x', price: { model: 'free' } }
            : method === 'PATCH'
              ? {}
              : undefined;
        const res = await call(t.app, creator, method, url, body);
        assert.equal(res.statusCode, 404, `${method} ${url}`);
      }
    }
  });
});

test('two requests racing for one slug: one 201, one 409, never a 500', async () => {
  const creator = await signUpCreator(t.app);
  const results = await Promise.all(
    Array.from({ length: 4 }, () =>
      call(t.app, creator, 'POST', '/projects', { title: 'Race', slug: 'race' }),
    ),
  );
  const statuses = results.map((r) => r.statusCode).sort();
  assert.deepEqual(statuses, [201, 409, 409, 409]);
});
