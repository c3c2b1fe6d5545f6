// The public item page: every field, prices, AI disclosure, drafts, unlisted items, slugs,
// chapters, versions and bundles.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { send } from '../../../test/helpers/http.js';
import { call, makeItem, makeProject, signUpCreator } from './catalog.test-helpers.js';
import {
  forcePublish,
  jsonLdOf,
  metaContent,
  pathOf,
  publish,
  publishedText,
  setProfile,
  uploadCover,
  visit,
  visitAs,
} from './public.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

describe('item page', () => {
  test('shows type, price, AI disclosure, date, credits, tags, description and the text', async () => {
    const creator = await signUpCreator(t.app);
    await setProfile(t, creator, { display_name: 'Ada Ink' });
    const project = await makeProject(t.app, creator, { title: 'Letters' });
    const item = await publishedText(t, creator, project.id, {
      title: 'On Tides',
      description: 'An essay in *three* parts.',
      body: '## Part one\n\nThe sea **returns**.',
      price: { model: 'pwyw', minimum: 300, suggested: 800 },
      ai_disclosure: { tier: 'assisted', statement: 'Spell-checked by a model.' },
      tags: ['writing/essays', 'nature'],
      release_date: '2026-03-05',
      credits: 'Editor: B. Reed',
    });
    const res = await visit(t, pathOf(item.url));
    assert.equal(res.statusCode, 200);
    const html = res.body;
    assert.match(html, /<h1 id="item-title" class="release-head__title">On Tides<\/h1>/);
    assert.match(html, /<p class="eyebrow">Writing<\/p>/);
    assert.match(html, /Name your price, from \$3/);
    assert.match(html, /AI-assisted/);
    assert.match(html, /Spell-checked by a model\./);
    assert.match(html, /<time datetime="2026-03-05">5 March 2026<\/time>/);
    assert.match(html, /Editor: B\. Reed/);
    assert.match(html, /<a class="tag" href="\/tags\/writing\/essays">writing\/essays<\/a>/);
    assert.match(html, /<a class="tag" href="\/tags\/nature">nature<\/a>/);
    assert.match(html, /An essay in <em>three<\/em> parts\./);
    // paid text: a visitor reads the free part only (a text this short has none: a teaser is at
    // most 30 % of the text and whole blocks); its creator reads it all
    assert.doesNotMatch(html, /The sea/);
    assert.match(html, /The rest is for those who buy it\./);
    assert.doesNotMatch(html, /<h2>Part one<\/h2>/);
    const own = await send(t.app, creator.jar, { url: pathOf(item.url) });
    assert.match(own.body, /<h2>Part one<\/h2>/);
    assert.match(own.body, /The sea <strong>returns<\/strong>\./);
    assert.doesNotMatch(own.body, /class="paywall"/);
    assert.match(html, new RegExp(`href="/@${creator.handle}/letters"`));
    assert.doesNotMatch(html, /name="robots"/);

    assert.equal(metaContent(html, 'og:type'), 'article');
    assert.equal(metaContent(html, 'og:url'), item.url);
    const ld = jsonLdOf(html);
    assert.equal(ld['@type'], 'Article');
    assert.equal(ld.name, 'On Tides');
    assert.deepEqual(ld.author, {
      '@type': 'Person',
      name: 'Ada Ink',
      url: `http://localhost:3000/@${creator.handle}`,
    });
    assert.equal(ld.datePublished, '2026-03-05');
    assert.deepEqual((ld.offers as Record<string, unknown>).price, '3.00');
    assert.deepEqual((ld.offers as Record<string, unknown>).priceCurrency, 'USD');
  });

  test('price labels: free, fixed, members; handmade and generated badges', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ model: 'free' }, 'Free', 'handmade'],
      [{ model: 'fixed', amount: 1200 }, '$12', 'generated'],
      [{ model: 'fixed', amount: 1250 }, '$12.50', 'handmade'],
      [{ model: 'members' }, 'Members', 'handmade'],
      [{ model: 'pwyw', minimum: 0 }, 'Name your price', 'handmade'],
    ];
    for (const [price, label, tier] of cases) {
      const item = await publishedText(t, creator, project.id, {
        price,
        ai_disclosure: { tier },
      });
      const html = (await visit(t, pathOf(item.url))).body;
      assert.match(html, new RegExp(`<span>${label.replace('$', '\\$')}</span>`), label);
      assert.match(html, tier === 'generated' ? /AI-generated/ : /Handmade/);
    }
  });

  test('drafts are 404 to visitors and other creators; their creator sees a preview', async () => {
    const creator = await signUpCreator(t.app);
    const other = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const draft = await makeItem(t.app, creator, project.id, { title: 'Work In Progress' });
    const url = pathOf(draft.url);
    assert.equal((await visit(t, url)).statusCode, 404);
    assert.equal((await visitAs(t, other, url)).statusCode, 404);
    assert.equal((await visit(t, `/i/${draft.id}`)).statusCode, 404);
    const own = await visitAs(t, creator, url);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Draft preview — only you can see this/);
    assert.match(own.body, /<meta name="robots" content="noindex"\/>/);
    assert.match(own.headers['cache-control'] ?? '', /no-store/);
    const permalink = await visitAs(t, creator, `/i/${draft.id}`);
    assert.equal(permalink.statusCode, 301);
    assert.equal(permalink.headers.location, url);
  });

  test('unlisted items open by URL for anyone but are listed nowhere', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const item = await publishedText(t, creator, project.id, {
      title: 'Hidden Track Notes',
      tags: ['unlisted-check'],
    });
    await call(t.app, creator, 'PATCH', `/items/${item.id}`, { status: 'unlisted' });
    const res = await visit(t, pathOf(item.url));
    assert.equal(res.statusCode, 200);
    assert.doesNotMatch(res.body, /Draft preview/);
    assert.match(res.body, /<meta name="robots" content="noindex"\/>/);
    assert.match((await visitAs(t, creator, pathOf(item.url))).body, /Unlisted/);
    for (const list of [
      `/@${creator.handle}`,
      pathOf(project.url),
      '/discover',
      '/tags/unlisted-check',
      '/',
    ]) {
      const page = await visit(t, list);
      assert.equal(page.statusCode, 200, list);
      assert.doesNotMatch(page.body, /Hidden Track Notes/, list);
    }
  });

  test('item slugs belong to their project, and other spellings redirect', async () => {
    const creator = await signUpCreator(t.app);
    const a = await makeProject(t.app, creator, { title: 'A', slug: 'aaa' });
    const b = await makeProject(t.app, creator, { title: 'B', slug: 'bbb' });
    const inA = await publishedText(t, creator, a.id, {
      title: 'Same',
      slug: 'same',
      body: 'In A.',
    });
    const inB = await publishedText(t, creator, b.id, {
      title: 'Same',
      slug: 'same',
      body: 'In B.',
    });
    assert.match((await visit(t, pathOf(inA.url))).body, /In A\./);
    assert.match((await visit(t, pathOf(inB.url))).body, /In B\./);
    const upper = await visit(t, `/@${creator.handle.toUpperCase()}/AAA/SAME`);
    assert.equal(upper.statusCode, 301);
    assert.equal(upper.headers.location, pathOf(inA.url));
    assert.equal((await visit(t, `/@${creator.handle}/aaa/nothing`)).statusCode, 404);
  });

  test('audio shows chapters and versions with changelogs; covers become og:image', async () => {
    const creator = await signUpCreator(t.app);
    const coverId = await uploadCover(t, creator);
    const project = await makeProject(t.app, creator, { title: 'Tapes' });
    const audio = await makeItem(t.app, creator, project.id, {
      type: 'audio',
      title: 'Long Walk',
      cover_image_id: coverId,
    });
    const chapters = await call(t.app, creator, 'PUT', `/items/${audio.id}/chapters`, {
      chapters: [
        { start_seconds: 0, title: 'Start' },
        { start_seconds: 185, title: 'The Bridge' },
        { start_seconds: 3725, title: 'Home' },
      ],
    });
    assert.equal(chapters.statusCode, 200, chapters.body);
    for (const [version, changelog] of [
      ['1.0', 'First cut.'],
      ['1.1', 'Remastered *louder*.'],
    ] as const) {
      const res = await call(t.app, creator, 'POST', `/items/${audio.id}/versions`, {
        version,
        changelog,
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    await forcePublish(t, audio.id);
    const html = (await visit(t, pathOf(audio.url))).body;
    assert.match(
      html,
      /<time class="chapters__time" datetime="PT3M5S">3:05<\/time> <span>The Bridge<\/span>/,
    );
    assert.match(html, /<time class="chapters__time" datetime="PT1H2M5S">1:02:05<\/time>/);
    assert.match(html, /Remastered <em>louder<\/em>\./);
    assert.ok(html.indexOf('1.1') < html.indexOf('First cut.'), 'newest version first');
    assert.equal(metaContent(html, 'og:type'), 'music.song');
    assert.match(
      metaContent(html, 'og:image') ?? '',
      new RegExp(`^http://localhost:3000/media/images/${coverId}/`),
    );
    assert.equal(metaContent(html, 'twitter:card'), 'summary_large_image');
    assert.equal(jsonLdOf(html)['@type'], 'MusicRecording');
    assert.equal(metaContent((await visit(t, pathOf(project.url))).body, 'og:type'), 'music.album');
  });

  test('a bundle lists what it contains, each linking to its page', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator);
    const one = await publishedText(t, creator, project.id, { title: 'Part One' });
    const two = await publishedText(t, creator, project.id, { title: 'Part Two' });
    const bundle = await makeItem(t.app, creator, project.id, {
      type: 'bundle',
      title: 'Both Parts',
      price: { model: 'fixed', amount: 900 },
      ai_disclosure: { tier: 'handmade' },
    });
    const set = await call(t.app, creator, 'PUT', `/items/${bundle.id}/bundle`, {
      item_ids: [one.id, two.id],
    });
    assert.equal(set.statusCode, 200, set.body);
    await publish(t, creator, bundle);
    const html = (await visit(t, pathOf(bundle.url))).body;
    assert.match(html, /In this bundle/);
    assert.match(html, new RegExp(`href="${pathOf(one.url)}">Part One</a>`));
    assert.match(html, new RegExp(`href="${pathOf(two.url)}">Part Two</a>`));
  });
});
