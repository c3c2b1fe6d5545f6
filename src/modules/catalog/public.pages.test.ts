// The public creator and project pages, permanent links, suspended creators and escaping,
// as visitors, fans and creators see them, with data made through the real API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import { call, makeItem, makeProject, signUpCreator } from './catalog.test-helpers.js';
import {
  HOSTILE,
  jsonLdOf,
  metaContent,
  pathOf,
  publishedText,
  setProfile,
  uploadCover,
  visit,
} from './public.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

describe('creator page', () => {
  test('shows name, bio, links, projects with covers, latest releases and Person data', async () => {
    const creator = await signUpCreator(t.app);
    await setProfile(t, creator, {
      display_name: 'Mara Quill',
      bio: 'Field recordist. **Rivers** and rain.',
      links: [{ label: 'Website', url: 'https://mara.example' }],
      tips_enabled: true,
    });
    const coverId = await uploadCover(t, creator);
    const project = await makeProject(t.app, creator, {
      title: 'River Songs',
      cover_image_id: coverId,
    });
    await publishedText(t, creator, project.id, { title: 'Spring Melt' });
    await makeItem(t.app, creator, project.id, { title: 'Secret Draft' });

    const res = await visit(t, `/@${creator.handle}`);
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<h1 class="profile__name">Mara Quill<\/h1>/);
    assert.match(html, /<strong>Rivers<\/strong>/);
    assert.match(
      html,
      /<a href="https:\/\/mara\.example" rel="nofollow ugc noopener me">Website<\/a>/,
    );
    assert.match(html, /River Songs/);
    assert.match(html, new RegExp(`href="/@${creator.handle}/river-songs"`));
    assert.match(html, new RegExp(`src="/media/images/${coverId}/[^"]+" srcset="`));
    assert.match(html, /Spring Melt/);
    assert.doesNotMatch(html, /Secret Draft/);
    assert.match(html, /id="tip"/);
    assert.equal(metaContent(html, 'og:type'), 'profile');
    assert.equal(metaContent(html, 'og:url'), `http://localhost:3000/@${creator.handle}`);
    assert.match(
      html,
      new RegExp(`<link rel="canonical" href="http://localhost:3000/@${creator.handle}"/>`),
    );
    const ld = jsonLdOf(html);
    assert.equal(ld['@type'], 'Person');
    assert.equal(ld.name, 'Mara Quill');
    assert.deepEqual(ld.sameAs, ['https://mara.example']);
  });

  test('any letter case redirects 301 to the handle as written; unknown handles are 404', async () => {
    const creator = await signUpCreator(t.app);
    const res = await visit(t, `/@${creator.handle.toUpperCase()}`);
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, `/@${creator.handle}`);
    assert.equal((await visit(t, '/@nobody-here-at-all')).statusCode, 404);
    const slash = await visit(t, `/@${creator.handle}/`);
    assert.equal(slash.statusCode, 301);
    assert.equal(slash.headers.location, `/@${creator.handle}`);
  });

  test('accounts that are not creators have no public page', async () => {
    const fan = await send(t.app, newJar(), {
      url: '/api/v1/auth/signup',
      json: {
        email: 'fan-page@example.com',
        password: 'correct horse battery',
        handle: 'fanpage1',
      },
    });
    assert.equal(fan.statusCode, 201);
    assert.equal((await visit(t, '/@fanpage1')).statusCode, 404);
  });
});

describe('project page', () => {
  test('lists published items in the creator order; drafts and unlisted never listed', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, {
      title: 'Essays',
      description: 'Short *essays* about water.',
    });
    const first = await publishedText(t, creator, project.id, { title: 'First Essay' });
    const second = await publishedText(t, creator, project.id, { title: 'Second Essay' });
    const hidden = await publishedText(t, creator, project.id, { title: 'Quiet Essay' });
    await call(t.app, creator, 'PATCH', `/items/${hidden.id}`, { status: 'unlisted' });
    await makeItem(t.app, creator, project.id, { title: 'Draft Essay' });
    const order = await call(t.app, creator, 'PUT', `/projects/${project.id}/items/order`, {
      ids: [second.id, first.id, hidden.id],
    });
    assert.ok(order.statusCode < 300, order.body);

    const res = await visit(t, pathOf(project.url));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1 class="release-head__title">Essays<\/h1>/);
    assert.match(res.body, /Short <em>essays<\/em> about water/);
    const secondAt = res.body.indexOf('Second Essay');
    const firstAt = res.body.indexOf('First Essay');
    assert.ok(secondAt > 0 && firstAt > secondAt, 'the creator order');
    assert.doesNotMatch(res.body, /Quiet Essay|Draft Essay/);
    assert.equal(jsonLdOf(res.body)['@type'], 'CreativeWork');
  });

  test('an old slug and another letter case redirect 301 to the current URL', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Old Name', slug: 'old-name' });
    const renamed = await call(t.app, creator, 'PATCH', `/projects/${project.id}`, {
      slug: 'new-name',
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    const old = await visit(t, `/@${creator.handle}/old-name`);
    assert.equal(old.statusCode, 301);
    assert.equal(old.headers.location, `/@${creator.handle}/new-name`);
    const upper = await visit(t, `/@${creator.handle}/NEW-NAME`);
    assert.equal(upper.statusCode, 301);
    assert.equal(upper.headers.location, `/@${creator.handle}/new-name`);
    assert.equal((await visit(t, `/@${creator.handle}/new-name`)).statusCode, 200);
    assert.equal((await visit(t, `/@${creator.handle}/never-was`)).statusCode, 404);
    const slash = await visit(t, `/@${creator.handle}/new-name/`);
    assert.equal(slash.statusCode, 301);
    assert.equal(slash.headers.location, `/@${creator.handle}/new-name`);
  });

  test("another creator's project slug under this handle is 404", async () => {
    const a = await signUpCreator(t.app);
    const b = await signUpCreator(t.app);
    await makeProject(t.app, b, { title: 'Only B', slug: 'only-b' });
    assert.equal((await visit(t, `/@${a.handle}/only-b`)).statusCode, 404);
  });
});

describe('permanent links', () => {
  test('/i/<id> answers 301 with the current pretty URL; bad ids are 404', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Moves', slug: 'moves' });
    const item = await publishedText(t, creator, project.id, { title: 'Wanderer' });
    await call(t.app, creator, 'PATCH', `/projects/${project.id}`, { slug: 'moved' });
    const res = await visit(t, `/i/${item.id}`);
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, `/@${creator.handle}/moved/wanderer`);
    assert.equal((await visit(t, '/i/not-a-uuid')).statusCode, 404);
    assert.equal((await visit(t, '/i/00000000-0000-4000-8000-000000000000')).statusCode, 404);
  });
});

describe('suspended creators', () => {
  test('their profile, projects, items and permalinks are 404 and they leave every list', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const item = await publishedText(t, creator, project.id, {
      title: 'Soon Gone',
      tags: ['suspension-check'],
    });
    assert.equal((await visit(t, pathOf(item.url))).statusCode, 200);
    await t.runtime.db
      .updateTable('users')
      .set({ status: 'suspended' })
      .where('id', '=', creator.id)
      .execute();
    for (const url of [
      `/@${creator.handle}`,
      pathOf(project.url),
      pathOf(item.url),
      `/i/${item.id}`,
    ]) {
      assert.equal((await visit(t, url)).statusCode, 404, url);
    }
    for (const list of ['/discover', '/tags/suspension-check', '/']) {
      assert.doesNotMatch((await visit(t, list)).body, /Soon Gone/, list);
    }
  });
});

describe('escaping', () => {
  test('hostile titles, names and bios stay text in HTML and in JSON-LD', async () => {
    const creator = await signUpCreator(t.app);
    await setProfile(t, creator, {
      display_name: HOSTILE,
      bio: `<img src=x onerror=alert(1)> ${HOSTILE}`,
      links: [{ label: HOSTILE, url: 'https://example.com/"><script>alert(1)</script>' }],
    });
    const project = await makeProject(t.app, creator, { title: HOSTILE, slug: 'hostile' });
    const item = await publishedText(t, creator, project.id, {
      title: HOSTILE,
      slug: 'hostile-item',
      description: HOSTILE,
      body: HOSTILE,
      credits: HOSTILE,
    });
    for (const url of [`/@${creator.handle}`, pathOf(project.url), pathOf(item.url), '/discover']) {
      // Inside a double-quoted attribute `<` is plain data (Kita escapes `"`): drop attribute
      // values, then no markup from the user may remain.
      const html = (await visit(t, url)).body.replace(/="[^"]*"/g, '=""');
      assert.doesNotMatch(html, /<script>alert|<img src=x/, url);
      // the only script elements: htmx and the JSON-LD block
      assert.equal(html.match(/<script/g)?.length, 2, url);
      assert.equal(html.match(/<\/script>/g)?.length, 2, url);
    }
    const ld = jsonLdOf((await visit(t, pathOf(item.url))).body);
    assert.equal(ld.name, HOSTILE);
    assert.equal((ld.author as Record<string, unknown>).name, HOSTILE);
  });
});
