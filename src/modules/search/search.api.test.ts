// GET /api/v1/search and /search/suggest through real HTTP and PostgreSQL: ranking, typos,
// prefixes, websearch syntax, filters, visibility, safe snippets, hostile input, pages.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeItem, makeProject, signUpCreator } from '../catalog/catalog.test-helpers.js';
import { forcePublish, publishedText, setProfile } from '../catalog/public.test-helpers.js';
import type { SearchHit, SearchResult } from './search.service.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

async function searchFor(query: Record<string, string>): Promise<SearchResult> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/search?${new URLSearchParams(query).toString()}`,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json<SearchResult>();
}

const titles = (result: { items: SearchHit[] }) => result.items.map((hit) => hit.title);

describe('search', () => {
  test('a title match ranks above a description-only match; counts per kind', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Night music' });
    await publishedText(t, creator, project.id, {
      title: 'Quasar lullabies',
      description: 'Soft songs.',
    });
    await publishedText(t, creator, project.id, {
      title: 'Songs for the dark',
      description: 'Written under a quasar sky, with more quasar light.',
    });
    const result = await searchFor({ q: 'quasar' });
    assert.deepEqual(titles(result), ['Quasar lullabies', 'Songs for the dark']);
    assert.equal(result.counts.item, 2);
    const [top] = result.items;
    assert.ok(top);
    assert.equal(top.kind, 'item');
    assert.equal(top.creator_handle, creator.handle);
    assert.match(top.url, /^http:\/\/localhost:3000\/@.+\/night-music\//);
  });

  test('typos find the word and suggest it; the last word matches as a prefix', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Drones' });
    await publishedText(t, creator, project.id, { title: 'Ambient drones for sleeping' });
    const typo = await searchFor({ q: 'ambeint' });
    assert.deepEqual(titles(typo), ['Ambient drones for sleeping']);
    assert.equal(typo.suggestion, 'ambient');
    assert.deepEqual(titles(await searchFor({ q: 'ambi' })), ['Ambient drones for sleeping']);
    assert.deepEqual(titles(await searchFor({ q: 'sleeping amb' })), [
      'Ambient drones for sleeping',
    ]);
    const suggest = await t.app.inject({ method: 'GET', url: '/api/v1/search/suggest?q=dro' });
    assert.equal(suggest.statusCode, 200, suggest.body);
    const hits = suggest.json<{ items: SearchHit[] }>().items;
    assert.ok(hits.some((hit) => hit.title === 'Ambient drones for sleeping'));
    assert.ok(hits.some((hit) => hit.kind === 'project' && hit.title === 'Drones'));
  });

  test('a prefix finds the words it begins wherever they are, edited ones too', async () => {
    const creator = await signUpCreator(t.app);
    await setProfile(t, creator, { display_name: 'Ottoline Brack' });
    const project = await makeProject(t.app, creator, { title: 'Vellichor' });
    const item = await publishedText(t, creator, project.id, {
      title: 'Untitled study',
      description: 'Recorded near the quillwort ponds.',
    });
    // words of the description, the project title and the creator's name, begun
    for (const q of ['untitled quillw', 'vellic', 'ottol']) {
      assert.deepEqual(titles(await searchFor({ q, kind: 'item' })), ['Untitled study'], q);
    }
    // a word that arrives with an edit is found by its beginning at once
    await t.runtime.db
      .updateTable('items')
      .set({ description: 'Recorded near the brackenfield ponds.' })
      .where('id', '=', item.id)
      .execute();
    assert.deepEqual(titles(await searchFor({ q: 'brackenf', kind: 'item' })), ['Untitled study']);
    // a beginning shared by more words than are expanded (64) still matches as a prefix
    const many = Array.from(
      { length: 70 },
      (_, i) =>
        `zorbule${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    );
    await publishedText(t, creator, project.id, {
      title: 'Zorbule catalogue',
      description: many.join(' '),
    });
    assert.deepEqual(titles(await searchFor({ q: 'zorbu', kind: 'item' })), ['Zorbule catalogue']);
  });

  test('quoted phrases and -excluded words', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Birds' });
    await publishedText(t, creator, project.id, { title: 'Crimson falcon over hills' });
    await publishedText(t, creator, project.id, { title: 'Falcon, crimson paper cut' });
    assert.deepEqual(titles(await searchFor({ q: '"crimson falcon"' })), [
      'Crimson falcon over hills',
    ]);
    assert.deepEqual(titles(await searchFor({ q: 'falcon -paper' })), [
      'Crimson falcon over hills',
    ]);
    assert.equal((await searchFor({ q: 'falcon or nothingness' })).items.length, 2);
  });

  test('filters: type, price, tag subtree, creator, kind', async () => {
    const a = await signUpCreator(t.app);
    const b = await signUpCreator(t.app);
    const pa = await makeProject(t.app, a, { title: 'Varia' });
    const pb = await makeProject(t.app, b, { title: 'Others' });
    await publishedText(t, a, pa.id, {
      title: 'Glacier text free',
      tags: ['music/ambient/glacial'],
    });
    await publishedText(t, a, pa.id, {
      title: 'Glacier text paid',
      price: { model: 'fixed', amount: 500 },
      tags: ['music/techno'],
    });
    const image = await makeItem(t.app, b, pb.id, {
      type: 'image',
      title: 'Glacier picture',
      tags: ['art/photo'],
    });
    await forcePublish(t, image.id);

    const sorted = async (query: Record<string, string>) =>
      titles(await searchFor({ q: 'glacier', ...query })).sort();
    assert.deepEqual(await sorted({ type: 'image' }), ['Glacier picture']);
    assert.deepEqual(await sorted({ price: 'free' }), ['Glacier picture', 'Glacier text free']);
    assert.deepEqual(await sorted({ price: 'paid' }), ['Glacier text paid']);
    assert.deepEqual(await sorted({ tag: 'music' }), ['Glacier text free', 'Glacier text paid']);
    assert.deepEqual(await sorted({ tag: 'music/ambient' }), ['Glacier text free']);
    assert.deepEqual(await sorted({ creator: b.handle }), ['Glacier picture']);
    assert.deepEqual(await sorted({ kind: 'project' }), []);
    assert.equal((await searchFor({ q: 'varia', kind: 'project' })).items[0]?.kind, 'project');

    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=x&tag=%2F%2F&limit=0' });
    assert.equal(bad.statusCode, 422, bad.body);
    assert.ok(bad.json<{ error: { fields: Record<string, string> } }>().error.fields.limit);
  });

  test('drafts, unlisted items and suspended creators never appear', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Hidden' });
    await makeItem(t.app, creator, project.id, { title: 'Zeppelin draft' });
    const unlisted = await publishedText(t, creator, project.id, { title: 'Zeppelin unlisted' });
    await t.runtime.db
      .updateTable('items')
      .set({ status: 'unlisted' })
      .where('id', '=', unlisted.id)
      .execute();
    assert.deepEqual(titles(await searchFor({ q: 'zeppelin' })), []);

    const gone = await signUpCreator(t.app);
    await setProfile(t, gone, { display_name: 'Marigold Suspendable' });
    const goneProject = await makeProject(t.app, gone, { title: 'Marigold works' });
    await publishedText(t, gone, goneProject.id, { title: 'Marigold item' });
    assert.equal((await searchFor({ q: 'marigold' })).items.length, 3);
    await t.runtime.db
      .updateTable('users')
      .set({ status: 'suspended' })
      .where('handle', '=', gone.handle)
      .execute();
    const after = await searchFor({ q: 'marigold' });
    assert.deepEqual(after.items, []);
    assert.deepEqual(after.counts, { item: 0, project: 0, creator: 0 });
    const suggest = await t.app.inject({ method: 'GET', url: '/api/v1/search/suggest?q=marig' });
    assert.deepEqual(suggest.json<{ items: SearchHit[] }>().items, []);
  });

  test('snippets escape user text; only our marks are markup', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Tricks' });
    await publishedText(t, creator, project.id, {
      title: '<script>alert(1)</script> pelican',
      description: 'A <mark>fake</mark> mark, <script>alert("x")</script> & a pelican \uE000here.',
    });
    const [hit] = (await searchFor({ q: 'pelican' })).items;
    assert.ok(hit);
    assert.equal(hit.title, '<script>alert(1)</script> pelican');
    assert.match(hit.snippet, /&lt;script&gt;/);
    assert.match(hit.snippet, /fake&lt;\/mark&gt;/);
    assert.match(hit.snippet, /<mark>pelican<\/mark>/);
    assert.equal(
      hit.snippet.replaceAll('<mark>', '').replaceAll('</mark>', '').includes('<'),
      false,
    );
    const suggest = await t.app.inject({ method: 'GET', url: '/api/v1/search/suggest?q=pelic' });
    const [first] = suggest.json<{ items: SearchHit[] }>().items;
    assert.equal(first?.snippet, '&lt;script&gt;alert(1)&lt;/script&gt; <mark>pelican</mark>');
  });

  test('hostile input gets a 200 or a 4xx, never a 500', async () => {
    const inputs = [
      '',
      ' ',
      'x'.repeat(10_000),
      'ab '.repeat(133),
      '!!!???...',
      "'",
      "''",
      '\\',
      '&|!:*',
      'a & b | !c :* d:*',
      '"',
      '"unclosed phrase',
      '-',
      '--x',
      'or',
      'a\u0000b',
      '\u0000',
      '🎵🎶 music',
      '🎵'.repeat(399),
      'مرحبا بالعالم',
      '\u202Eevil',
      'ǅemo ＡＢＣ Ⅻ',
      '(a)) <-> b',
      "' or 1=1 --",
      '$1 $$ ${x}',
      '\uD800',
      'é'.repeat(300),
    ];
    for (const q of inputs) {
      for (const path of ['/api/v1/search', '/api/v1/search/suggest']) {
        const res = await t.app.inject({
          method: 'GET',
          url: `${path}?${new URLSearchParams({ q }).toString()}`,
        });
        assert.ok(res.statusCode < 500, `${path} ${JSON.stringify(q)}: ${res.statusCode}`);
      }
    }
    for (const cursor of ['x', 'eyJ9', Buffer.from('{"r":1}').toString('base64url')]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=a&cursor=${cursor}` });
      assert.equal(res.statusCode, 422, res.body);
    }
  });

  test('pages follow each other with an opaque cursor, without repeats', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Many' });
    for (let i = 1; i <= 5; i++) {
      await publishedText(t, creator, project.id, { title: `Kestrel ${i}` });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: SearchResult = await searchFor({
        q: 'kestrel',
        kind: 'item',
        limit: '2',
        ...(cursor !== null && { cursor }),
      });
      seen.push(...titles(page));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    assert.equal(pages, 3);
    assert.deepEqual(seen.sort(), [
      'Kestrel 1',
      'Kestrel 2',
      'Kestrel 3',
      'Kestrel 4',
      'Kestrel 5',
    ]);
  });

  test('matches of every age are found, newest window first; filters follow edits', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Ages' });
    const ages = [0, 45, 200, 800]; // days: matches in four of the five candidate windows
    for (const days of ages) {
      const item = await publishedText(t, creator, project.id, {
        title: `Nightjar ${days}`,
        tags: ['nature/birds'],
      });
      await sql`update items set published_at = now() - ${days} * interval '1 day'
                 where id = ${item.id}`.execute(t.runtime.db);
    }
    const all = await searchFor({ q: 'nightjar', kind: 'item' });
    assert.equal(all.counts.item, 4);
    assert.deepEqual(titles(all), ['Nightjar 0', 'Nightjar 45', 'Nightjar 200', 'Nightjar 800']);
    assert.equal((await searchFor({ q: 'nightjar', tag: 'nature' })).counts.item, 4);

    // Type, price and tags live in the index's filter tokens: an edit moves the item.
    const [oldest] = (await searchFor({ q: 'nightjar 800', kind: 'item' })).items;
    assert.ok(oldest);
    await t.runtime.db
      .updateTable('items')
      .set({ type: 'image', price_model: 'fixed', price_amount: 300 })
      .where('id', '=', oldest.id)
      .execute();
    assert.deepEqual(titles(await searchFor({ q: 'nightjar', type: 'image' })), ['Nightjar 800']);
    assert.deepEqual(titles(await searchFor({ q: 'nightjar', price: 'paid' })), ['Nightjar 800']);
    await sql`insert into tags (path) values ('music/field-recordings')
               on conflict do nothing`.execute(t.runtime.db);
    await t.runtime.db
      .insertInto('item_tags')
      .values({ item_id: oldest.id, tag_path: 'music/field-recordings' })
      .execute();
    assert.deepEqual(titles(await searchFor({ q: 'nightjar', tag: 'music' })), ['Nightjar 800']);
  });

  test('vectors follow tags, project titles, creator names and sales', async () => {
    const creator = await signUpCreator(t.app);
    const project = await makeProject(t.app, creator, { title: 'Plain' });
    const item = await publishedText(t, creator, project.id, {
      title: 'Untitled one',
      tags: ['nature/wetlands'],
    });
    assert.deepEqual(titles(await searchFor({ q: 'wetlands', kind: 'item' })), ['Untitled one']);
    await t.runtime.db
      .updateTable('projects')
      .set({ title: 'Heronry' })
      .where('id', '=', project.id)
      .execute();
    assert.deepEqual(titles(await searchFor({ q: 'heronry', kind: 'item' })), ['Untitled one']);
    await setProfile(t, creator, { display_name: 'Wilhelmina Quill' });
    assert.deepEqual(titles(await searchFor({ q: 'wilhelmina', kind: 'item' })), ['Untitled one']);
    await t.runtime.db.deleteFrom('item_tags').where('item_id', '=', item.id).execute();
    assert.deepEqual(titles(await searchFor({ q: 'wetlands', kind: 'item' })), []);

    // Paid orders count as sales and lift an otherwise equal item; a refund takes it back.
    const sold = await publishedText(t, creator, project.id, { title: 'Osprey study' });
    const quiet = await publishedText(t, creator, project.id, { title: 'Osprey study' });
    const first = async () => (await searchFor({ q: 'osprey', kind: 'item' })).items[0]?.id;
    assert.equal(await first(), quiet.id); // the newer of two equal matches
    const other = sold.id;
    for (let i = 0; i < 3; i++) {
      await sql`insert into orders (item_id, creator_id, buyer_email, status, amount, currency,
                                    processor, paid_at)
                select id, creator_id, 'fan@example.com', 'paid', 500, 'USD', 'none', now()
                  from items where id = ${other}`.execute(t.runtime.db);
    }
    assert.equal(await first(), other);
    await sql`update orders set status = 'refunded', refunded_amount = amount
               where item_id = ${other}`.execute(t.runtime.db);
    assert.equal(await first(), quiet.id);
  });
});
