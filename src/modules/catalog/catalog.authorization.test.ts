import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
  type Err,
} from './catalog.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const publishable = { body: 'The text.', ai_disclosure: { tier: 'handmade' } };

describe('authorization', () => {
  async function setup(): Promise<{
    owner: Creator;
    intruder: Creator;
    projectId: string;
    itemId: string;
    draftId: string;
    audioId: string;
    versionId: string;
    bundleId: string;
  }> {
    const owner = await signUpCreator(t.app);
    const intruder = await signUpCreator(t.app);
    const project = await makeProject(t.app, owner);
    const item = await makeItem(t.app, owner, project.id, publishable);
    await call(t.app, owner, 'POST', `/items/${item.id}/publish`);
    const draft = await makeItem(t.app, owner, project.id, { title: 'Draft' });
    const audio = await makeItem(t.app, owner, project.id, { type: 'audio', title: 'Song' });
    const version = await call(t.app, owner, 'POST', `/items/${audio.id}/versions`, {
      version: '1.0',
      changelog: 'First mix.',
    });
    assert.equal(version.statusCode, 201, version.body);
    const chapters = await call(t.app, owner, 'PUT', `/items/${audio.id}/chapters`, {
      chapters: [{ start_seconds: 0, title: 'Intro' }],
    });
    assert.equal(chapters.statusCode, 200, chapters.body);
    const bundle = await makeItem(t.app, owner, project.id, { type: 'bundle', title: 'All' });
    const contents = await call(t.app, owner, 'PUT', `/items/${bundle.id}/bundle`, {
      item_ids: [item.id],
    });
    assert.equal(contents.statusCode, 200, contents.body);
    return {
      owner,
      intruder,
      projectId: project.id,
      itemId: item.id,
      draftId: draft.id,
      audioId: audio.id,
      versionId: version.json<{ version: { id: string } }>().version.id,
      bundleId: bundle.id,
    };
  }

  test("every write route with a second creator's credentials is 404 and changes nothing", async () => {
    const { owner, intruder, projectId, itemId, draftId, audioId, versionId, bundleId } =
      await setup();
    const intruderProject = await makeProject(t.app, intruder);
    const intruderItem = await makeItem(t.app, intruder, intruderProject.id);
    const rowsOf = (table: 'item_versions' | 'item_chapters') =>
      t.runtime.db.selectFrom(table).selectAll().where('item_id', '=', audioId).execute();
    const snapshot = async () => ({
      projects: await t.runtime.db
        .selectFrom('projects')
        .selectAll()
        .where('creator_id', '=', owner.id)
        .orderBy('id')
        .execute(),
      items: await t.runtime.db
        .selectFrom('items')
        .selectAll()
        .where('creator_id', '=', owner.id)
        .orderBy('id')
        .execute(),
      tags: await t.runtime.db
        .selectFrom('item_tags')
        .selectAll()
        .where('item_id', 'in', [itemId, draftId])
        .execute(),
      versions: await rowsOf('item_versions'),
      chapters: await rowsOf('item_chapters'),
      bundle: await t.runtime.db
        .selectFrom('bundle_items')
        .selectAll()
        .where('bundle_id', '=', bundleId)
        .execute(),
    });
    const before = await snapshot();
    const attempts: ['POST' | 'PATCH' | 'PUT' | 'DELETE', string, unknown][] = [
      ['PUT', `/projects/${projectId}/items/order`, { ids: [draftId, itemId] }],
      ['POST', `/items/${audioId}/versions`, { version: '6.6.6' }],
      ['PATCH', `/items/${audioId}/versions/${versionId}`, { changelog: 'defaced' }],
      ['DELETE', `/items/${audioId}/versions/${versionId}`, undefined],
      ['PUT', `/items/${audioId}/chapters`, { chapters: [] }],
      ['PUT', `/items/${bundleId}/bundle`, { item_ids: [] }],
      ['PATCH', `/projects/${projectId}`, { title: 'Mine now', slug: 'stolen' }],
      ['DELETE', `/projects/${projectId}`, undefined],
      [
        'POST',
        `/projects/${projectId}/items`,
        { type: 'text', title: 'Spam', price: { model: 'free' } },
      ],
      ['PATCH', `/items/${itemId}`, { title: 'Mine now', tags: ['x'], status: 'draft' }],
      ['PATCH', `/items/${draftId}`, { title: 'Mine now' }],
      ['PATCH', `/items/${itemId}`, { project_id: intruderProject.id }],
      ['DELETE', `/items/${itemId}`, undefined],
      ['DELETE', `/items/${draftId}`, undefined],
      ['POST', `/items/${itemId}/publish`, undefined],
      ['POST', `/items/${draftId}/publish`, undefined],
    ];
    for (const [method, url, body] of attempts) {
      const res = await call(t.app, intruder, method, url, body);
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.equal(res.json<Err>().error.code, 'NOT_FOUND');
    }
    // the owner cannot move an item into someone else's project either
    const move = await call(t.app, owner, 'PATCH', `/items/${draftId}`, {
      project_id: intruderProject.id,
    });
    assert.equal(move.statusCode, 404);
    // nor put someone else's item into a bundle, nor order someone else's projects
    const borrow = await call(t.app, owner, 'PUT', `/items/${bundleId}/bundle`, {
      item_ids: [itemId, intruderItem.id],
    });
    assert.equal(borrow.json<Err>().error.code, 'BUNDLE_ITEM_INVALID');
    const order = await call(t.app, intruder, 'PUT', '/me/projects/order', { ids: [projectId] });
    assert.equal(order.json<Err>().error.code, 'ORDER_INVALID');
    assert.deepEqual(await snapshot(), before);
  });

  test('a bearer token with only the read scope reads but cannot write (403 INSUFFICIENT_SCOPE)', async () => {
    const { owner, projectId, draftId } = await setup();
    const created = await send(t.app, newJar(), {
      url: '/api/v1/auth/tokens',
      json: { email: owner.email, password: owner.password, name: 'reader', scopes: ['read'] },
    });
    const { token } = created.json<{ token: string }>();
    const headers = { authorization: `Bearer ${token}` };
    const read = await send(t.app, newJar(), { url: `/api/v1/items/${draftId}`, headers });
    assert.equal(read.statusCode, 200);
    const mine = await send(t.app, newJar(), { url: '/api/v1/me/projects', headers });
    assert.equal(mine.json<{ items: unknown[] }>().items.length, 1);
    const writes: ['POST' | 'PATCH' | 'DELETE', string, unknown][] = [
      ['POST', '/projects', { title: 'x' }],
      ['PATCH', `/projects/${projectId}`, { title: 'x' }],
      ['DELETE', `/projects/${projectId}`, undefined],
      [
        'POST',
        `/projects/${projectId}/items`,
        { type: 'text', title: 'x', price: { model: 'free' } },
      ],
      ['PATCH', `/items/${draftId}`, { title: 'x' }],
      ['DELETE', `/items/${draftId}`, undefined],
      ['POST', `/items/${draftId}/publish`, undefined],
    ];
    for (const [method, url, json] of writes) {
      const res = await send(t.app, newJar(), {
        method,
        url: `/api/v1${url}`,
        headers,
        ...(json !== undefined && { json }),
      });
      assert.equal(res.statusCode, 403, `${method} ${url}`);
      assert.equal(res.json<Err>().error.code, 'INSUFFICIENT_SCOPE');
    }
    const write = await send(t.app, newJar(), {
      url: '/api/v1/auth/tokens',
      json: { email: owner.email, password: owner.password, name: 'writer' },
    });
    const res = await send(t.app, newJar(), {
      url: '/api/v1/projects',
      json: { title: 'By script' },
      headers: { authorization: `Bearer ${write.json<{ token: string }>().token}` },
    });
    assert.equal(res.statusCode, 201);
  });

  test('cookie writes without the CSRF token are refused', async () => {
    const owner = await signUpCreator(t.app);
    const res = await send(t.app, owner.jar, { url: '/api/v1/projects', json: { title: 'x' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json<Err>().error.code, 'CSRF_TOKEN_INVALID');
  });
});
