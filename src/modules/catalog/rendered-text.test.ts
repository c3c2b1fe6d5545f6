// Markdown stored rendered (migration 0035): written with every change through the catalogue,
// cleared by the database when a statement changes the source without it, shown rendered on the
// fly until catalog:render_markdown stores it again; paid words never reach the free part.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createLogger } from '../../platform/log.js';
import { PAYWALL_DIVIDER } from '../../platform/markdown/paywall.js';
import { call, makeProject, signUpCreator } from './catalog.test-helpers.js';
import { pathOf, publishedText, setProfile, visit, visitAs } from './public.test-helpers.js';
import { renderMarkdownTask } from './render-markdown.jobs.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const storedOf = (id: string) =>
  t.runtime.db
    .selectFrom('items')
    .select([
      'description_html',
      'description_text',
      'body_html',
      'body_preview',
      'body_preview_html',
      'body_continues',
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const renderAll = () =>
  renderMarkdownTask(t.runtime.db).run(
    {},
    {
      log: createLogger({ logLevel: 'silent' }, 'test'),
      jobId: 'test',
      attempt: 1,
      maxAttempts: 1,
      signal: new AbortController().signal,
    },
  );

describe('stored renderings', () => {
  test('an item is stored rendered: the whole text, the free part and the description', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Notes' });
    const item = await publishedText(t, creator, project.id, {
      description: 'About *tides*.',
      body: `Free **words**.\n\n${PAYWALL_DIVIDER}\n\nPaid words SECRETWORD.`,
      price: { model: 'fixed', amount: 500 },
    });
    const stored = await storedOf(item.id);
    assert.equal(stored.description_html?.trim(), '<p>About <em>tides</em>.</p>');
    assert.equal(stored.description_text, 'About tides.');
    assert.equal(stored.body_preview, 'Free **words**.');
    assert.match(stored.body_preview_html ?? '', /<strong>words<\/strong>/);
    assert.doesNotMatch(stored.body_preview_html ?? '', /SECRETWORD/);
    assert.match(stored.body_html ?? '', /SECRETWORD/);
    assert.doesNotMatch(stored.body_html ?? '', /paywall/);
    assert.equal(stored.body_continues, true);

    const stranger = await visit(t, pathOf(item.url));
    assert.match(stranger.body, /Free <strong>words<\/strong>/);
    assert.doesNotMatch(stranger.body, /SECRETWORD/);
    const own = await visitAs(t, creator, pathOf(item.url));
    assert.match(own.body, /SECRETWORD/);

    // a change through the API stores the new rendering with it
    const res = await call(t.app, creator, 'PATCH', `/items/${item.id}`, {
      body: `New free part.\n\n${PAYWALL_DIVIDER}\n\nNew paid part OTHERSECRET.`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const changed = await storedOf(item.id);
    assert.equal(changed.body_preview, 'New free part.');
    assert.match(changed.body_html ?? '', /OTHERSECRET/);
    assert.equal(changed.description_text, 'About tides.');
  });

  test('markdown changed without its rendering shows rendered on the fly until the job stores it', async () => {
    const creator = await signUpCreator(t.app);
    await setProfile(t, creator, { bio: 'Old *bio*.' });
    const project = await makeProject(t.app, creator, { title: 'Drafts', description: 'Old.' });
    const item = await publishedText(t, creator, project.id, {
      description: 'Old description.',
      body: `Old free.\n\n${PAYWALL_DIVIDER}\n\nOld paid.`,
      price: { model: 'fixed', amount: 500 },
    });
    // as a statement outside the catalogue (SQL, another module) would change them
    await t.runtime.db
      .updateTable('items')
      .set({
        description: 'New *description*.',
        body: `New free.\n\n${PAYWALL_DIVIDER}\n\nNew paid SECRETWORD.`,
      })
      .where('id', '=', item.id)
      .execute();
    await t.runtime.db
      .updateTable('users')
      .set({ bio: 'New *bio*.' })
      .where('id', '=', creator.id)
      .execute();
    await t.runtime.db
      .updateTable('projects')
      .set({ description: 'New **project**.' })
      .where('id', '=', project.id)
      .execute();
    const cleared = await storedOf(item.id);
    assert.equal(cleared.body_html, null);
    assert.equal(cleared.body_preview_html, null);
    assert.equal(cleared.description_html, null);

    const check = async () => {
      const page = await visit(t, pathOf(item.url));
      assert.match(page.body, /New <em>description<\/em>/);
      assert.match(page.body, /New free\./);
      assert.doesNotMatch(page.body, /SECRETWORD|Old free|Old description/);
      const profile = await visit(t, `/@${creator.handle}`);
      assert.match(profile.body, /New <em>bio<\/em>/);
      const projectPage = await visit(t, pathOf(project.url));
      assert.match(projectPage.body, /New <strong>project<\/strong>/);
      const json = await t.app.inject({ url: `/api/v1/items/${item.id}` });
      assert.equal(json.json<{ item: { body_preview: string } }>().item.body_preview, 'New free.');
    };
    await check();

    await renderAll();
    const rendered = await storedOf(item.id);
    assert.match(rendered.description_html ?? '', /New <em>description<\/em>/);
    assert.equal(rendered.body_preview, 'New free.');
    assert.match(rendered.body_html ?? '', /SECRETWORD/);
    const bio = await t.runtime.db
      .selectFrom('users')
      .select(['bio_html', 'bio_text'])
      .where('id', '=', creator.id)
      .executeTakeFirstOrThrow();
    assert.equal(bio.bio_text, 'New bio.');
    await check();
  });
});
