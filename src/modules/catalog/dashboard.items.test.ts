// Items in the dashboard through the real app: the create-item wizard, the editor with inline
// errors, publishing with every unmet rule shown, reordering, deleting, versions, chapters,
// bundles, the tag typeahead and the profile editor.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
  type ItemBody,
} from './catalog.test-helpers.js';
import {
  HOSTILE,
  HX,
  csrfIn,
  get,
  outsideAttributes,
  post,
  tagOf,
} from './dashboard/dashboard.test-helpers.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const publishable = { body: 'The text.', ai_disclosure: { tier: 'handmade' } };

async function itemOf(creator: Creator, id: string) {
  const res = await call(t.app, creator, 'GET', `/items/${id}`);
  return res.json<{ item: ItemBody }>().item;
}

async function titlesIn(creator: Creator, projectId: string) {
  const res = await call(t.app, creator, 'GET', `/projects/${projectId}/items`);
  return res.json<{ items: ItemBody[] }>().items.map((item) => item.title);
}

async function setUp() {
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator, { title: 'Essays' });
  const csrf = csrfIn((await get(t.app, creator.jar, '/dashboard')).body);
  return { creator, project, csrf };
}

describe('create-item wizard', () => {
  test('type, details, price with AI and tags, review: a draft with what was entered', async () => {
    const { creator, project, csrf } = await setUp();
    const url = `/dashboard/projects/${project.id}/items/new`;
    const first = await get(t.app, creator.jar, url);
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /<legend class="field__label">What are you making\?<\/legend>/);
    assert.equal((first.body.match(/type="radio"[^>]*name="type"/g) ?? []).length, 8);

    const values = {
      type: 'text',
      title: 'On Rivers',
      description: 'A *short* essay.',
      body: 'Water, mostly.',
      price_model: 'fixed',
      price_amount: '12.50',
      price_minimum: '',
      price_suggested: '',
      ai_tier: 'assisted',
      ai_statement: 'Spell-checked by a model.',
    };
    const details = await post(t.app, creator.jar, url, csrf, {
      ...values,
      step: 'type',
      go: 'next',
    });
    assert.match(details.body, /Step 2 of 4/);
    assert.match(details.body, />Water, mostly\.<\/textarea>/, 'text items get a body field');

    const price = await post(t.app, creator.jar, url, csrf, {
      ...values,
      step: 'details',
      go: 'next',
    });
    assert.match(price.body, /Step 3 of 4/);
    assert.match(tagOf(price.body, 'field-tags'), /role="combobox"/);

    const back = await post(t.app, creator.jar, url, csrf, [
      ...Object.entries(values),
      ['tags', 'Writing / Essays, nature'],
      ['step', 'price'],
      ['go', 'back'],
    ]);
    assert.match(back.body, /Step 2 of 4/);
    assert.match(tagOf(back.body, 'field-title'), /value="On Rivers"/);
    assert.match(back.body, /name="tags" value="Writing \/ Essays"/, 'tags ride along hidden');
    assert.match(back.body, /name="price_amount" value="12.50"/);

    const review = await post(t.app, creator.jar, url, csrf, [
      ...Object.entries(values),
      ['tags', 'Writing / Essays, nature'],
      ['step', 'price'],
      ['go', 'next'],
    ]);
    assert.match(review.body, /Step 4 of 4/);
    assert.match(review.body, /Fixed price: \$12\.50/);

    const created = await post(t.app, creator.jar, url, csrf, [
      ...Object.entries(values),
      ['tags', 'Writing / Essays'],
      ['tags', 'nature'],
      ['step', 'review'],
      ['go', 'create'],
    ]);
    assert.equal(created.statusCode, 303);
    const id = /\/dashboard\/items\/([0-9a-f-]{36})\?done=item_created/.exec(
      created.headers.location ?? '',
    )?.[1];
    assert.ok(id);
    const item = await itemOf(creator, id);
    assert.equal(item.status, 'draft');
    assert.equal(item.type, 'text');
    assert.equal(item.body, 'Water, mostly.');
    assert.deepEqual(item.price, { model: 'fixed', amount: 1250, currency: 'USD' });
    assert.deepEqual(item.ai_disclosure, {
      tier: 'assisted',
      statement: 'Spell-checked by a model.',
    });
    assert.deepEqual(item.tags.sort(), ['nature', 'writing/essays']);
  });

  test('pay what you want in major units; bad amounts and a missing type are 422 with input kept', async () => {
    const { creator, project, csrf } = await setUp();
    const url = `/dashboard/projects/${project.id}/items/new`;
    const noType = await post(t.app, creator.jar, url, csrf, { step: 'type', go: 'next' });
    assert.equal(noType.statusCode, 422);
    assert.match(noType.body, /id="field-type-error"/);

    const base = { type: 'digital', title: 'Pack', price_model: 'pwyw', ai_tier: 'handmade' };
    const bad = await post(t.app, creator.jar, url, csrf, {
      ...base,
      price_minimum: '3.505',
      price_suggested: 'lots',
      step: 'price',
      go: 'next',
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Step 3 of 4/);
    assert.match(tagOf(bad.body, 'field-price_minimum'), /value="3.505"[^>]*aria-invalid="true"/);
    assert.match(
      tagOf(bad.body, 'field-price_suggested'),
      /aria-describedby="[^"]*field-price_suggested-error"/,
    );

    const created = await post(t.app, creator.jar, url, csrf, {
      ...base,
      price_minimum: '0',
      price_suggested: '4,5',
      step: 'review',
      go: 'create',
    });
    assert.equal(created.statusCode, 303);
    const id = /items\/([0-9a-f-]{36})/.exec(created.headers.location ?? '')?.[1] ?? '';
    assert.deepEqual((await itemOf(creator, id)).price, {
      model: 'pwyw',
      minimum: 0,
      suggested: 450,
      currency: 'USD',
    });
  });
});

describe('item editor', () => {
  test('htmx save with errors: 422 fragment, errors beside fields, input kept; then saves', async () => {
    const { creator, project, csrf } = await setUp();
    const item = await makeItem(t.app, creator, project.id, { title: 'Draft one' });
    const page = await get(t.app, creator.jar, `/dashboard/items/${item.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /aria-controls="tag-suggestions"/);
    const url = `/dashboard/items/${item.id}`;
    const form = {
      title: '',
      description: HOSTILE,
      body: 'b',
      price_model: 'fixed',
      price_amount: '',
      tags: 'ok, Bad Tag!',
    };
    const bad = await post(t.app, creator.jar, url, csrf, form, HX);
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /^<section class="dashboard-card" id="item-form"/);
    assert.match(tagOf(bad.body, 'field-title'), /aria-invalid="true"/);
    assert.match(bad.body, /id="field-price_amount-error"/);
    assert.match(bad.body, /id="field-tags-error"/);
    assert.match(tagOf(bad.body, 'field-tags'), /value="ok, Bad Tag!"/);
    assert.doesNotMatch(outsideAttributes(bad.body), /<script>alert/);

    const ok = await post(t.app, creator.jar, url, csrf, {
      ...form,
      title: 'Renamed',
      price_amount: '5',
      tags: 'ok',
    });
    assert.equal(ok.statusCode, 303);
    const saved = await itemOf(creator, item.id);
    assert.equal(saved.title, 'Renamed');
    assert.equal(saved.description, HOSTILE);
    assert.deepEqual(saved.price, { model: 'fixed', amount: 500, currency: 'USD' });
    assert.deepEqual(saved.tags, ['ok']);
  });

  test('publish lists every unmet rule with a link to fix it; then publish, unlist, unpublish', async () => {
    const { creator, project, csrf } = await setUp();
    const image = await makeItem(t.app, creator, project.id, { type: 'image', title: 'Photo' });
    const refused = await post(
      t.app,
      creator.jar,
      `/dashboard/items/${image.id}/publish`,
      csrf,
      {},
    );
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Before you can publish ‘Photo’/);
    assert.match(refused.body, /Say whether and how AI was used/);
    assert.match(refused.body, /Upload a file and wait until it is ready/);
    assert.match(refused.body, new RegExp(`href="/dashboard/items/${image.id}#ai"`));
    assert.match(refused.body, new RegExp(`href="/dashboard/items/${image.id}#files"`));
    assert.equal((await itemOf(creator, image.id)).status, 'draft');

    const course = await makeItem(t.app, creator, project.id, {
      ...publishable,
      type: 'course',
      title: 'Guitar basics',
    });
    const empty = await post(t.app, creator.jar, `/dashboard/items/${course.id}/publish`, csrf, {});
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Before you can publish ‘Guitar basics’/);
    assert.match(empty.body, /Add at least one lesson file and wait until it is ready\./);
    assert.match(
      empty.body,
      new RegExp(`<a href="/dashboard/items/${course.id}#files">Upload a lesson</a>`),
    );
    assert.equal((await itemOf(creator, course.id)).status, 'draft');

    const text = await makeItem(t.app, creator, project.id, publishable);
    const published = await post(t.app, creator.jar, `/dashboard/items/${text.id}/publish`, csrf, {
      return_to: 'item',
    });
    assert.equal(published.statusCode, 303);
    assert.equal(published.headers.location, `/dashboard/items/${text.id}?done=item_published`);
    assert.equal((await itemOf(creator, text.id)).status, 'published');
    const unlisted = await post(t.app, creator.jar, `/dashboard/items/${text.id}/status`, csrf, {
      status: 'unlisted',
    });
    assert.equal(unlisted.statusCode, 303);
    assert.equal((await itemOf(creator, text.id)).status, 'unlisted');
    await post(t.app, creator.jar, `/dashboard/items/${text.id}/status`, csrf, { status: 'draft' });
    assert.equal((await itemOf(creator, text.id)).status, 'draft');
  });

  test('move up / down reorders items; htmx answers the list with focus on the moved row', async () => {
    const { creator, project, csrf } = await setUp();
    await makeItem(t.app, creator, project.id, { title: 'A' });
    const b = await makeItem(t.app, creator, project.id, { title: 'B' });
    await makeItem(t.app, creator, project.id, { title: 'C' });
    const plain = await post(t.app, creator.jar, `/dashboard/items/${b.id}/move`, csrf, {
      direction: 'down',
    });
    assert.equal(plain.statusCode, 303);
    assert.deepEqual(await titlesIn(creator, project.id), ['A', 'C', 'B']);
    const swapped = await post(
      t.app,
      creator.jar,
      `/dashboard/items/${b.id}/move`,
      csrf,
      { direction: 'up' },
      HX,
    );
    assert.match(swapped.body, new RegExp(`^<ol class="item-list" id="items-${project.id}"`));
    assert.match(swapped.body, new RegExp(`id="move-up-${b.id}"[^>]*autofocus`));
    assert.deepEqual(await titlesIn(creator, project.id), ['A', 'B', 'C']);
  });

  test('delete shows a confirmation with the title first, then deletes', async () => {
    const { creator, project, csrf } = await setUp();
    const item = await makeItem(t.app, creator, project.id, { title: 'Gone soon' });
    const confirm = await get(t.app, creator.jar, `/dashboard/items/${item.id}/delete`);
    assert.match(confirm.body, /<h1[^>]*>Delete ‘Gone soon’\?<\/h1>/);
    assert.match(confirm.body, /This cannot be undone/);
    assert.equal((await itemOf(creator, item.id)).title, 'Gone soon', 'GET changes nothing');
    const deleted = await post(t.app, creator.jar, `/dashboard/items/${item.id}/delete`, csrf, {});
    assert.equal(deleted.statusCode, 303);
    assert.equal((await call(t.app, creator, 'GET', `/items/${item.id}`)).statusCode, 404);
  });
});

describe('versions, chapters, bundles and tags', () => {
  test('software gets versions; audio gets chapters typed as mm:ss', async () => {
    const { creator, project, csrf } = await setUp();
    const software = await makeItem(t.app, creator, project.id, {
      type: 'software',
      title: 'Plugin',
    });
    const page = await get(t.app, creator.jar, `/dashboard/items/${software.id}`);
    assert.match(page.body, /id="versions"/);
    assert.doesNotMatch(page.body, /id="chapters"/);
    const added = await post(
      t.app,
      creator.jar,
      `/dashboard/items/${software.id}/versions`,
      csrf,
      {
        version: '1.2.0',
        changelog: 'Faster.',
      },
      HX,
    );
    assert.equal(added.statusCode, 200);
    assert.match(added.body, /<strong>1\.2\.0<\/strong>/);
    const dup = await post(
      t.app,
      creator.jar,
      `/dashboard/items/${software.id}/versions`,
      csrf,
      {
        version: '1.2.0',
      },
      HX,
    );
    assert.equal(dup.statusCode, 409);
    assert.match(tagOf(dup.body, 'field-version'), /aria-invalid="true"/);

    // an existing version is edited in place; a clash keeps its form open with the error
    const second = await call(t.app, creator, 'POST', `/items/${software.id}/versions`, {
      version: '1.3.0',
    });
    const secondId = second.json<{ version: { id: string } }>().version.id;
    const renamed = await post(
      t.app,
      creator.jar,
      `/dashboard/items/${software.id}/versions/${secondId}`,
      csrf,
      { version: '1.3.1', changelog: 'Fixed a <b>crash</b>.' },
      HX,
    );
    assert.equal(renamed.statusCode, 200);
    assert.match(renamed.body, /<strong>1\.3\.1<\/strong>/);
    assert.match(renamed.body, /Fixed a &lt;b>crash&lt;\/b>\./);
    const clash = await post(
      t.app,
      creator.jar,
      `/dashboard/items/${software.id}/versions/${secondId}`,
      csrf,
      { version: '1.2.0', changelog: '' },
      HX,
    );
    assert.equal(clash.statusCode, 409);
    assert.match(
      tagOf(clash.body, `field-version-${secondId}`),
      /value="1\.2\.0"[^>]*aria-invalid="true"/,
    );

    const audio = await makeItem(t.app, creator, project.id, { type: 'audio', title: 'Track' });
    const bad = await post(t.app, creator.jar, `/dashboard/items/${audio.id}/chapters`, csrf, [
      ['chapter_start', '0:00'],
      ['chapter_title', 'Intro'],
      ['chapter_start', '3:75'],
      ['chapter_title', 'Main'],
    ]);
    assert.equal(bad.statusCode, 422);
    assert.match(tagOf(bad.body, 'field-chapter_start_1'), /value="3:75"[^>]*aria-invalid="true"/);
    const saved = await post(t.app, creator.jar, `/dashboard/items/${audio.id}/chapters`, csrf, [
      ['chapter_start', '3:05'],
      ['chapter_title', 'Main'],
      ['chapter_start', '0:00'],
      ['chapter_title', 'Intro'],
      ['chapter_start', ''],
      ['chapter_title', ''],
    ]);
    assert.equal(saved.statusCode, 303);
    const chapters = await call(t.app, creator, 'GET', `/items/${audio.id}/chapters`);
    assert.deepEqual(chapters.json<{ chapters: unknown }>().chapters, [
      { start_seconds: 0, title: 'Intro' },
      { start_seconds: 185, title: 'Main' },
    ]);
  });

  test('a bundle chooses among the creator’s other non-bundle items', async () => {
    const { creator, project, csrf } = await setUp();
    const one = await makeItem(t.app, creator, project.id, { title: 'One' });
    const bundle = await makeItem(t.app, creator, project.id, { type: 'bundle', title: 'All' });
    const page = await get(t.app, creator.jar, `/dashboard/items/${bundle.id}`);
    assert.match(page.body, new RegExp(`name="item_ids" value="${one.id}"`));
    assert.doesNotMatch(page.body, new RegExp(`name="item_ids" value="${bundle.id}"`));
    const saved = await post(t.app, creator.jar, `/dashboard/items/${bundle.id}/bundle`, csrf, [
      ['item_ids', one.id],
    ]);
    assert.equal(saved.statusCode, 303);
    const again = await get(t.app, creator.jar, `/dashboard/items/${bundle.id}`);
    assert.match(again.body, new RegExp(`value="${one.id}"[^>]*checked`));
  });

  test('the tag typeahead answers a listbox fragment for the last typed tag', async () => {
    const { creator, project } = await setUp();
    const item = await makeItem(t.app, creator, project.id, {
      ...publishable,
      tags: ['music/ambient'],
    });
    await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
    const res = await get(t.app, creator.jar, '/dashboard/tags/suggest?tags=nature%2C%20amb', HX);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^<ul class="tag-picker__list" id="tag-suggestions" role="listbox"/);
    assert.match(res.body, /role="option" aria-selected="false" data-value="music\/ambient"/);
    const none = await get(t.app, creator.jar, '/dashboard/tags/suggest?tags=', HX);
    assert.match(none.body, /role="listbox"[^>]*hidden/);
  });
});

describe('profile', () => {
  test('name, bio, links and tips are saved; a bad link is 422 beside its field', async () => {
    const creator = await signUpCreator(t.app);
    const page = await get(t.app, creator.jar, '/dashboard/profile');
    assert.equal(page.statusCode, 200);
    const csrf = csrfIn(page.body);
    const bad = await post(t.app, creator.jar, '/dashboard/profile', csrf, [
      ['display_name', 'Ada'],
      ['bio', 'Makes *things*.'],
      ['link_label', 'Site'],
      ['link_url', 'javascript:alert(1)'],
    ]);
    assert.equal(bad.statusCode, 422);
    assert.match(tagOf(bad.body, 'field-links_0_url'), /aria-invalid="true"/);
    assert.match(bad.body, />Makes \*things\*\.<\/textarea>/);
    const ok = await post(t.app, creator.jar, '/dashboard/profile', csrf, [
      ['display_name', 'Ada'],
      ['bio', 'Makes *things*.'],
      ['link_label', 'Site'],
      ['link_url', 'https://example.com/'],
      ['link_label', ''],
      ['link_url', ''],
      ['tips_enabled', '1'],
    ]);
    assert.equal(ok.statusCode, 303);
    const again = await get(t.app, creator.jar, '/dashboard/profile');
    assert.match(tagOf(again.body, 'field-display_name'), /value="Ada"/);
    assert.match(tagOf(again.body, 'field-links_0_url'), /value="https:\/\/example.com\/"/);
    assert.match(again.body, /name="tips_enabled" value="1" checked/);
  });
});
