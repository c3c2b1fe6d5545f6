// Versions, chapters, bundles, ordering, profiles, images and tag suggestions through the API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import sharp from 'sharp';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
  type Err,
  type ItemBody,
} from './catalog.test-helpers.js';
import { removeUnusedImages } from './images.service.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const code = (res: { json: () => unknown }) => (res.json() as Err).error.code;
const publishable = { body: 'The text.', ai_disclosure: { tier: 'handmade' } };

async function png(width: number, height: number): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } },
  })
    .png()
    .toBuffer();
}

function upload(user: Creator, purpose: string, body: Buffer, contentType = 'image/png') {
  return send(t.app, user.jar, {
    url: `/api/v1/me/images?purpose=${purpose}`,
    headers: { 'x-csrf-token': user.csrf },
    multipart: { file: { field: 'file', filename: 'picture.png', contentType, body } },
  });
}

interface ImageBody {
  id: string;
  url: string;
  srcset: string;
  width: number;
  height: number;
}

describe('versions', () => {
  test('software keeps versions newest first, names unique, editable and deletable', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const app = await makeItem(t.app, creator, project.id, { type: 'software', title: 'Reverb' });
    const first = await call(t.app, creator, 'POST', `/items/${app.id}/versions`, {
      version: '1.0.0',
      changelog: 'First release.',
    });
    assert.equal(first.statusCode, 201);
    const second = await call(t.app, creator, 'POST', `/items/${app.id}/versions`, {
      version: '1.1.0',
      changelog: '- Faster\n- Fewer clicks',
    });
    assert.equal(second.statusCode, 201);
    const duplicate = await call(t.app, creator, 'POST', `/items/${app.id}/versions`, {
      version: '1.1.0',
    });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(code(duplicate), 'VERSION_TAKEN');

    const list = await call(t.app, creator, 'GET', `/items/${app.id}/versions`);
    const versions = list.json<{ items: { id: string; version: string }[] }>().items;
    assert.deepEqual(
      versions.map((v) => v.version),
      ['1.1.0', '1.0.0'],
    );
    const id = versions[0]?.id ?? '';
    const renamed = await call(t.app, creator, 'PATCH', `/items/${app.id}/versions/${id}`, {
      version: '1.1.1',
    });
    assert.equal(renamed.json<{ version: { version: string } }>().version.version, '1.1.1');
    const gone = await call(t.app, creator, 'DELETE', `/items/${app.id}/versions/${id}`);
    assert.equal(gone.statusCode, 204);
    const again = await call(t.app, creator, 'DELETE', `/items/${app.id}/versions/${id}`);
    assert.equal(again.statusCode, 404);
  });

  test('text items have no versions, and a draft item’s versions are hidden from others', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const text = await makeItem(t.app, creator, project.id);
    const refused = await call(t.app, creator, 'POST', `/items/${text.id}/versions`, {
      version: '1',
    });
    assert.equal(refused.statusCode, 422);
    assert.equal(code(refused), 'VERSIONS_NOT_SUPPORTED');
    const blank = await call(t.app, creator, 'POST', `/items/${text.id}/versions`, {
      version: ' ',
    });
    assert.equal(code(blank), 'VALIDATION_FAILED');
    const software = await makeItem(t.app, creator, project.id, { type: 'software' });
    const anonymous = await send(t.app, newJar(), {
      url: `/api/v1/items/${software.id}/versions`,
    });
    assert.equal(anonymous.statusCode, 404);
  });
});

describe('chapters', () => {
  test('audio chapters are stored sorted; duplicates and non-audio items are refused', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const audio = await makeItem(t.app, creator, project.id, { type: 'audio', title: 'Live' });
    const set = await call(t.app, creator, 'PUT', `/items/${audio.id}/chapters`, {
      chapters: [
        { start_seconds: 185, title: 'Second song' },
        { start_seconds: 0, title: 'Opening' },
      ],
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json<{ chapters: unknown }>().chapters, [
      { start_seconds: 0, title: 'Opening' },
      { start_seconds: 185, title: 'Second song' },
    ]);
    const clash = await call(t.app, creator, 'PUT', `/items/${audio.id}/chapters`, {
      chapters: [
        { start_seconds: 10, title: 'A' },
        { start_seconds: 10, title: 'B' },
      ],
    });
    assert.equal(code(clash), 'CHAPTERS_OVERLAP');
    const negative = await call(t.app, creator, 'PUT', `/items/${audio.id}/chapters`, {
      chapters: [{ start_seconds: -1, title: 'A' }],
    });
    assert.equal(code(negative), 'VALIDATION_FAILED');
    const text = await makeItem(t.app, creator, project.id);
    const wrong = await call(t.app, creator, 'PUT', `/items/${text.id}/chapters`, {
      chapters: [],
    });
    assert.equal(code(wrong), 'CHAPTERS_AUDIO_ONLY');
    const kept = await call(t.app, creator, 'GET', `/items/${audio.id}/chapters`);
    assert.equal(kept.json<{ chapters: unknown[] }>().chapters.length, 2);
  });
});

describe('bundles', () => {
  test('a bundle needs items to publish, holds only its creator’s items, shows others only published ones', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const published = await makeItem(t.app, creator, project.id, {
      title: 'Essay one',
      ...publishable,
    });
    await call(t.app, creator, 'POST', `/items/${published.id}/publish`);
    const draft = await makeItem(t.app, creator, project.id, { title: 'Essay two' });
    const bundle = await makeItem(t.app, creator, project.id, {
      type: 'bundle',
      title: 'Everything',
      price: { model: 'fixed', amount: 1500 },
      ai_disclosure: { tier: 'handmade' },
    });
    const empty = await call(t.app, creator, 'POST', `/items/${bundle.id}/publish`);
    assert.equal(empty.statusCode, 422);
    assert.equal(code(empty), 'BUNDLE_EMPTY');

    const nested = await makeItem(t.app, creator, project.id, { type: 'bundle', title: 'Inner' });
    const refused = await call(t.app, creator, 'PUT', `/items/${bundle.id}/bundle`, {
      item_ids: [published.id, nested.id],
    });
    assert.equal(code(refused), 'BUNDLE_ITEM_INVALID');
    const itself = await call(t.app, creator, 'PUT', `/items/${bundle.id}/bundle`, {
      item_ids: [bundle.id],
    });
    assert.equal(code(itself), 'BUNDLE_ITEM_INVALID');

    const set = await call(t.app, creator, 'PUT', `/items/${bundle.id}/bundle`, {
      item_ids: [draft.id, published.id, draft.id],
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(
      set.json<{ items: ItemBody[] }>().items.map((i) => i.title),
      ['Essay two', 'Essay one'],
    );
    const ok = await call(t.app, creator, 'POST', `/items/${bundle.id}/publish`);
    assert.equal(ok.statusCode, 200, ok.body);

    const visitor = await send(t.app, newJar(), { url: `/api/v1/items/${bundle.id}/bundle` });
    assert.deepEqual(
      visitor.json<{ items: ItemBody[] }>().items.map((i) => i.title),
      ['Essay one'],
    );
  });
});

describe('ordering', () => {
  test('items and projects take the order given; unlisted ids keep theirs after them', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const a = await makeItem(t.app, creator, project.id, { title: 'A' });
    const b = await makeItem(t.app, creator, project.id, { title: 'B' });
    const c = await makeItem(t.app, creator, project.id, { title: 'C' });
    const moved = await call(t.app, creator, 'PUT', `/projects/${project.id}/items/order`, {
      ids: [c.id, a.id],
    });
    assert.equal(moved.statusCode, 204);
    const list = await call(t.app, creator, 'GET', `/projects/${project.id}/items`);
    assert.deepEqual(
      list.json<{ items: ItemBody[] }>().items.map((i) => i.title),
      ['C', 'A', 'B'],
    );
    assert.ok(b);
    const stranger = await call(t.app, creator, 'PUT', `/projects/${project.id}/items/order`, {
      ids: ['not-an-id'],
    });
    assert.equal(code(stranger), 'ORDER_INVALID');

    const second = await makeProject(t.app, creator, { title: 'Second' });
    await call(t.app, creator, 'PUT', '/me/projects/order', { ids: [second.id] });
    const mine = await call(t.app, creator, 'GET', '/me/projects');
    assert.deepEqual(
      mine.json<{ items: { title: string }[] }>().items.map((p) => p.title),
      ['Second', 'Field Recordings'],
    );
  });
});

describe('profiles and images', () => {
  test('a creator sets bio, links, tips and an uploaded avatar; the public profile shows them', async () => {
    const creator = await signUpCreator(t.app);
    const uploaded = await upload(creator, 'avatar', await png(900, 600));
    assert.equal(uploaded.statusCode, 201, uploaded.body);
    const image = uploaded.json<{ image: ImageBody }>().image;
    assert.equal(image.width, 900);
    assert.match(image.url, /\/media\/images\/[0-9a-f-]{36}\/\d+\.webp$/);

    const changed = await call(t.app, creator, 'PATCH', '/me/profile', {
      bio: 'I record **rivers**.',
      links: [{ label: 'Site', url: 'https://example.org/' }],
      tips_enabled: true,
      avatar_image_id: image.id,
    });
    assert.equal(changed.statusCode, 200, changed.body);
    const profile = await send(t.app, newJar(), {
      url: `/api/v1/creators/${creator.handle.toUpperCase()}`,
    });
    assert.equal(profile.statusCode, 200);
    const body = profile.json<{
      creator: { bio: string; tips_enabled: boolean; avatar: ImageBody; links: unknown[] };
    }>().creator;
    assert.equal(body.bio, 'I record **rivers**.');
    assert.equal(body.tips_enabled, true);
    assert.equal(body.avatar.id, image.id);
    assert.deepEqual(body.links, [{ label: 'Site', url: 'https://example.org/' }]);

    // the image itself: WebP, cached for good, square for avatars, no larger than the source
    const path = new URL(body.avatar.url).pathname;
    const served = await send(t.app, newJar(), { url: path });
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'image/webp');
    assert.match(String(served.headers['cache-control']), /immutable/);
    const meta = await sharp(served.rawPayload).metadata();
    assert.equal(meta.format, 'webp');
    assert.equal(meta.width, meta.height);
    const cached = await send(t.app, newJar(), {
      url: path,
      headers: { 'if-none-match': String(served.headers.etag) },
    });
    assert.equal(cached.statusCode, 304);
    const missing = await send(t.app, newJar(), {
      url: '/media/images/00000000-0000-4000-8000-000000000000/640.webp',
    });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['cache-control']?.includes('immutable'), false);
  });

  test('links must be web addresses; a fan has no public profile', async () => {
    const creator = await signUpCreator(t.app);
    const bad = await call(t.app, creator, 'PATCH', '/me/profile', {
      links: [{ label: 'x', url: 'javascript:alert(1)' }],
    });
    assert.equal(bad.statusCode, 422);
    assert.ok(bad.json<Err>().error.fields?.['links.0.url']);
    const fan = await signUpFan(t.app);
    const res = await send(t.app, newJar(), { url: `/api/v1/creators/${fan.handle}` });
    assert.equal(res.statusCode, 404);
  });

  test('images are checked by content; covers are for creators; nobody borrows another’s image', async () => {
    const creator = await signUpCreator(t.app);
    const fake = await upload(creator, 'cover', Buffer.from('<svg onload=alert(1)>'), 'image/png');
    assert.equal(fake.statusCode, 422, fake.body);
    assert.equal(code(fake), 'IMAGE_TYPE_NOT_ALLOWED');
    const fan = await signUpFan(t.app);
    const fanCover = await upload(fan, 'cover', await png(400, 400));
    assert.equal(fanCover.statusCode, 403);
    assert.equal(code(fanCover), 'NOT_A_CREATOR');
    const json = await call(t.app, creator, 'POST', '/me/images?purpose=cover', {});
    assert.equal(json.statusCode, 415);
    const huge = await upload(creator, 'cover', Buffer.alloc(21 * 1024 * 1024, 1));
    assert.equal(huge.statusCode, 413, huge.body);
    const purpose = await upload(creator, 'banner', await png(400, 400));
    assert.equal(code(purpose), 'VALIDATION_FAILED');

    const cover = (await upload(creator, 'cover', await png(1600, 1600))).json<{
      image: ImageBody;
    }>().image;
    assert.match(cover.srcset, /320w, .*640w, .*1280w/);
    const project = await makeProject(t.app, creator, {
      title: 'With cover',
      cover_image_id: cover.id,
    });
    const got = await call(t.app, creator, 'GET', `/projects/${project.id}`);
    assert.equal(got.json<{ project: { cover: ImageBody } }>().project.cover.id, cover.id);

    const other = await signUpCreator(t.app);
    const otherProject = await makeProject(t.app, other);
    const borrowed = await call(t.app, other, 'PATCH', `/projects/${otherProject.id}`, {
      cover_image_id: cover.id,
    });
    assert.equal(borrowed.statusCode, 422);
    assert.equal(code(borrowed), 'IMAGE_NOT_FOUND');
    const avatar = (await upload(creator, 'avatar', await png(300, 300))).json<{
      image: ImageBody;
    }>().image;
    const wrongPurpose = await makeItem(t.app, creator, project.id, {
      cover_image_id: avatar.id,
    }).catch((error: unknown) => error);
    assert.ok(wrongPurpose instanceof Error && wrongPurpose.message.includes('IMAGE_NOT_FOUND'));
  });

  test('unused images are removed by the cleanup, files and rows', async () => {
    const creator = await signUpCreator(t.app);
    const kept = (await upload(creator, 'cover', await png(400, 400))).json<{ image: ImageBody }>()
      .image;
    const dropped = (await upload(creator, 'cover', await png(400, 400))).json<{
      image: ImageBody;
    }>().image;
    await makeProject(t.app, creator, { title: 'Kept', cover_image_id: kept.id });
    await t.runtime.db
      .updateTable('images')
      .set({ created_at: sql<never>`now() - interval '2 days'` })
      .where('id', 'in', [kept.id, dropped.id])
      .execute();
    await removeUnusedImages(t.runtime.db, t.runtime.storage);
    const left = await t.runtime.db
      .selectFrom('images')
      .select('id')
      .where('id', 'in', [kept.id, dropped.id])
      .execute();
    assert.deepEqual(
      left.map((r) => r.id),
      [kept.id],
    );
    const gone = await send(t.app, newJar(), { url: new URL(dropped.url).pathname });
    assert.equal(gone.statusCode, 404);
  });
});

describe('visibility and tags', () => {
  test('a suspended creator’s work disappears for everyone else', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const item = await makeItem(t.app, creator, project.id, publishable);
    await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
    const visible = await send(t.app, newJar(), { url: `/api/v1/items/${item.id}` });
    assert.equal(visible.statusCode, 200);
    await t.runtime.db
      .updateTable('users')
      .set({ status: 'suspended' })
      .where('id', '=', creator.id)
      .execute();
    for (const url of [
      `/api/v1/items/${item.id}`,
      `/api/v1/projects/${project.id}`,
      `/api/v1/creators/${creator.handle}`,
    ]) {
      const res = await send(t.app, newJar(), { url });
      assert.equal(res.statusCode, 404, url);
    }
  });

  test('tag suggestions match any level and count published items', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const item = await makeItem(t.app, creator, project.id, {
      ...publishable,
      tags: ['Music/Electronic/Ambient'],
    });
    await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
    await makeItem(t.app, creator, project.id, { tags: ['music/ambient-jazz'] });
    const res = await send(t.app, newJar(), { url: '/api/v1/tags?q=amb' });
    const found = res.json<{ items: { path: string; items: number }[] }>().items;
    assert.deepEqual(found, [
      { path: 'music/electronic/ambient', items: 1 },
      { path: 'music/ambient-jazz', items: 0 },
    ]);
    const odd = await send(t.app, newJar(), { url: '/api/v1/tags?q=%25_%27%22' });
    assert.equal(odd.statusCode, 200);
  });
});
