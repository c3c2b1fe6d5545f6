// /search and /search/suggest as visitors see them: escaped titles with only our <mark>s in
// snippets, counts by kind, "did you mean", filters, pages, and hostile query strings that get
// a 200 or a 4xx page, never a 500. Data is made through the real API.
import assert from 'node:assert/strict';
import { escapeHtml } from '@kitajs/html';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
} from '../catalog/catalog.test-helpers.js';
import { HOSTILE, publishedText, setProfile, visit } from '../catalog/public.test-helpers.js';

let t: TestApp;
let creator: Creator;
let hostileUrl: string;

const HTMX = { 'hx-request': 'true' };
const HOSTILE_TITLE = `Quasar ${HOSTILE} <b>bold</b>`;

/** The markup outside attribute values (where quotes are escaped, so "<" is only text). */
const markupOf = (html: string) => html.replace(/="[^"]*"/g, '=""');

before(async () => {
  t = await createTestApp();
  creator = await signUpCreator(t.app);
  await setProfile(t, creator, { display_name: 'Nebula Drone Collective' });
  const project = await makeProject(t.app, creator, { title: 'Quasar Recordings' });
  const hostile = await publishedText(t, creator, project.id, {
    title: HOSTILE_TITLE,
    description: `Slow quasar noise ${HOSTILE}`,
    tags: ['music/ambient'],
  });
  hostileUrl = `/@${creator.handle}/quasar-recordings/${hostile.slug}`;
  await publishedText(t, creator, project.id, {
    title: 'Quasar Lullaby',
    price: { model: 'fixed', amount: 700 },
  });
  await makeItem(t.app, creator, project.id, { title: 'Quasar Secret Draft' });
  const ambient = await makeProject(t.app, creator, { title: 'Field Work' });
  await publishedText(t, creator, ambient.id, { title: 'Ambient Shoreline' });
});
after(() => t.close());

/** The text of the kind tabs: "All 4 Items 2 Projects 1 Creators 1". */
function tabsText(html: string): string {
  const nav = /<nav class="feed-tabs search-tabs"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return nav
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const hitTitles = (html: string) =>
  [...html.matchAll(/<h2 class="search-hit__title"><a href="[^"]*">([^<]*)<\/a>/g)].map(
    (m) => m[1] ?? '',
  );

describe('results', () => {
  test('titles are escaped, snippets keep only <mark>, drafts never appear', async () => {
    const res = await visit(t, '/search?q=quasar');
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.doesNotMatch(markupOf(html), /<script>alert|<b>bold/);
    assert.ok(html.includes(`<a href="${hostileUrl}">${escapeHtml(HOSTILE_TITLE)}</a>`));
    assert.match(html, /<p class="search-hit__snippet">[^]*?<mark>[Qq]uasar<\/mark>/);
    const snippets = [...html.matchAll(/<p class="search-hit__snippet">([^]*?)<\/p>/g)].map(
      (m) => m[1] ?? '',
    );
    for (const snippet of snippets) {
      assert.equal(snippet.replace(/<\/?mark>/g, '').includes('<'), false, snippet);
    }
    assert.ok(html.includes(`href="${hostileUrl}"`));
    assert.doesNotMatch(html, /Secret Draft/);
    assert.match(html, /<h1 class="page-header__title">Results for “quasar”<\/h1>/);
    assert.match(html, /<meta name="robots" content="noindex"/);
  });

  test('tabs count every kind and filter by kind', async () => {
    const all = await visit(t, '/search?q=quasar');
    assert.equal(tabsText(all.body), 'All 3 Items 2 Projects 1 Creators 0');
    assert.match(all.body, /href="\/search\?q=quasar" aria-current="page"/);

    const projects = await visit(t, '/search?q=quasar&kind=project');
    assert.equal(projects.statusCode, 200);
    assert.deepEqual(hitTitles(projects.body), ['Quasar Recordings']);
    assert.match(
      projects.body,
      /href="\/search\?q=quasar&(amp;)?kind=project" aria-current="page"/,
    );
    // The counts stay those of every kind.
    assert.equal(tabsText(projects.body), 'All 3 Items 2 Projects 1 Creators 0');

    const creators = await visit(t, '/search?q=nebula&kind=creator');
    assert.deepEqual(hitTitles(creators.body), ['Nebula Drone Collective']);
    assert.match(tabsText(creators.body), /Creators 1$/);
  });

  test('type and price filters narrow the items and are kept in the form', async () => {
    const paid = await visit(t, '/search?q=quasar&kind=item&price=paid');
    assert.equal(paid.statusCode, 200);
    assert.deepEqual(hitTitles(paid.body), ['Quasar Lullaby']);
    assert.match(paid.body, /<option value="paid" selected>Paid<\/option>/);
    assert.match(paid.body, /<input type="hidden" name="kind" value="item"\/>/);

    const free = await visit(t, '/search?q=quasar&kind=item&price=free&type=text');
    assert.ok(hitTitles(free.body).includes(escapeHtml(HOSTILE_TITLE)));
    assert.ok(!hitTitles(free.body).includes('Quasar Lullaby'));
    assert.match(free.body, /<option value="text" selected>Writing<\/option>/);

    const tagged = await visit(t, '/search?q=quasar&tag=music');
    assert.deepEqual(hitTitles(tagged.body), [escapeHtml(HOSTILE_TITLE)]);
    assert.match(tagged.body, /Tagged <a class="tag" href="\/tags\/music">music<\/a>/);

    // The GET form sends "" for "Any type": no filter.
    const any = await visit(t, '/search?q=quasar&kind=&type=&price=&tag=&creator=');
    assert.equal(any.statusCode, 200);
    assert.equal(tabsText(any.body), 'All 3 Items 2 Projects 1 Creators 0');

    const none = await visit(t, '/search?q=quasar&type=audio&kind=item');
    assert.equal(none.statusCode, 200);
    assert.deepEqual(hitTitles(none.body), []);
    assert.match(none.body, /Nothing matched your search/);
  });

  test('a near miss offers "did you mean" with a link that keeps the filters', async () => {
    const res = await visit(t, '/search?q=ambeint&type=text');
    assert.equal(res.statusCode, 200);
    assert.match(
      res.body,
      /Did you mean <a href="\/search\?q=ambient&(amp;)?type=text">ambient<\/a>\?/,
    );
  });

  test('an empty search shows the form without results or counts', async () => {
    for (const url of ['/search', '/search?q=', '/search?q=%20%20']) {
      const res = await visit(t, url);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /<form class="search-form" method="get" action="\/search"/);
      assert.match(res.body, /role="combobox"/);
      assert.doesNotMatch(res.body, /search-tabs/);
      assert.doesNotMatch(res.body, /Nothing matched/);
    }
  });

  test('results go on with a next-page link', async () => {
    const maker = await signUpCreator(t.app);
    const project = await makeProject(t.app, maker, { title: 'Many Things' });
    for (let i = 0; i < 22; i += 1) {
      await publishedText(t, maker, project.id, { title: `Zephyrine number ${i}` });
    }
    const first = await visit(t, '/search?q=zephyrine&kind=item');
    assert.equal(hitTitles(first.body).length, 20);
    const next =
      /<a class="button button--secondary" href="([^"]+)" rel="next">Next page<\/a>/.exec(
        first.body,
      )?.[1];
    assert.ok(next, 'a next-page link');
    const second = await visit(t, next.replaceAll('&amp;', '&'));
    assert.equal(second.statusCode, 200);
    const rest = hitTitles(second.body);
    assert.equal(rest.length, 2);
    assert.equal(rest.filter((title) => hitTitles(first.body).includes(title)).length, 0);
    assert.doesNotMatch(second.body, /rel="next"/);
  });
});

describe('suggestions', () => {
  test('answer htmx with a listbox of escaped options that link to the hits', async () => {
    const res = await visit(t, '/search/suggest?q=quas', HTMX);
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /^<div class="search-suggest" id="search-suggestions" role="listbox"/);
    assert.doesNotMatch(html, /<html/);
    assert.doesNotMatch(markupOf(html), /<script>alert|<b>bold/);
    assert.ok(
      html.includes(`<span class="search-suggest__title">${escapeHtml(HOSTILE_TITLE)}</span>`),
    );
    const options = [
      ...html.matchAll(
        /<a class="search-suggest__option" id="(search-option-\d+)" role="option" aria-selected="false" href="([^"]+)"/g,
      ),
    ];
    assert.ok(options.length >= 3, html);
    assert.deepEqual(
      options.map((m) => m[1]),
      options.map((_, i) => `search-option-${i}`),
    );
    assert.ok(options.some((m) => m[2] === hostileUrl));
    assert.doesNotMatch(html, /Secret Draft/);
    assert.equal(res.headers['cache-control'], 'private, no-store');
  });

  test('nothing typed, or nothing found, is an empty hidden listbox', async () => {
    for (const url of ['/search/suggest?q=', '/search/suggest', '/search/suggest?q=xqzvkw']) {
      const res = await visit(t, url, HTMX);
      assert.equal(res.statusCode, 200, url);
      assert.match(res.body, /role="listbox" aria-label="Suggestions" hidden><\/div>/);
    }
  });
});

describe('hostile query strings', () => {
  test('get a page or a 4xx, never a 500', async () => {
    const odd = [
      HOSTILE,
      '"unclosed quote',
      '-',
      'or or or',
      '!!!&&&|||:*',
      "'; drop table items; --",
      '\u0001\u001f',
      'a'.repeat(1500),
      '\\',
      '%',
      '日本語 ✨ émigré',
      '<mark>x</mark>',
    ];
    for (const q of odd) {
      for (const path of ['/search', '/search/suggest']) {
        const res = await visit(t, `${path}?q=${encodeURIComponent(q)}`);
        assert.equal(res.statusCode, 200, `${path} ${q.slice(0, 40)}`);
        assert.doesNotMatch(markupOf(res.body), /<script>alert|<mark>x<\/mark>/);
      }
    }
    const invalid = [
      '/search?q=a&q=b',
      '/search?q=quasar&kind=everything',
      '/search?q=quasar&type=%3Cscript%3E',
      '/search?q=quasar&price=cheap',
      '/search?q=quasar&tag=%2F%2F%2F',
      '/search?q=quasar&creator=%3Cscript%3E',
      '/search?q=quasar&cursor=not-a-cursor',
      `/search?q=quasar&cursor=${Buffer.from('{"r":1}').toString('base64url')}`,
      `/search?q=${'a'.repeat(2500)}`,
      '/search/suggest?q=a&q=b',
      // NUL is refused where input is parsed (INVALID_TEXT), before search sees it
      '/search?q=%00%01',
      '/search/suggest?q=%00',
    ];
    for (const url of invalid) {
      const res = await visit(t, url);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${url}: ${res.statusCode}`);
      assert.doesNotMatch(markupOf(res.body), /<script>alert/);
    }
  });
});
