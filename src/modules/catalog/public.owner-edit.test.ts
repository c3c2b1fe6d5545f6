// A creator viewing their own public pages gets "Edit" (the profile, the project, the item) and
// an answer no shared cache keeps; a stranger or another signed-in user gets neither, and the
// page cache's anonymous copy never has it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
  type ItemBody,
  type ProjectBody,
} from './catalog.test-helpers.js';

let t: TestApp;
let creator: Creator;
let project: ProjectBody;
let item: ItemBody;

before(async () => {
  t = await createTestApp({ env: { PAGE_CACHE: 'on' } });
  creator = await signUpCreator(t.app);
  project = await makeProject(t.app, creator, { title: 'Field Recordings' });
  item = await makeItem(t.app, creator, project.id, {
    title: 'On Rivers',
    body: 'Water.',
    ai_disclosure: { tier: 'handmade' },
  });
  assert.equal((await call(t.app, creator, 'POST', `/items/${item.id}/publish`)).statusCode, 200);
});
after(() => t.close());

const paths = (): Record<string, { path: string; edit: string }> => ({
  page: { path: `/@${creator.handle}`, edit: '/dashboard/profile' },
  project: { path: new URL(project.url).pathname, edit: `/dashboard/projects/${project.id}` },
  item: { path: new URL(item.url).pathname, edit: `/dashboard/items/${item.id}` },
});

test('the creator sees Edit on their page, project and item, kept out of shared caches', async () => {
  for (const [what, { path, edit }] of Object.entries(paths())) {
    const res = await send(t.app, creator.jar, { url: path });
    assert.equal(res.statusCode, 200, path);
    assert.match(res.body, new RegExp(`class="owner-edit"[\\s\\S]*?href="${edit}"`), what);
    assert.match(res.body, /Edit<span class="visually-hidden"> your (page|project|item)<\/span>/);
    assert.equal(res.headers['cache-control'], 'private, no-store', path);
  }
});

test('strangers and other users get no Edit, and the cached anonymous copy has none', async () => {
  const fan = await signUpFan(t.app);
  for (const { path } of Object.values(paths())) {
    for (const jar of [fan.jar, newJar()]) {
      const theirs = await send(t.app, jar, { url: path });
      assert.equal(theirs.statusCode, 200);
      assert.doesNotMatch(theirs.body, /owner-edit/, path);
    }
  }
  // The item page is the one the page cache keeps: the creator's visit neither fills nor gets
  // it, and the copy anonymous visitors share has no Edit.
  const { path } = paths().item ?? { path: '' };
  await send(t.app, creator.jar, { url: path });
  await send(t.app, newJar(), { url: path });
  const cached = await send(t.app, newJar(), { url: path });
  assert.equal(cached.headers['x-page-cache'], 'hit');
  assert.doesNotMatch(cached.body, /owner-edit/);
  const own = await send(t.app, creator.jar, { url: path });
  assert.notEqual(own.headers['x-page-cache'], 'hit');
  assert.match(own.body, /owner-edit/);
});
