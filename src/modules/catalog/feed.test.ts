// The project feed as a feed reader sees it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { newJar, send } from '../../../test/helpers/http.js';
import { call, makeItem, makeProject, signUpCreator } from './catalog.test-helpers.js';
import { escapeXml } from './feed.routes.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

test('a project feed lists published items newest first, escaped, and follows renames', async () => {
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator, { title: 'Letters & <Notes>' });
  const first = await makeItem(t.app, creator, project.id, {
    title: 'First <b>letter</b>',
    body: 'Hello **there** <script>alert(1)</script>',
    ai_disclosure: { tier: 'handmade' },
  });
  await call(t.app, creator, 'POST', `/items/${first.id}/publish`);
  const second = await makeItem(t.app, creator, project.id, {
    title: 'Second letter',
    body: 'Again.',
    ai_disclosure: { tier: 'handmade' },
  });
  await call(t.app, creator, 'POST', `/items/${second.id}/publish`);
  await makeItem(t.app, creator, project.id, { title: 'Secret draft' });

  const url = `/@${creator.handle}/${project.slug}/feed.xml`;
  const res = await send(t.app, newJar(), { url });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/rss\+xml/);
  const xml = res.body;
  assert.ok(xml.includes('<title>Letters &amp; &lt;Notes&gt;</title>'));
  assert.ok(xml.indexOf('Second letter') < xml.indexOf('First &lt;b&gt;letter'));
  assert.ok(!xml.includes('Secret draft'));
  assert.ok(!xml.includes('<script'), 'no markup survives unescaped');
  assert.ok(xml.includes('&lt;strong&gt;there&lt;/strong&gt;'), 'markdown rendered, then escaped');
  assert.ok(!xml.includes('alert(1)</script>'));
  assert.ok(xml.includes(`<guid isPermaLink="true">http://localhost`));

  await call(t.app, creator, 'PATCH', `/projects/${project.id}`, { slug: 'letters' });
  const moved = await send(t.app, newJar(), { url });
  assert.equal(moved.statusCode, 301);
  assert.equal(moved.headers.location, `/@${creator.handle}/letters/feed.xml`);
  const missing = await send(t.app, newJar(), { url: `/@${creator.handle}/nothing/feed.xml` });
  assert.equal(missing.statusCode, 404);
});

test('escapeXml drops characters XML cannot hold', () => {
  assert.equal(escapeXml('a\u0000b\u0008c "d" \'e\''), 'abc &quot;d&quot; &apos;e&apos;');
});
