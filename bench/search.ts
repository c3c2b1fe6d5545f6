// `npm run bench -- search`: a million published items (BENCH_SEARCH_ITEMS for fewer), 50,000
// creators with a project each, titles and descriptions drawn from a Zipf-distributed vocabulary
// of 20,000 words, realistic tag paths and some sales, seeded in SQL (INSERT … SELECT from
// generate_series); then a fixed mix of queries from 8 concurrent clients through the real
// app's HTTP API, and the same mix as bare SQL (the statement search() runs for items).
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/db/database.js';
import { createTestApp } from '../test/helpers/app.js';
import type { SearchParams } from '../src/modules/search/search.plan.js';
import { itemSearchStatement } from '../src/modules/search/search.service.js';

const ITEMS = Number(process.env.BENCH_SEARCH_ITEMS ?? 1_000_000);
const CREATORS = Math.min(50_000, Math.max(100, Math.floor(ITEMS / 20)));
const VOCABULARY = 20_000;
const CONCURRENCY = 8;
const PASSES = Number(process.env.BENCH_SEARCH_PASSES ?? 3);

// The most frequent ranks are real words, so queries and typos read naturally.
const COMMON = [
  'music',
  'ambient',
  'guitar',
  'piano',
  'night',
  'light',
  'river',
  'dream',
  'sound',
  'field',
  'story',
  'poems',
  'drawing',
  'photo',
  'video',
  'course',
  'synth',
  'voice',
  'winter',
  'summer',
  'ocean',
  'forest',
  'city',
  'garden',
  'letters',
  'essays',
  'songs',
  'album',
  'demo',
  'live',
  'tape',
  'loops',
  'drums',
  'strings',
  'choir',
  'paper',
  'colour',
  'portrait',
  'mountain',
  'rain',
];
const SYLLABLES = 'kalomirutesonavipegudahibezofyrwacexuqjtlspmdnrk';
const TAGS = [
  'music/ambient',
  'music/ambient/drone',
  'music/electronic/techno',
  'music/electronic/house',
  'music/jazz',
  'music/folk',
  'music/classical/piano',
  'music/rock/indie',
  'writing/essays',
  'writing/poetry',
  'writing/fiction/short-stories',
  'writing/fiction/sci-fi',
  'art/illustration',
  'art/painting',
  'art/photography/street',
  'art/photography/landscape',
  'video/documentary',
  'video/animation',
  'software/tools',
  'software/games',
  'software/plugins/audio',
  'education/music',
  'education/programming',
  'design/fonts',
  'design/icons',
  'crafts/knitting',
  'crafts/pottery',
  'food/recipes',
  'comics/webcomics',
  'podcasts/interviews',
];

/** n Zipf-distributed words, inline (a SQL function would be far slower per row). */
const words = (n: string) =>
  sql.raw(
    `(select string_agg(bench_word(least(${VOCABULARY}, floor(exp(random() * ln(${VOCABULARY + 1})))::int)), ' ') from generate_series(1, ${n}))`,
  );

export async function seed(kdb: Db, log: (s: string) => void) {
  const t0 = performance.now();
  const step = async (name: string, query: ReturnType<typeof sql>) => {
    const started = performance.now();
    await kdb.connection().execute(async (conn) => {
      await sql`set session_replication_role = replica`.execute(conn);
      await sql`set maintenance_work_mem = '1GB'`.execute(conn);
      await sql`set synchronous_commit = off`.execute(conn);
      await query.execute(conn);
      await sql`reset session_replication_role`.execute(conn);
    });
    log(`  ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  const common = sql.raw(`array[${COMMON.map((w) => `'${w}'`).join(',')}]`);
  await step(
    'functions',
    sql`
      create or replace function bench_word(r int) returns text language sql immutable as $$
        select case when r <= ${sql.lit(COMMON.length)} then (${common})[r]
          else substr(${sql.lit(SYLLABLES)}, 2 * ((r + 64) % 24) + 1, 2)
            || substr(${sql.lit(SYLLABLES)}, 2 * (((r + 64) / 24) % 24) + 1, 2)
            || case when r + 64 >= 576
                 then substr(${sql.lit(SYLLABLES)}, 2 * (((r + 64) / 576) % 24) + 1, 2) else '' end
            || case when r + 64 >= 13824
                 then substr(${sql.lit(SYLLABLES)}, 2 * (((r + 64) / 13824) % 24) + 1, 1) else '' end
        end
      $$;
      create or replace function bench_zipf() returns int language sql volatile as $$
        select least(${sql.lit(VOCABULARY)}, floor(exp(random() * ln(${sql.lit(VOCABULARY)} + 1)))::int)
      $$;
      create or replace function bench_tag(n int) returns text language sql immutable as $$
        select (${sql.raw(`array[${TAGS.map((w) => `'${w}'`).join(',')}]`)})[1 + n % ${sql.lit(TAGS.length)}]
      $$;
      drop index if exists items_search_idx;
      drop index if exists items_title_trgm_idx;
      insert into tags (path)
        select distinct p from (select bench_tag(g) t from generate_series(0, ${sql.lit(TAGS.length - 1)}) g) x,
          lateral (select array_to_string((string_to_array(x.t, '/'))[1:k], '/') p
                     from generate_series(1, cardinality(string_to_array(x.t, '/'))) k) y
        on conflict do nothing;
      create temporary table if not exists bench_projects (n int primary key, project_id uuid, creator_id uuid, names text, title text);
    `,
  );
  await step(
    `${CREATORS} creators and projects`,
    sql`
      with c as (
        select g, initcap(bench_word(bench_zipf())) || ' ' || initcap(bench_word(bench_zipf())) as name,
               ${words('8 + g % 10')} as bio
          from generate_series(1, ${sql.lit(CREATORS)}) g
      ), u as (
        insert into users (email, handle, display_name, is_creator, creator_tier, bio, search_vector)
        select 'c' || g || '@bench.test', 'c' || g, name, true, 'basic', bio,
               creator_search_vector(name, 'c' || g, bio)
          from c
        returning id, handle, display_name
      ), p as (
        select u.id, u.handle, u.display_name, ${words('2 + length(u.handle) % 3')} as title,
               ${words('10 + length(u.handle) % 15')} as description
          from u
      ), ins as (
        insert into projects (creator_id, slug, title, description, search_vector)
        select id, 'works', title, description,
               project_search_vector(title, display_name || ' ' || handle, description)
          from p
        returning id, creator_id, title
      )
      insert into bench_projects
      select substr(u.handle, 2)::int, ins.id, ins.creator_id, u.display_name || ' ' || u.handle, ins.title
        from ins join u on u.id = ins.creator_id
    `,
  );
  const chunk = 250_000;
  for (let from = 1; from <= ITEMS; from += chunk) {
    const to = Math.min(ITEMS, from + chunk - 1);
    await step(
      `items ${from}–${to}`,
      sql`
        insert into items (project_id, creator_id, type, title, slug, description, status,
                           price_model, price_amount, price_minimum, ai_tier, published_at,
                           sales_count, search_vector, search_filters)
        select bp.project_id, bp.creator_id,
               (array['audio','video','text','image','digital','software','course','text'])[1 + x.g % 8],
               x.title, 'i' || x.g, x.description, 'published',
               case x.g % 3 when 0 then 'free' when 1 then 'fixed' else 'pwyw' end,
               case when x.g % 3 = 1 then 100 + (x.g % 50) * 100 end,
               case when x.g % 3 = 2 then 0 end,
               'handmade', now() - (x.g % 1000) * interval '1 day' - random() * interval '1 day',
               case when random() < 0.3 then floor(exp(random() * ln(500)))::int else 0 end,
               item_search_vector(x.title, x.description, '',
                 bench_tag(x.g) || case when x.g % 4 = 0 then ' ' || bench_tag(x.g / 7) else '' end,
                 bp.names, bp.title),
               item_search_filters(
                 (array['audio','video','text','image','digital','software','course','text'])[1 + x.g % 8],
                 case x.g % 3 when 0 then 'free' when 1 then 'fixed' else 'pwyw' end,
                 array[bench_tag(x.g)] || case when x.g % 4 = 0 then array[bench_tag(x.g / 7)] else '{}'::text[] end)
          from (select g, initcap(${words('2 + g % 4')}) as title, ${words('8 + g % 16')} as description
                  from generate_series(${sql.lit(from)}, ${sql.lit(to)}) g) x
          join bench_projects bp on bp.n = 1 + x.g % ${sql.lit(CREATORS)}
      `,
    );
  }
  await step(
    'item tags',
    sql`
      insert into item_tags (item_id, tag_path)
      select id, bench_tag(substr(slug, 2)::int) from items where slug like 'i%'
      union
      select id, bench_tag(substr(slug, 2)::int / 7) from items
       where slug like 'i%' and substr(slug, 2)::int % 4 = 0
    `,
  );
  await step(
    'vocabulary',
    sql`
      insert into search_words (word)
      select distinct w from (
        select bench_word(r) w from generate_series(1, ${sql.lit(VOCABULARY)}) r
        union all select regexp_split_to_table(path, '[/-]') from tags) x
      where length(w) between 3 and 40
      on conflict do nothing
    `,
  );
  await step(
    'indexes',
    sql`
      -- as migration 0019 makes it
      create index items_search_idx on items
        using gin (search_month(published_at), search_filters, search_vector)
        where status = 'published';
      create index items_title_trgm_idx on items using gin (lower(title) gin_trgm_ops);
    `,
  );
  await step(
    'analyze',
    sql`analyze items; analyze users; analyze projects; analyze item_tags; analyze search_words`,
  );
  log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

interface Query {
  label: string;
  params: SearchParams;
}

function typo(word: string): string {
  const i = Math.floor(word.length / 2);
  return `${word.slice(0, i - 1)}${word.charAt(i)}${word.charAt(i - 1)}${word.slice(i + 1)}`;
}

/** A fixed mix: the same every run (the words come from the deterministic vocabulary). */
export async function queryMix(db: Db): Promise<Query[]> {
  const words = (
    await sql<{
      w: string;
    }>`select bench_word(r) as w from generate_series(1, ${sql.lit(VOCABULARY)}) r order by r`.execute(
      db,
    )
  ).rows.map((r) => r.w);
  const phrases = (
    await sql<{
      title: string;
    }>`select title from items where slug in (select 'i' || g from generate_series(1, 40) g) order by slug`.execute(
      db,
    )
  ).rows.map((r) => r.title.split(' ').slice(0, 2).join(' '));
  const at = (rank: number) => words[rank - 1] ?? 'music';
  const mix: Query[] = [];
  const add = (label: string, q: string, extra: Partial<SearchParams> = {}) =>
    mix.push({ label, params: { q, limit: 20, ...extra } });
  for (let i = 1; i <= 40; i++) add('frequent', at(i));
  for (let i = 0; i < 40; i++) add('rare', at(5000 + i * 370));
  for (let i = 0; i < 30; i++) add('multi-word', `${at(20 + i * 7)} ${at(200 + i * 31)}`);
  for (const phrase of phrases.slice(0, 20)) add('quoted', `"${phrase}"`);
  for (let i = 0; i < 20; i++) add('typo', typo(at(i < 5 ? 1 + i : 60 + i * 45)));
  for (let i = 0; i < 30; i++) add('prefix', at(i < 10 ? 1 + i * 3 : 100 + i * 60).slice(0, 4));
  const types = ['audio', 'text', 'image', 'software'] as const;
  for (let i = 0; i < 40; i++) {
    const filter: Partial<SearchParams> =
      i % 4 === 0
        ? { type: types[i % types.length] }
        : i % 4 === 1
          ? { price: i % 8 === 1 ? 'free' : 'paid' }
          : i % 4 === 2
            ? { tag: TAGS[i % TAGS.length]?.split('/')[0] ?? 'music' }
            : { creator: `c${1 + ((i * 977) % CREATORS)}` };
    add('filtered', i % 2 === 0 ? at(1 + i) : `${at(1 + i)} ${at(300 + i)}`, filter);
  }
  return mix;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function drive(mix: Query[], once: (q: Query) => Promise<void>) {
  for (const q of mix.slice(0, 20)) await once(q); // warm up
  const times: number[] = [];
  const total = mix.length * PASSES;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const q = mix[next++ % mix.length];
        if (!q) break;
        const t0 = performance.now();
        await once(q);
        times.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    rps: times.length / seconds,
  };
}

function toQueryString(params: SearchParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) query.set(key, String(value));
  }
  return query.toString();
}

export interface SearchBenchRow {
  name: string;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
}

/** Seeds, runs the mix and prints its own table; returns the rows for bench/run.ts's table. */
export async function benchSearch(): Promise<SearchBenchRow[]> {
  const log = (s: string) => console.log(s);
  const t = await createTestApp();
  // The same settings search() runs its statements with (no parallel workers).
  const pool = new pg.Pool({
    connectionString: t.runtime.config.databaseUrl,
    max: 5,
    options: '-c max_parallel_workers_per_gather=0',
  });
  try {
    log(`\nsearch: seeding ${ITEMS} items, ${CREATORS} creators`);
    await seed(t.runtime.db, log);
    const mix = await queryMix(t.runtime.db);
    // The bare statements, decided (walk or windows) as search() decides them, before timing.
    const statements = new Map<Query, { text: string; values: unknown[] }>();
    for (const q of mix) statements.set(q, await itemSearchStatement(t.runtime.db, q.params));
    if (process.env.BENCH_SEARCH_EXPLAIN) {
      for (const q of [mix[0], mix[45], mix[170], mix[200]]) {
        const statement = q && statements.get(q);
        if (!q || !statement) continue;
        const plan = await pool.query<{ 'QUERY PLAN': string }>(
          `explain (analyze, buffers) ${statement.text}`,
          statement.values,
        );
        log(`\n${q.label} ${JSON.stringify(q.params)}`);
        for (const row of plan.rows) log(row['QUERY PLAN']);
      }
    }
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    let hits = 0;
    const failures: string[] = [];
    const viaApi = (extra: Partial<SearchParams>) => async (q: Query) => {
      const res = await fetch(`${base}/api/v1/search?${toQueryString({ ...q.params, ...extra })}`);
      const body = (await res.json()) as { items?: unknown[] };
      if (!res.ok) failures.push(`${q.label} ${q.params.q}: ${res.status}`);
      hits += body.items?.length ?? 0;
    };
    const apiItems = await drive(mix, viaApi({ kind: 'item' }));
    const api = await drive(mix, viaApi({}));
    const bare = await drive(mix, async (q) => {
      const statement = statements.get(q);
      if (statement) await pool.query(statement.text, statement.values);
    });
    const fmt = (ms: number) => ms.toFixed(2).padStart(8);
    log(
      `\n${mix.length} queries × ${PASSES} passes, ${CONCURRENCY} concurrent clients; ` +
        `${(hits / (2 * (mix.length * PASSES + 20))).toFixed(1)} hits per API answer; times in ms\n`,
    );
    log('search              |   p50   |   p95   |   p99   |  req/s');
    log('--------------------|---------|---------|---------|---------');
    for (const [name, s] of [
      ['API, kind=item', apiItems],
      ['API, all kinds', api],
      ['bare SQL (items)', bare],
    ] as const) {
      log(
        `${name.padEnd(20)}|${fmt(s.p50)} |${fmt(s.p95)} |${fmt(s.p99)} |${s.rps.toFixed(0).padStart(8)}`,
      );
    }
    log(`\nAPI (kind=item) p50 / bare SQL p50: ${(apiItems.p50 / bare.p50).toFixed(2)}x`);
    log(`API (all kinds) p50 / bare SQL p50: ${(api.p50 / bare.p50).toFixed(2)}x`);
    if (failures.length > 0)
      log(`${failures.length} API answers were not 200: ${failures.slice(0, 5).join('; ')}`);
    return [
      { name: 'search API, kind=item', ...apiItems },
      { name: 'search API, all kinds', ...api },
      { name: 'search bare SQL (items)', ...bare },
    ];
  } finally {
    await pool.end();
    await t.close();
  }
}
