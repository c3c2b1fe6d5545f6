// Bulk seeding shared by the benches (search.ts, pages.ts): published items, creators with a
// project each, titles and descriptions drawn from a Zipf-distributed vocabulary of 20,000 words,
// realistic tag paths and some sales, all in SQL (INSERT … SELECT from generate_series), so a
// million items take minutes, not hours.
import { sql } from 'kysely';
import type { Db } from '../src/db/database.js';

export const VOCABULARY = 20_000;

/** How many creators (each with one project) a catalogue of `items` items has. */
export function creatorsFor(items: number): number {
  return Math.min(50_000, Math.max(100, Math.floor(items / 20)));
}

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
export const TAGS = [
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

/**
 * Seeds `items` published items in bulk (SQL, no app code per row): `creatorsFor(items)` creators
 * with a project each, Zipf-distributed titles and descriptions, tags from TAGS, sales on 30 %.
 * Creators are `c<n>` (handles) with projects `works`; items are slugged `i<n>`. Drops and rebuilds
 * the search indexes around the load (as migration 0019 makes them), then analyzes.
 */
export async function seedItems(kdb: Db, opts: { items: number; log: (s: string) => void }) {
  const { items: ITEMS, log } = opts;
  const CREATORS = creatorsFor(ITEMS);
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
