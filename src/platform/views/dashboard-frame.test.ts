// The dashboard's frame through the real app: every link of its navigation opens a page (no
// 404), each page marks its section, pages inside a section say so, the memberships list leads
// to each project's tiers, and a fan is shown no sections that are not theirs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
} from '../../modules/catalog/catalog.test-helpers.js';
import { get } from '../../modules/catalog/dashboard/dashboard.test-helpers.js';
import { makeTier } from '../../modules/memberships/memberships.test-helpers.js';
import { DASHBOARD_SECTIONS } from './dashboard-frame.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

/** The dashboard's navigation landmark, or undefined when the page has none. */
function dashboardNav(html: string): string | undefined {
  return /<nav class="section-nav" aria-label="Dashboard">([\s\S]*?)<\/nav>/.exec(html)?.[1];
}

/** The links of the navigation marked current, with the value of their aria-current. */
function currentLinks(nav: string): string[] {
  return [...nav.matchAll(/<a [^>]*href="([^"]+)"[^>]*aria-current="([^"]+)"/g)].map(
    (match) => `${match[1]} ${match[2]}`,
  );
}

describe('the navigation', () => {
  let creator: Creator;
  let projectId: string;
  before(async () => {
    creator = await signUpCreator(t.app);
    projectId = (await makeProject(t.app, creator, { title: 'Tidal Notes' })).id;
  });

  test('every link opens a page; each dashboard page marks its own link', async () => {
    for (const section of DASHBOARD_SECTIONS) {
      const res = await get(t.app, creator.jar, section.href);
      assert.equal(res.statusCode, 200, section.href);
      if (section.key === 'settings') continue;
      const nav = dashboardNav(res.body);
      assert.ok(nav, `${section.href} has the dashboard navigation`);
      assert.deepEqual(currentLinks(nav), [`${section.href} page`], section.href);
      for (const other of DASHBOARD_SECTIONS) assert.ok(nav.includes(`href="${other.href}"`));
    }
  });

  test('a page inside a section marks the section’s link with aria-current="true"', async () => {
    const inside = [
      [`/dashboard/projects/${projectId}`, '/dashboard/projects'],
      ['/dashboard/projects/new', '/dashboard/projects'],
      [`/dashboard/projects/${projectId}/membership`, '/dashboard/memberships'],
      ['/dashboard/profile', '/dashboard'],
    ] as const;
    for (const [url, section] of inside) {
      const res = await get(t.app, creator.jar, url);
      assert.equal(res.statusCode, 200, url);
      assert.deepEqual(currentLinks(dashboardNav(res.body) ?? ''), [`${section} true`], url);
    }
  });

  test('Projects lists the projects with the way to edit each', async () => {
    const res = await get(t.app, creator.jar, '/dashboard/projects');
    assert.match(res.body, /<h1 [^>]*>Projects<\/h1>/);
    assert.match(res.body, new RegExp(`href="/dashboard/projects/${projectId}">Tidal Notes</a>`));
  });
});

describe('memberships', () => {
  test('each project with its open tiers and members, linked to its tiers page', async () => {
    const creator = await signUpCreator(t.app);
    const withTier = await makeProject(t.app, creator, { title: 'Night Radio' });
    const without = await makeProject(t.app, creator, { title: 'Sketches' });
    await makeTier(t.app, creator, withTier.id);
    const res = await get(t.app, creator.jar, '/dashboard/memberships');
    assert.equal(res.statusCode, 200);
    const rows = [...res.body.matchAll(/<li class="membership-row">([\s\S]*?)<\/li>/g)].map(
      (match) => match[1] ?? '',
    );
    assert.equal(rows.length, 2);
    assert.match(rows[0] ?? '', new RegExp(`/dashboard/projects/${withTier.id}/membership`));
    assert.match(rows[0] ?? '', /1 tier open · 0 current members/);
    assert.match(rows[1] ?? '', new RegExp(`/dashboard/projects/${without.id}/membership`));
    assert.match(rows[1] ?? '', /No tiers open to new members/);
  });

  test('a creator without projects is offered the first one', async () => {
    const creator = await signUpCreator(t.app);
    const res = await get(t.app, creator.jar, '/dashboard/memberships');
    assert.match(res.body, /No projects yet/);
    assert.match(res.body, /href="\/dashboard\/projects\/new"/);
  });
});

test('a fan sees how to turn on creating, with no dashboard sections', async () => {
  const fan = await signUpFan(t.app);
  const home = await get(t.app, fan.jar, '/dashboard');
  assert.equal(home.statusCode, 200);
  assert.equal(dashboardNav(home.body), undefined);
  for (const url of ['/dashboard/projects', '/dashboard/memberships']) {
    const res = await get(t.app, fan.jar, url);
    assert.equal(res.statusCode, 403, url);
    assert.match(res.body, /Turn on creating/);
    assert.equal(dashboardNav(res.body), undefined);
  }
});
