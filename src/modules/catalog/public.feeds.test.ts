// Tag pages, /discover and the home showcase: newest first, subtree tags, filters and paging.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
  type ItemBody,
} from './catalog.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const publishable = { body: 'Words.', ai_disclosure: { tier: 'handmade' } };
const visit = (url: string, headers: Record<string, string> = {}) =>
  send(t.app, newJar(), { url, headers });
/** A tag root nobody else in this file uses, so lists hold only this test's items. */
const uniqueRoot = () => `t${randomBytes(4).toString('hex')}`;

async function published(
  creator: Creator,
  projectId: string,
  body: Record<string, unknown>,
): Promise<ItemBody> {
  const item = await makeItem(t.app, creator, projectId, { ...publishable, ...body });
  if (item.type === 'course') {
    // a course is published with a lesson: its file recorded as processed
    await t.runtime.db
      .insertInto('files')
      .values({ item_id: item.id, creator_id: creator.id, status: 'ready', original_name: 'l.pdf' })
      .execute();
  }
  const res = await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json<{ item: ItemBody }>().item;
}

const titlesIn = (html: string) =>
  [...html.matchAll(/<h3 class="item-card__title"><a href="[^"]*">([^<]*)<\/a>/g)].map(
    (match) => match[1],
  );

describe('tag pages', () => {
  test('a tag lists its whole subtree newest first, with breadcrumbs and child tags', async () => {
    const root = uniqueRoot();
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    await published(creator, project.id, { title: 'Ambient One', tags: [`${root}/ambient`] });
    await published(creator, project.id, { title: 'Punk Two', tags: [`${root}/rock/punk`] });
    await published(creator, project.id, { title: 'Root Three', tags: [root] });
    await published(creator, project.id, { title: 'Elsewhere', tags: [`${root}x`] });
    await makeItem(t.app, creator, project.id, { title: 'Draft Four', tags: [root] });

    const res = await visit(`/tags/${root}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(titlesIn(res.body), ['Root Three', 'Punk Two', 'Ambient One']);
    assert.match(res.body, new RegExp(`<a class="tag" href="/tags/${root}/ambient">ambient</a>`));
    assert.match(res.body, new RegExp(`<a class="tag" href="/tags/${root}/rock">rock</a>`));
    assert.match(res.body, /<meta name="twitter:card" content="summary"\/>/);
    const ld = res.body.match(/<script type="application\/ld\+json">([^<]*)</)?.[1] ?? '{}';
    assert.equal((JSON.parse(ld) as { '@type': string })['@type'], 'CollectionPage');

    const deep = await visit(`/tags/${root}/rock/punk`);
    assert.deepEqual(titlesIn(deep.body), ['Punk Two']);
    assert.match(deep.body, /<nav class="breadcrumbs" aria-label="Breadcrumb">/);
    assert.match(deep.body, new RegExp(`<a href="/tags/${root}">${root}</a>`));
    assert.match(deep.body, new RegExp(`<a href="/tags/${root}/rock">rock</a>`));
    assert.match(deep.body, /<span aria-current="page">punk<\/span>/);
  });

  test('other spellings redirect 301 to the normal form; unknown and invalid tags are 404', async () => {
    const root = uniqueRoot();
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    await published(creator, project.id, { title: 'Spelled', tags: [`${root}/deep-house`] });
    const res = await visit(`/tags/${root.toUpperCase()}/Deep%20House`);
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, `/tags/${root}/deep-house`);
    assert.equal((await visit(`/tags/${root}/deep-house/`)).statusCode, 301);
    assert.equal((await visit(`/tags/${root}/nothing`)).statusCode, 404);
    assert.equal((await visit('/tags/a//b')).statusCode, 404);
    assert.equal((await visit('/tags/%3Cscript%3E')).statusCode, 404);
  });

  test('/tags/ lists the top-level tags that lead to published work', async () => {
    const root = uniqueRoot();
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    await published(creator, project.id, { title: 'Indexed', tags: [`${root}/leaf`] });
    await makeItem(t.app, creator, project.id, { title: 'Unpublished', tags: [`${root}draft`] });
    const res = await visit('/tags/');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(`<a class="tag" href="/tags/${root}">${root}</a>`));
    assert.doesNotMatch(res.body, new RegExp(`${root}/leaf|${root}draft`));
  });

  test('long lists page with ?cursor= and a More link that htmx appends', async () => {
    const root = uniqueRoot();
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    for (let n = 1; n <= 26; n++) {
      await published(creator, project.id, { title: `Page Item ${n}`, tags: [root] });
    }
    const first = await visit(`/tags/${root}`);
    const titles = titlesIn(first.body);
    assert.equal(titles.length, 24);
    assert.equal(titles[0], 'Page Item 26');
    const more =
      /<a class="button button--secondary" href="([^"]+)" hx-get="([^"]+)" hx-target="closest \.feed-more" hx-swap="outerHTML">More<\/a>/.exec(
        first.body,
      );
    assert.ok(more?.[1], 'a More link');
    const next = more[1].replace(/&amp;/g, '&');

    const second = await visit(next);
    assert.equal(second.statusCode, 200);
    assert.deepEqual(titlesIn(second.body), ['Page Item 2', 'Page Item 1']);
    assert.doesNotMatch(second.body, />More</);
    assert.match(second.body, /<meta name="robots" content="noindex"\/>/);

    const fragment = await visit(next, { 'hx-request': 'true' });
    assert.equal(fragment.statusCode, 200);
    assert.match(fragment.body, /^<ul class="card-grid"/);
    assert.doesNotMatch(fragment.body, /<html|<main|<h1/);
    assert.deepEqual(titlesIn(fragment.body), ['Page Item 2', 'Page Item 1']);

    assert.equal((await visit(`/tags/${root}?cursor=nonsense`)).statusCode, 400);
  });
});

describe('discover', () => {
  test('newest first, with a tab per type and filters by type and by tag subtree', async () => {
    const root = uniqueRoot();
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    await published(creator, project.id, { title: 'Course Alpha', type: 'course', tags: [root] });
    await published(creator, project.id, { title: 'Text Beta', tags: [`${root}/sub`] });
    await published(creator, project.id, { title: 'Text Gamma' });

    const all = await visit('/discover');
    assert.equal(all.statusCode, 200);
    assert.deepEqual(titlesIn(all.body).slice(0, 3), ['Text Gamma', 'Text Beta', 'Course Alpha']);
    assert.match(all.body, /<a href="\/discover" aria-current="page">All<\/a>/);
    assert.match(all.body, /<a href="\/discover\?type=audio">Audio<\/a>/);

    const courses = await visit('/discover?type=course');
    assert.ok(titlesIn(courses.body).includes('Course Alpha'));
    assert.ok(!titlesIn(courses.body).includes('Text Gamma'));
    assert.match(courses.body, /<a href="\/discover\?type=course" aria-current="page">Course<\/a>/);

    const tagged = await visit(`/discover?tag=${root.toUpperCase()}`);
    assert.deepEqual(titlesIn(tagged.body), ['Text Beta', 'Course Alpha']);
    const both = await visit(`/discover?type=text&tag=${root}`);
    assert.deepEqual(titlesIn(both.body), ['Text Beta']);
    assert.match(both.body, new RegExp(`<a href="/discover\\?type=audio&tag=${root}">`));

    assert.equal((await visit('/discover?type=spaceship')).statusCode, 400);
    assert.equal((await visit('/discover?tag=%2F%2F')).statusCode, 400);
  });
});

describe('home showcase', () => {
  test('shows the newest releases and the creators who published most recently', async () => {
    const creator = await signUpCreator(t.app);
    const res = await call(t.app, creator, 'PATCH', '/me/profile', {
      display_name: 'Showcase Sam',
      bio: 'Makes *small* things.',
    });
    assert.equal(res.statusCode, 200);
    const project = await makeProject(t.app, creator);
    const item = await published(creator, project.id, { title: 'Fresh Release' });
    const home = await visit('/');
    assert.equal(home.statusCode, 200);
    assert.ok(titlesIn(home.body).includes('Fresh Release'));
    assert.match(home.body, new RegExp(`href="${new URL(item.url).pathname}"`));
    assert.match(home.body, new RegExp(`<a href="/@${creator.handle}">Showcase Sam</a>`));
    assert.match(home.body, /Makes small things\./);
    assert.doesNotMatch(home.body, /Nothing released yet/);
  });
});
