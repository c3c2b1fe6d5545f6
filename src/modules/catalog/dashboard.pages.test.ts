// The dashboard through the real app: who gets in, the overview, the create-project wizard with
// and without htmx, the project editor, moving, deleting, and other creators kept out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type ProjectBody,
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

async function projectsOf(creator: Awaited<ReturnType<typeof signUpCreator>>) {
  const res = await call(t.app, creator, 'GET', '/me/projects?limit=100');
  return res.json<{ items: ProjectBody[] }>().items;
}

describe('who gets in', () => {
  test('a signed-out visitor is sent to sign in and back', async () => {
    const res = await send(t.app, newJar(), { url: '/dashboard' });
    assert.equal(res.statusCode, 303);
    const next = new URL(res.headers.location ?? '', 'http://x').searchParams.get('next');
    assert.equal(next, '/dashboard');
  });

  test('a fan sees how to turn on creating, never an error; their changes are refused', async () => {
    const fan = await signUpFan(t.app);
    const res = await get(t.app, fan.jar, '/dashboard');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Turn on creating/);
    assert.match(res.body, /href="\/join\/create"/);
    assert.match(res.body, /href="\/settings"/);
    const wizard = await get(t.app, fan.jar, '/dashboard/projects/new');
    assert.equal(wizard.statusCode, 403);
    assert.match(wizard.body, /Turn on creating/);
    const created = await post(t.app, fan.jar, '/dashboard/projects/new', fan.csrf, {
      step: 'review',
      go: 'create',
      title: 'Mine',
    });
    assert.equal(created.statusCode, 403);
  });
});

describe('overview', () => {
  test('projects in order, each with its items, status, type and price; user text escaped', async () => {
    const creator = await signUpCreator(t.app);
    const first = await makeProject(t.app, creator, { title: HOSTILE });
    await makeProject(t.app, creator, { title: 'Second' });
    await makeItem(t.app, creator, first.id, {
      title: 'Paid <b>thing</b>',
      price: { model: 'fixed', amount: 1250 },
    });
    const res = await get(t.app, creator.jar, '/dashboard');
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.indexOf('&lt;script>alert') < res.body.indexOf('Second'));
    assert.doesNotMatch(outsideAttributes(res.body), /<script>alert/);
    assert.doesNotMatch(res.body, /<b>thing<\/b>/);
    assert.match(res.body, /Paid &lt;b>thing&lt;\/b>/);
    assert.match(res.body, /status-badge--draft">Draft</);
    assert.match(res.body, /\$12\.50/);
    assert.match(res.body, /href="\/dashboard\/projects\/new"/);
    assert.match(res.body, new RegExp(`href="/dashboard/projects/${first.id}/items/new"`));
    assert.match(res.body, /src="\/assets\/dashboard\.[0-9a-f]+\.js"/);
  });

  test('a creator without projects is invited to create one', async () => {
    const creator = await signUpCreator(t.app);
    const res = await get(t.app, creator.jar, '/dashboard');
    assert.match(res.body, /No projects yet/);
  });
});

describe('create-project wizard', () => {
  test('without JavaScript: details, cover, review, create; back keeps every value', async () => {
    const creator = await signUpCreator(t.app);
    const page = await get(t.app, creator.jar, '/dashboard/projects/new');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<li class="steps__item steps__item--current" aria-current="step"/);
    const csrf = csrfIn(page.body);
    const url = '/dashboard/projects/new';
    const details = {
      title: 'Field Recordings, Vol. 1',
      slug: '',
      description: 'Sounds *outside*.',
    };

    const cover = await post(t.app, creator.jar, url, csrf, {
      step: 'details',
      go: 'next',
      ...details,
    });
    assert.equal(cover.statusCode, 200);
    assert.match(cover.body, /Step 2 of 3/);
    assert.match(cover.body, /name="slug" value="field-recordings-vol-1"/, 'the slug is suggested');
    assert.match(cover.body, /Uploading an image needs JavaScript/);

    const back = await post(t.app, creator.jar, url, csrf, {
      step: 'cover',
      go: 'back',
      ...details,
      slug: 'field-recordings-vol-1',
      cover_image_id: '',
    });
    assert.match(back.body, /Step 1 of 3/);
    assert.match(tagOf(back.body, 'field-title'), /value="Field Recordings, Vol. 1"/);
    assert.match(back.body, />Sounds \*outside\*\.<\/textarea>/);

    const review = await post(t.app, creator.jar, url, csrf, {
      step: 'cover',
      go: 'skip',
      ...details,
      slug: 'my-field-recordings',
      cover_image_id: '',
    });
    assert.match(review.body, /Step 3 of 3/);
    assert.match(review.body, /my-field-recordings/);

    const created = await post(t.app, creator.jar, url, csrf, {
      step: 'review',
      go: 'create',
      ...details,
      slug: 'my-field-recordings',
      cover_image_id: '',
    });
    assert.equal(created.statusCode, 303);
    assert.match(created.headers.location ?? '', /^\/dashboard\?done=project_created#project-/);
    const [project] = await projectsOf(creator);
    assert.equal(project?.title, 'Field Recordings, Vol. 1');
    assert.equal(project.slug, 'my-field-recordings');
    assert.equal(project.description, 'Sounds *outside*.');
    const overview = await get(t.app, creator.jar, created.headers.location ?? '');
    assert.match(overview.body, /Project created\./);
  });

  test('with htmx: each step is the wizard section alone; create answers HX-Redirect', async () => {
    const creator = await signUpCreator(t.app);
    const csrf = csrfIn((await get(t.app, creator.jar, '/dashboard/projects/new')).body);
    const url = '/dashboard/projects/new';
    const step = await post(
      t.app,
      creator.jar,
      url,
      csrf,
      { step: 'details', go: 'next', title: 'Zines' },
      HX,
    );
    assert.equal(step.statusCode, 200);
    assert.doesNotMatch(step.body, /<!doctype html>/);
    assert.match(
      step.body,
      /^<title>Cover · New project · Makenot.work<\/title><section class="wizard" id="wizard"/,
    );
    assert.match(
      step.body,
      /<h2 class="wizard__title" id="wizard-step-title" tabindex="-1" autofocus>/,
    );
    assert.match(
      step.body,
      /hx-post="\/dashboard\/uploads\/cover" hx-encoding="multipart\/form-data"/,
    );
    const done = await post(
      t.app,
      creator.jar,
      url,
      csrf,
      { step: 'review', go: 'create', title: 'Zines', slug: 'zines', description: '' },
      HX,
    );
    assert.equal(done.statusCode, 204);
    assert.match(String(done.headers['hx-redirect']), /^\/dashboard\?done=project_created/);
  });

  test('invalid details come back with 422, each error beside its field, input kept', async () => {
    const creator = await signUpCreator(t.app);
    await makeProject(t.app, creator, { title: 'Taken', slug: 'taken' });
    const csrf = csrfIn((await get(t.app, creator.jar, '/dashboard/projects/new')).body);
    const res = await post(t.app, creator.jar, '/dashboard/projects/new', csrf, {
      step: 'details',
      go: 'next',
      title: '   ',
      slug: 'Not OK',
      description: HOSTILE,
    });
    assert.equal(res.statusCode, 422);
    const title = tagOf(res.body, 'field-title');
    assert.match(title, /aria-invalid="true"/);
    assert.match(title, /aria-describedby="field-title-error"/);
    assert.match(res.body, /id="field-title-error">Enter a title\./);
    assert.match(tagOf(res.body, 'field-slug'), /value="Not OK"/);
    assert.match(res.body, /id="field-slug-error"/);
    assert.match(res.body, /&lt;script>alert/);
    assert.doesNotMatch(outsideAttributes(res.body), /<script>alert/);
    assert.match(res.body, /class="form-problem"[^>]*autofocus/);

    const taken = await post(t.app, creator.jar, '/dashboard/projects/new', csrf, {
      step: 'review',
      go: 'create',
      title: 'Again',
      slug: 'taken',
      description: '',
    });
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /Step 1 of 3/);
    assert.match(taken.body, /id="field-slug-error">That slug is already in use\./);
  });
});

describe('project editor, moving and deleting', () => {
  test('editing saves; an htmx save with errors swaps the form with 422 and keeps input', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Old' });
    const page = await get(t.app, creator.jar, `/dashboard/projects/${project.id}`);
    assert.equal(page.statusCode, 200);
    const csrf = csrfIn(page.body);
    const url = `/dashboard/projects/${project.id}`;
    const bad = await post(
      t.app,
      creator.jar,
      url,
      csrf,
      { title: '', slug: project.slug, description: 'kept' },
      HX,
    );
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /^<section class="dashboard-card" id="project-form"/);
    assert.match(tagOf(bad.body, 'field-title'), /aria-invalid="true"/);
    assert.match(bad.body, />kept<\/textarea>/);
    const ok = await post(t.app, creator.jar, url, csrf, {
      title: 'New',
      slug: 'new-slug',
      description: 'd',
    });
    assert.equal(ok.statusCode, 303);
    const [saved] = await projectsOf(creator);
    assert.equal(saved?.title, 'New');
    assert.equal(saved.slug, 'new-slug');
  });

  test('move up and down reorder projects; htmx gets the list with focus kept on the button', async () => {
    const creator = await signUpCreator(t.app);
    await makeProject(t.app, creator, { title: 'A' });
    await makeProject(t.app, creator, { title: 'B' });
    const c = await makeProject(t.app, creator, { title: 'C' });
    const csrf = csrfIn((await get(t.app, creator.jar, '/dashboard')).body);
    const plain = await post(t.app, creator.jar, `/dashboard/projects/${c.id}/move`, csrf, {
      direction: 'up',
    });
    assert.equal(plain.statusCode, 303);
    assert.deepEqual(
      (await projectsOf(creator)).map((p) => p.title),
      ['A', 'C', 'B'],
    );
    const swapped = await post(
      t.app,
      creator.jar,
      `/dashboard/projects/${c.id}/move`,
      csrf,
      { direction: 'up' },
      HX,
    );
    assert.equal(swapped.statusCode, 200);
    assert.match(swapped.body, /^<ol class="project-list" id="projects"/);
    assert.deepEqual(
      (await projectsOf(creator)).map((p) => p.title),
      ['C', 'A', 'B'],
    );
    // At the top "Move up" is disabled, so focus goes to its partner.
    assert.match(swapped.body, new RegExp(`id="move-down-${c.id}"[^>]*autofocus`));
    assert.match(swapped.body, new RegExp(`id="move-up-${c.id}"[^>]*disabled`));
  });

  test('delete asks first; a project with published items is refused with the reason', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Busy' });
    const item = await makeItem(t.app, creator, project.id, publishable);
    await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
    const confirm = await get(t.app, creator.jar, `/dashboard/projects/${project.id}/delete`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Delete ‘Busy’\?/);
    assert.match(confirm.body, /This cannot be undone/);
    const csrf = csrfIn(confirm.body);
    const refused = await post(
      t.app,
      creator.jar,
      `/dashboard/projects/${project.id}/delete`,
      csrf,
      {},
    );
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /cannot be deleted yet/);
    await call(t.app, creator, 'PATCH', `/items/${item.id}`, { status: 'draft' });
    const deleted = await post(
      t.app,
      creator.jar,
      `/dashboard/projects/${project.id}/delete`,
      csrf,
      {},
    );
    assert.equal(deleted.statusCode, 303);
    assert.equal((await projectsOf(creator)).length, 0);
  });
});

describe('other creators', () => {
  test('cannot see, edit, move or delete someone else’s project or items: 404', async () => {
    const owner = await signUpCreator(t.app);
    const project = await makeProject(t.app, owner, { title: 'Mine' });
    await makeProject(t.app, owner, { title: 'Also mine' });
    const item = await makeItem(t.app, owner, project.id, publishable);
    await call(t.app, owner, 'POST', `/items/${item.id}/publish`);
    const other = await signUpCreator(t.app);
    const csrf = csrfIn((await get(t.app, other.jar, '/dashboard')).body);
    for (const url of [
      `/dashboard/projects/${project.id}`,
      `/dashboard/projects/${project.id}/delete`,
      `/dashboard/projects/${project.id}/items/new`,
      `/dashboard/items/${item.id}`,
      `/dashboard/items/${item.id}/delete`,
    ]) {
      assert.equal((await get(t.app, other.jar, url)).statusCode, 404, url);
    }
    const posts: [string, Record<string, string>][] = [
      [`/dashboard/projects/${project.id}`, { title: 'Hijacked', slug: 'x', description: '' }],
      [`/dashboard/projects/${project.id}/delete`, {}],
      [`/dashboard/projects/${project.id}/move`, { direction: 'down' }],
      [`/dashboard/projects/${project.id}/items/new`, { step: 'type', go: 'next', type: 'text' }],
      [`/dashboard/items/${item.id}`, { title: 'Hijacked', price_model: 'free' }],
      [`/dashboard/items/${item.id}/delete`, {}],
      [`/dashboard/items/${item.id}/move`, { direction: 'down' }],
      [`/dashboard/items/${item.id}/status`, { status: 'draft' }],
      [`/dashboard/items/${item.id}/publish`, {}],
      [`/dashboard/items/${item.id}/versions`, { version: '1' }],
    ];
    for (const [url, form] of posts) {
      assert.equal((await post(t.app, other.jar, url, csrf, form)).statusCode, 404, url);
    }
    const [first] = await projectsOf(owner);
    assert.equal(first?.title, 'Mine');
    const still = await call(t.app, owner, 'GET', `/items/${item.id}`);
    assert.equal(
      still.json<{ item: { title: string; status: string } }>().item.status,
      'published',
    );
  });
});
