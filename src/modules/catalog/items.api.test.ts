import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Err,
  type ItemBody,
} from './catalog.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const anon = (url: string) => send(t.app, newJar(), { url: `/api/v1${url}` });
const publishable = { body: 'The text.', ai_disclosure: { tier: 'handmade' } };

/** A file recorded as processed (processing itself is the media module's tests). */
async function addReadyFile(itemId: string, creatorId: string) {
  await t.runtime.db
    .insertInto('files')
    .values({
      item_id: itemId,
      creator_id: creatorId,
      status: 'ready',
      kind: 'other',
      original_name: 'lesson-1.pdf',
    })
    .execute();
}

describe('items', () => {
  test('created as a draft with the API.md shape, a pretty url and a permanent link', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Essays', slug: 'essays' });
    const res = await call(t.app, creator, 'POST', `/projects/${project.id}/items`, {
      type: 'text',
      title: 'On Rivers',
      description: 'A *short* essay.',
      price: { model: 'pwyw', minimum: 0, suggested: 500 },
      ai_disclosure: { tier: 'assisted', statement: 'Spell-checked by a model.' },
      tags: ['Writing / Essays', 'nature'],
      release_date: '2026-11-27',
      credits: 'Photo: A. Friend',
    });
    assert.equal(res.statusCode, 201);
    const { item } = res.json<{ item: ItemBody & Record<string, unknown> }>();
    for (const key of [
      'id',
      'project_id',
      'type',
      'title',
      'description',
      'status',
      'url',
      'permalink',
      'price',
      'ai_disclosure',
      'tags',
    ]) {
      assert.ok(key in item, key);
    }
    assert.equal(item.project_id, project.id);
    assert.equal(item.status, 'draft');
    assert.equal(item.url, `http://localhost:3000/@${creator.handle}/essays/on-rivers`);
    assert.equal(item.permalink, `http://localhost:3000/i/${item.id}`);
    assert.deepEqual(item.price, { model: 'pwyw', minimum: 0, suggested: 500, currency: 'USD' });
    assert.deepEqual(item.ai_disclosure, {
      tier: 'assisted',
      statement: 'Spell-checked by a model.',
    });
    assert.deepEqual(item.tags, ['nature', 'writing/essays']);
    assert.equal(item.release_date, '2026-11-27');
    const tags = await t.runtime.db
      .selectFrom('tags')
      .select('path')
      .where('path', 'like', 'writing%')
      .execute();
    assert.deepEqual(tags.map((r) => r.path).sort(), ['writing', 'writing/essays']);
    const got = await call(t.app, creator, 'GET', `/items/${item.id}`);
    assert.deepEqual(got.json<{ item: ItemBody }>().item, item);
  });

  test('drafts are 404 to others and to anonymous callers, visible to their creator', async () => {
    const creator = await signUpCreator(t.app);
    const other = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const draft = await makeItem(t.app, creator, project.id, publishable);
    assert.equal((await call(t.app, creator, 'GET', `/items/${draft.id}`)).statusCode, 200);
    assert.equal((await call(t.app, other, 'GET', `/items/${draft.id}`)).statusCode, 404);
    assert.equal((await anon(`/items/${draft.id}`)).statusCode, 404);
    const listed = await anon(`/projects/${project.id}/items`);
    assert.deepEqual(listed.json<{ items: unknown[] }>().items, []);
    const own = await call(t.app, creator, 'GET', `/projects/${project.id}/items`);
    assert.equal(own.json<{ items: unknown[] }>().items.length, 1);

    const published = await call(t.app, creator, 'POST', `/items/${draft.id}/publish`);
    assert.equal(published.statusCode, 200);
    assert.equal(published.json<{ item: ItemBody }>().item.status, 'published');
    assert.equal((await anon(`/items/${draft.id}`)).statusCode, 200);
    assert.equal(
      (await anon(`/projects/${project.id}/items`)).json<{ items: unknown[] }>().items.length,
      1,
    );

    const unlisted = await call(t.app, creator, 'PATCH', `/items/${draft.id}`, {
      status: 'unlisted',
    });
    assert.equal(unlisted.json<{ item: ItemBody }>().item.status, 'unlisted');
    assert.equal((await anon(`/items/${draft.id}`)).statusCode, 200);
    assert.deepEqual(
      (await anon(`/projects/${project.id}/items`)).json<{ items: unknown[] }>().items,
      [],
    );

    await call(t.app, creator, 'PATCH', `/items/${draft.id}`, { status: 'draft' });
    assert.equal((await anon(`/items/${draft.id}`)).statusCode, 404);
    const direct = await call(t.app, creator, 'PATCH', `/items/${draft.id}`, {
      status: 'published',
    });
    assert.equal(direct.statusCode, 422);
  });

  test('publishing rules: 422 with the first unmet rule and all of them in fields', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const cases: [Record<string, unknown>, string, string[]][] = [
      [{ type: 'text' }, 'AI_DISCLOSURE_REQUIRED', ['AI_DISCLOSURE_REQUIRED', 'BODY_REQUIRED']],
      [{ type: 'text', ai_disclosure: { tier: 'handmade' } }, 'BODY_REQUIRED', ['BODY_REQUIRED']],
      [
        { type: 'text', body: 'x', ai_disclosure: { tier: 'assisted' } },
        'AI_STATEMENT_REQUIRED',
        ['AI_STATEMENT_REQUIRED'],
      ],
      [
        { type: 'text', body: 'x', ai_disclosure: { tier: 'assisted', statement: '  ' } },
        'AI_STATEMENT_REQUIRED',
        ['AI_STATEMENT_REQUIRED'],
      ],
      [{ type: 'audio', ai_disclosure: { tier: 'generated' } }, 'FILE_REQUIRED', ['FILE_REQUIRED']],
      [
        { type: 'software', ai_disclosure: { tier: 'handmade' } },
        'FILE_REQUIRED',
        ['FILE_REQUIRED'],
      ],
    ];
    for (const [body, code, all] of cases) {
      const item = await makeItem(t.app, creator, project.id, body);
      const res = await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
      assert.equal(res.statusCode, 422, JSON.stringify(body));
      const { error } = res.json<Err>();
      assert.equal(error.code, code);
      assert.deepEqual(Object.keys(error.fields ?? {}).sort(), all.sort());
      assert.equal((await anon(`/items/${item.id}`)).statusCode, 404);
      const unlist = await call(t.app, creator, 'PATCH', `/items/${item.id}`, {
        status: 'unlisted',
      });
      assert.equal(unlist.json<Err>().error.code, code);
    }
    const course = await makeItem(t.app, creator, project.id, {
      type: 'course',
      body: 'An introduction is not a lesson.',
      ai_disclosure: { tier: 'handmade' },
    });
    const empty = await call(t.app, creator, 'POST', `/items/${course.id}/publish`);
    assert.equal(empty.statusCode, 422);
    assert.equal(empty.json<Err>().error.code, 'COURSE_EMPTY');
    assert.equal((await anon(`/items/${course.id}`)).statusCode, 404);
    await addReadyFile(course.id, creator.id);
    assert.equal(
      (await call(t.app, creator, 'POST', `/items/${course.id}/publish`)).statusCode,
      200,
    );
    // a visible item keeps meeting the rules
    const broken = await call(t.app, creator, 'PATCH', `/items/${course.id}`, {
      ai_disclosure: null,
    });
    assert.equal(broken.statusCode, 422);
    assert.equal(broken.json<Err>().error.code, 'AI_DISCLOSURE_REQUIRED');
    const after = await call(t.app, creator, 'GET', `/items/${course.id}`);
    assert.deepEqual(after.json<{ item: ItemBody }>().item.ai_disclosure, { tier: 'handmade' });
  });

  test('an empty course published before the rule stays up, but cannot be published again empty', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const course = await makeItem(t.app, creator, project.id, {
      type: 'course',
      ai_disclosure: { tier: 'handmade' },
    });
    // as the rule found it: published with no lesson
    await t.runtime.db
      .updateTable('items')
      .set({ status: 'published', published_at: new Date() })
      .where('id', '=', course.id)
      .execute();
    assert.equal((await anon(`/items/${course.id}`)).statusCode, 200);
    const toDraft = await call(t.app, creator, 'PATCH', `/items/${course.id}`, { status: 'draft' });
    assert.equal(toDraft.statusCode, 200);
    const again = await call(t.app, creator, 'POST', `/items/${course.id}/publish`);
    assert.equal(again.statusCode, 422);
    assert.equal(again.json<Err>().error.code, 'COURSE_EMPTY');
    assert.equal((await anon(`/items/${course.id}`)).statusCode, 404);
  });

  test('PATCH changes fields, moves between my projects, and DELETE removes', async () => {
    const creator = await signUpCreator(t.app);
    const a = await makeProject(t.app, creator, { title: 'A', slug: 'a' });
    const b = await makeProject(t.app, creator, { title: 'B', slug: 'b' });
    const item = await makeItem(t.app, creator, a.id, { title: 'Same' });
    await makeItem(t.app, creator, b.id, { title: 'Same' });
    const res = await call(t.app, creator, 'PATCH', `/items/${item.id}`, {
      project_id: b.id,
      title: 'Renamed',
      body: '# Hello',
      description: 'New',
    });
    assert.equal(res.statusCode, 200);
    const moved = res.json<{ item: ItemBody }>().item;
    assert.equal(moved.project_id, b.id);
    assert.equal(moved.slug, 'same-2');
    assert.equal(moved.url, `http://localhost:3000/@${creator.handle}/b/same-2`);
    assert.equal(moved.permalink, item.permalink);
    assert.equal(moved.body, '# Hello');
    const clash = await call(t.app, creator, 'PATCH', `/items/${item.id}`, { slug: 'same' });
    assert.equal(clash.json<Err>().error.code, 'SLUG_TAKEN');
    const del = await call(t.app, creator, 'DELETE', `/items/${item.id}`);
    assert.equal(del.statusCode, 204);
    assert.equal((await call(t.app, creator, 'GET', `/items/${item.id}`)).statusCode, 404);
  });

  test('hostile strings are stored verbatim and returned as JSON', async () => {
    const creator = await signUpCreator(t.app);
    const hostile = `<script>alert("x")</script>' OR 1=1; -- \u202e \u{1F480} &amp;`;
    const project = await makeProject(t.app, creator, { title: hostile, description: hostile });
    assert.equal(project.title, hostile.trim());
    const item = await makeItem(t.app, creator, project.id, {
      title: hostile,
      description: hostile,
      body: hostile,
      credits: hostile,
    });
    const res = await call(t.app, creator, 'GET', `/items/${item.id}`);
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    const got = res.json<{ item: ItemBody & { credits: string } }>().item;
    assert.equal(got.description, hostile);
    assert.equal(got.body, hostile);
    assert.equal(got.credits, hostile);
    assert.equal(got.slug, 'script-alert-x-script-or-1-1-amp');
  });

  test('malformed ids and bodies are 4xx, never 500', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const item = await makeItem(t.app, creator, project.id);
    for (const id of [
      'x',
      '1',
      'ffffffff-ffff-ffff-ffff-fffffffffffff',
      '00000000-0000-0000-0000-000000000000',
    ]) {
      for (const [method, url] of [
        ['GET', `/items/${id}`],
        ['PATCH', `/items/${id}`],
        ['DELETE', `/items/${id}`],
        ['POST', `/items/${id}/publish`],
      ] as const) {
        const res = await call(t.app, creator, method, url, method === 'PATCH' ? {} : undefined);
        assert.equal(res.statusCode, 404, `${method} ${url}`);
      }
    }
    const bodies: unknown[] = [
      null,
      'text',
      5,
      [],
      { type: 'podcast', title: 'x', price: { model: 'free' } },
      { type: 'text', title: 'x', price: { model: 'free' }, tags: 'a' },
      { type: 'text', title: 'x', price: { model: 'free' }, release_date: '2026-13-45' },
      { type: 'text', title: 'x', price: { model: 'free' }, body: 'x'.repeat(200_001) },
    ];
    for (const body of bodies) {
      const res = await call(t.app, creator, 'POST', `/projects/${project.id}/items`, body);
      assert.ok(
        res.statusCode >= 400 && res.statusCode < 500,
        `${JSON.stringify(body).slice(0, 80)} → ${res.statusCode}`,
      );
    }
    const raw = await send(t.app, creator.jar, {
      method: 'PATCH',
      url: `/api/v1/items/${item.id}`,
      headers: { 'x-csrf-token': creator.csrf, 'content-type': 'application/json' },
    });
    assert.ok(raw.statusCode >= 400 && raw.statusCode < 500, String(raw.statusCode));
    const badMove = await call(t.app, creator, 'PATCH', `/items/${item.id}`, {
      project_id: 'nope',
    });
    assert.equal(badMove.statusCode, 404);
  });
});
