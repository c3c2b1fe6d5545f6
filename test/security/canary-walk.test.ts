// The canary walk (issue 14): paid, pay-what-you-want, members-only and paid-download items
// carry a random marker after the paywall divider (or deep in a long text without one); every
// GET route the app registered — pages, JSON, feeds, embeds, whatever exists the day it runs —
// is requested as a stranger, a signed-in non-buyer (session and read token) and a fan of
// another creator, in every way a client asks, and no answer, header, redirect, signed link or
// mail to them may hold a marker. The owner, a buyer and a member must see theirs, and everyone
// the free item's, so the walk cannot pass by seeing nothing. docs/security.md "The canary walk".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { findNeedles, needlesOf, type Needle } from './canary-detect.js';
import { FREE_OPENING } from './canary-catalogue.js';
import { makeFixtures, type Fixtures, type Viewer } from './canary-fixtures.js';
import { EXCLUDED, fillRoute, openApiPathOf, recordRoutes, type Filled } from './canary-routes.js';
import { describeLeaks, fetchHops, variantsOf, Walk, type Probe } from './canary-walk.js';

const log = (line: string) => console.log(`canary-walk: ${line}`);

interface QueryParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { enum?: string[]; maximum?: number; default?: unknown };
}
type OpenApi = { paths: Record<string, Record<string, { parameters?: QueryParameter[] }>> };

/** Query parameter → its value in the walk (null: left out on purpose). */
const QUERY_VALUES: Record<string, (f: Fixtures) => string | null> = {
  q: (f) => f.canaries[0]?.paidWord ?? '',
  kind: () => 'item',
  type: () => 'text',
  price: () => 'paid',
  tag: () => 'writing/essays',
  creator: (f) => f.creator.handle,
  period: () => '12m',
  cursor: () => null, // opaque; the largest limit shows every canary on the first page
};

let t: TestApp;
let f: Fixtures;
let doc: OpenApi;
let routes: string[];
let filled: Filled[];
let walk: Walk;
let needles: Needle[];
const missingQuery: string[] = [];

/** The walk's query string for a route: its OpenAPI query parameters, else one for pages. */
function richQuery(route: string): string {
  const path = openApiPathOf(route);
  const declared = path ? doc.paths[path]?.get?.parameters : undefined;
  if (!declared) {
    const q = f.canaries[0]?.paidWord ?? '';
    return new URLSearchParams({ q, type: 'text', price: 'paid', tag: 'writing/essays', creator: f.creator.handle, sort: 'newest', kind: 'item', full: '1', preview: '0', format: 'json', page: '2' }).toString(); // prettier-ignore
  }
  const query = new URLSearchParams();
  for (const p of declared.filter((p) => p.in === 'query')) {
    const fill = QUERY_VALUES[p.name];
    const value =
      p.name === 'limit' && p.schema?.maximum !== undefined
        ? String(p.schema.maximum)
        : fill
          ? fill(f)
          : (p.schema?.enum?.[0] ?? null);
    if (value === null && !fill && p.required) missingQuery.push(`${p.name} of ${route}`);
    if (value !== null) query.set(p.name, value);
  }
  return query.toString();
}

before(async () => {
  const recorder = recordRoutes();
  try {
    t = await createTestApp({ runJobs: true, env: { PAGE_CACHE: 'on' } });
  } finally {
    recorder.stop();
  }
  routes = recorder.routes.map((r) => r.url);
  const started = performance.now();
  f = await makeFixtures(t, (method, url) => t.app.hasRoute({ method, url }));
  log(`fixtures in ${Math.round(performance.now() - started)} ms; ${f.notes.join('; ')}`);
  doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<OpenApi>();
  needles = needlesOf(f.secrets);
  const [freeNeedle] = needlesOf([{ label: 'free control', text: f.free.marker }]);
  assert.ok(freeNeedle);
  walk = new Walk(t.app, needles, freeNeedle);
  filled = routes.filter((r) => !(r in EXCLUDED)).map((r) => fillRoute(r, f.known));

  const walkStarted = performance.now();
  for (const viewer of f.viewers) {
    const plain: Probe[] = filled
      .filter((r) => !viewer.apiOnly || r.route.startsWith('/api/'))
      .flatMap((r) => r.urls.map((url) => ({ viewer, route: r.route, url, variant: 'plain' })));
    const answered = await walk.run(plain);
    await walk.run(answered.flatMap((p) => variantsOf(p, richQuery(p.route))));
  }
  log(`walked ${walk.result.requests} requests in ${Math.round(performance.now() - walkStarted)} ms`); // prettier-ignore
  for (const [viewer, perRoute] of walk.result.perViewer) {
    const requests = [...perRoute.values()].reduce((a, b) => a + b, 0);
    log(`${viewer}: ${perRoute.size} routes (and the links they handed out), ${requests} requests`);
  }
  log(
    `routes walked (${filled.length}): ${filled
      .map((r) => r.route)
      .sort()
      .join(' ')}`,
  );
  for (const [route, reason] of Object.entries(EXCLUDED)) log(`excluded ${route}: ${reason}`);
});
after(() => t.close());

test('every GET route is walked or excluded with a reason; the OpenAPI document is walked whole', () => {
  const unfilled = filled.filter((r) => r.missing.length > 0);
  assert.deepEqual(
    unfilled.map((r) => `${r.route}: ${r.missing.join(', ')}`),
    [],
    'add these parameters to PARAM_VALUES / WILDCARD_VALUES in test/security/canary-routes.ts',
  );
  assert.deepEqual(missingQuery, [], 'add these query parameters to QUERY_VALUES');
  const walked = new Set(filled.map((r) => r.route));
  const openApiGets = Object.entries(doc.paths)
    .filter(([, operations]) => 'get' in operations)
    .map(([path]) => `/api/v1${path.replace(/\{(\w+)\}/g, ':$1')}`);
  assert.ok(
    openApiGets.length > 30,
    `the document lists its GET operations (${openApiGets.length})`,
  );
  assert.deepEqual(openApiGets.filter((r) => !walked.has(r) && !(r in EXCLUDED)), [], 'OpenAPI GET paths not walked'); // prettier-ignore
  assert.deepEqual(Object.keys(EXCLUDED).filter((r) => !routes.includes(r)), [], 'stale exclusions'); // prettier-ignore
  assert.deepEqual(walk.result.serverErrors, [], 'answers the walk could not read');
  assert.deepEqual(walk.result.rateLimited, [], 'answers a rate limit refused');
});

test('the viewers are still signed in after the walk (it walked as them to the end)', async () => {
  for (const viewer of f.viewers.filter((v) => Object.keys(v.headers).length > 0)) {
    const [me] = await fetchHops(t.app, { viewer, route: '/api/v1/me', url: '/api/v1/me', variant: 'plain' }); // prettier-ignore
    assert.equal(me?.status, 200, viewer.name);
  }
});

test('no stranger, non-buyer or fan of another creator sees a marker anywhere', () => {
  const { leaks } = walk.result;
  assert.equal(leaks.length, 0, describeLeaks(leaks));
});

async function bodyOf(viewer: Viewer, url: string): Promise<string> {
  const hops = await fetchHops(t.app, { viewer, route: url, url, variant: 'plain' });
  return hops.at(-1)?.body ?? '';
}

test('the walk sees what it should: the free text by everyone, each canary by who may read it', async () => {
  const missed: string[] = [];
  for (const viewer of f.viewers) {
    const seen = walk.result.sawFree.get(viewer.name) ?? [];
    if (!seen.includes(`/api/v1/items/${f.free.id}`)) missed.push(`${viewer.name}: the free item through the API`); // prettier-ignore
  }
  const feedUrl = `/@${f.creator.handle}/${f.project.slug}/feed.xml`;
  if (!walk.result.sawFree.get('stranger')?.includes(feedUrl)) missed.push('stranger: the free text in the feed'); // prettier-ignore
  const feed = await bodyOf(f.viewers[0] as Viewer, feedUrl);
  for (const c of f.canaries.filter((c) => !c.name.endsWith('post'))) {
    if (!feed.includes(`/i/${c.id}`)) missed.push(`stranger: ${c.name} listed in the feed`);
  }

  // Who may read each canary sees its marker in the item's JSON and (texts) on its page.
  const items = f.canaries.filter((c) => !c.name.endsWith('post'));
  const mayRead: [Viewer, typeof items][] = [
    [f.owner, items],
    [f.buyer, items.filter((c) => c.name !== 'Members essay')],
    [f.member, items.filter((c) => c.name === 'Members essay')],
  ];
  for (const [viewer, canaries] of mayRead) {
    for (const c of canaries) {
      const [marker] = needlesOf([{ label: c.name, text: c.marker }]);
      assert.ok(marker);
      const json = JSON.parse(await bodyOf(viewer, `/api/v1/items/${c.id}`)) as { item?: { body?: string | null } }; // prettier-ignore
      if (!json.item?.body?.includes(c.marker)) missed.push(`${viewer.name}: body of ${c.name} in /api/v1/items/:id`); // prettier-ignore
      // a download's page shows its files, not its text
      if (c.name === 'Paid download') continue;
      const page = await bodyOf(viewer, `/@${f.creator.handle}/${f.project.slug}/${c.slug}`);
      if (findNeedles(page, [marker]).length === 0) missed.push(`${viewer.name}: item page of ${c.name}`); // prettier-ignore
    }
  }
  const fileMarker = f.canaries.find((c) => c.name === 'Paid download')?.marker ?? '?';
  const [inFile] = needlesOf([{ label: 'file', text: fileMarker }]);
  assert.ok(inFile);
  for (const viewer of [f.owner, f.buyer]) {
    if (findNeedles(await bodyOf(viewer, `/download/${f.file.id}`), [inFile]).length === 0) {
      missed.push(`${viewer.name}: the paid file through /download/:id`);
    }
  }

  // A stranger gets the item with body: null and the free opening as body_preview.
  const paid = f.canaries[0];
  assert.ok(paid);
  const stranger = await t.app.inject({ url: `/api/v1/items/${paid.id}` });
  const item = stranger.json<{ item?: { body?: unknown; body_preview?: unknown } }>().item;
  if (stranger.statusCode !== 200) missed.push(`stranger: /api/v1/items/:id answers ${stranger.statusCode}`); // prettier-ignore
  if (item?.body !== null) missed.push('stranger: body: null in /api/v1/items/:id');
  if (typeof item?.body_preview !== 'string' || !item.body_preview.includes(FREE_OPENING)) {
    missed.push('stranger: body_preview with the free opening in /api/v1/items/:id');
  }
  assert.deepEqual(missed, [], 'what the walk should have seen');
});

// Searching a word found only in an item's paid part must not find the item (the lead's change
// takes paid text out of the index; today such a search does find it), nor may a snippet, a
// "did you mean" or a suggestion spell out the paid word for a near miss or a prefix.
test('search finds no item by a word of its paid part, and never spells one out', async () => {
  const found: string[] = [];
  const titled = await t.app.inject({ url: `/api/v1/search?q=${f.titleWord}&limit=50` });
  const titledIds = titled.json<{ items: { id: string }[] }>().items.map((i) => i.id);
  assert.ok(titledIds.includes(f.canaries[0]?.id ?? '?'), 'a title word finds the canary (search works)'); // prettier-ignore
  for (const c of f.canaries) {
    const [word] = needlesOf([{ label: `${c.name}: paid word`, text: c.paidWord }]);
    assert.ok(word);
    const path = `/${f.project.slug}/${c.slug}`;
    const nearMiss = `${c.paidWord.slice(0, -1)}${c.paidWord.endsWith('q') ? 'x' : 'q'}`;
    for (const viewer of f.viewers) {
      for (const base of [
        '/api/v1/search',
        '/api/v1/search/suggest',
        '/search',
        '/search/suggest',
      ]) {
        if (viewer.apiOnly && !base.startsWith('/api/')) continue;
        const asked = await bodyOf(viewer, `${base}?q=${c.paidWord}`);
        if (asked.includes(c.id) || asked.includes(path)) found.push(`${viewer.name} ${base}?q=<paid word of ${c.name}> returns it`); // prettier-ignore
        for (const q of [nearMiss, c.paidWord.slice(0, 8)]) {
          if (findNeedles(await bodyOf(viewer, `${base}?q=${q}`), [word]).length > 0) {
            found.push(`${viewer.name} ${base}?q=${q} spells out the paid word of ${c.name}`);
          }
        }
      }
    }
  }
  assert.deepEqual(found, [], 'paid words found by search');
});

test('mail to the viewers carries no marker', async () => {
  const mail = await t.runtime.db
    .selectFrom('mail_messages')
    .select(['to_address', 'subject', 'text_body', 'html_body'])
    .where('to_address', 'in', f.viewerEmails)
    .execute();
  assert.ok(mail.length >= f.viewerEmails.length, `the viewers got mail (${mail.length})`);
  const leaks = mail.flatMap((m) =>
    findNeedles(`${m.subject}\n${m.text_body}\n${m.html_body ?? ''}`, needles).map(
      (label) => `${m.to_address} "${m.subject}": ${label}`,
    ),
  );
  assert.deepEqual(leaks, []);
});
