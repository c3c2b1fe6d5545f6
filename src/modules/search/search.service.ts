// Search over items, projects and creators with PostgreSQL full text: websearch syntax plus a
// prefix for the last word, "did you mean" from a trigram vocabulary with a corrected-query
// fallback, ranking by ts_rank_cd blended with recency and sales, safe highlighted snippets,
// filters, keyset pagination and a statement timeout. Only what the public pages show appears:
// published items and projects of active creators.
import { escapeHtml } from '@kitajs/html';
import { CompiledQuery, sql } from 'kysely';
import { z } from 'zod';
import type { Db, Executor } from '../../db/database.js';
import type { ItemType } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { normaliseTag } from '../catalog/tags.js';
import { creatorPath, itemPath, projectPath } from '../catalog/public/urls.js';

export interface SearchParams {
  q: string;
  kind?: 'item' | 'project' | 'creator';
  type?: ItemType;
  price?: 'free' | 'paid';
  tag?: string;
  creator?: string /* handle */;
  limit: number;
  cursor?: string;
}

export interface SearchHit {
  kind: 'item' | 'project' | 'creator';
  id: string;
  title: string;
  url: string;
  /** SAFE HTML: user text escaped, only our <mark> tags */
  snippet: string;
  type?: ItemType;
  creator_handle?: string;
  creator_name?: string;
}

export interface SearchResult {
  items: SearchHit[];
  next_cursor: string | null;
  counts: { item: number; project: number; creator: number };
  suggestion: string | null;
}

type Kind = SearchHit['kind'];

/** Longer queries are cut: a tsquery word may not exceed 2047 bytes, and nobody types more. */
export const MAX_QUERY_LENGTH = 400;
export const MAX_LIMIT = 50;
/**
 * Full-text matches ranked per kind: the newest ones when a query matches more (see
 * itemCandidates and performance.md).
 */
const CANDIDATES = 400;
/** Where item candidates are looked for, window by window: days back from the search's time. */
const CANDIDATE_WINDOW_DAYS = [7, 30, 120, 365];
/** Counts stop here ("1000+"): a kind's candidates are its count. */
export const COUNT_CAP = CANDIDATES;
const STATEMENT_TIMEOUT_MS = 2000;
/** Below this many hits on a first page, a spelling suggestion is looked for. */
const FEW = 3;
const KIND_RANK: Record<Kind, number> = { item: 3, project: 2, creator: 1 };
// Private-use characters mark highlights inside ts_headline's output; user text loses them first.
const START = '\uE000';
const STOP = '\uE001';
const LT = '\uE002';
const GT = '\uE003';
const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
const TITLE_HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, HighlightAll=true`;

/** Without NUL and other control characters, without our sentinels, at most 400 characters. */
export function cleanQuery(q: string): string {
  return (
    q
      .normalize('NFKC')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\uE000\uE001]/g, ' ')
      .slice(0, MAX_QUERY_LENGTH)
  );
}

interface ParsedQuery {
  head: string;
  /** the last word, letters and digits only, matched as a prefix too */
  last: string | null;
}

function parseQuery(q: string, minPrefix: number): ParsedQuery {
  const match = /([\p{L}\p{N}]+)$/u.exec(q);
  if (match?.[1] === undefined || match[1].length < minPrefix) return { head: q, last: null };
  const before = q.slice(0, match.index);
  const insideQuotes = (before.match(/"/g)?.length ?? 0) % 2 === 1;
  const negated = before.endsWith('-');
  // After "or" the last word is an alternative, which search_query cannot express: no prefix.
  const afterOr = /(^|\s)or\s+$/i.test(before);
  if (insideQuotes || negated || afterOr || match[1].toLowerCase() === 'or') {
    return { head: q, last: null };
  }
  return { head: before, last: match[1] };
}

export interface Cursor {
  /** the reference time recency is measured from, fixed for every page of one search */
  r: string;
  s: number;
  k: number;
  i: string;
  /** the corrected query a fallback page continues with */
  q?: string | undefined;
  /** 1 when the last word matches as a prefix too */
  p?: 1 | undefined;
}

const cursorSchema = z.object({
  r: z.iso.datetime(),
  s: z.number(),
  k: z.number().int().min(1).max(3),
  i: z.uuid(),
  q: z.string().max(MAX_QUERY_LENGTH).optional(),
  p: z.literal(1).optional(),
});

export function encodeSearchCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeSearchCursor(cursor: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) {
    throw new AppError('INVALID_CURSOR', 422, 'That page link is not valid.', {
      fields: { cursor: 'Start from the first page.' },
    });
  }
  return result.data;
}

function normalisedTag(tag: string | undefined): string | undefined {
  if (tag === undefined || tag.trim() === '') return undefined;
  const result = normaliseTag(tag);
  if (!result.ok)
    throw new AppError('INVALID_TAG', 422, result.message, { fields: { tag: result.message } });
  return result.path;
}

interface Plan {
  parsed: ParsedQuery;
  kinds: Kind[];
  type: ItemType | undefined;
  price: 'free' | 'paid' | undefined;
  tag: string | undefined;
  creator: string | undefined;
  limit: number;
  ref: string;
  after: Cursor | undefined;
  /** snippets from titles (as-you-type) instead of descriptions */
  titleSnippets: boolean;
  /** how item candidates are found, decided from statistics (see candidateSource) */
  source?: CandidateSource | undefined;
}

class Params {
  values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The tsquery as an expression of two parameters. Written inline (not in a CTE), so PostgreSQL
 * folds it to a constant while planning and estimates how many rows match: a rare word uses
 * the GIN index, a very frequent one walks the newest items.
 */
function tsquery(p: Params, parsed: ParsedQuery): string {
  return `search_query(${p.add(parsed.head)}::text, ${p.add(parsed.last)}::text)`;
}

/**
 * The visibility and filter conditions of items (alias i). Type, price and tag are tokens of
 * `search_filters`, in the same GIN index as the words (migration 0019). The creator is checked
 * by a subquery per candidate, not a join: a join lets the planner hash all creators for a
 * window it expects to be large.
 */
function itemConditions(p: Params, plan: Plan): string {
  const where = [
    'i.search_vector @@ q.tsq',
    `i.status = 'published'`,
    `(select u.status = 'active' and u.is_creator from users u where u.id = i.creator_id)`,
  ];
  const filters: string[] = [];
  if (plan.type) filters.push(`type:${plan.type}`);
  if (plan.price) filters.push(`price:${plan.price}`);
  if (plan.tag !== undefined) filters.push(`tag:${plan.tag}`);
  if (filters.length > 0) where.push(`i.search_filters @> ${p.add(filters)}::text[]`);
  if (plan.creator !== undefined) {
    where.push(
      `i.creator_id = (select u.id from users u where lower(u.handle) = lower(${p.add(plan.creator)}))`,
    );
  }
  return where.join(' and ');
}

const DAY_MS = 86_400_000;
/** search_month() of migration 0019: 30-day months since 1970. */
const searchMonth = (ms: number) => Math.floor(ms / 1000 / 2_592_000);

/**
 * The candidates an item search ranks: the newest CANDIDATES matches, found window by window
 * (the last 7 days, then back to 30, 120, 365 days, then the rest). A window is read only while
 * the newer ones hold fewer than CANDIDATES matches, and the GIN index finds a window's matches
 * without reading the others, so a search reads about as many rows as it ranks. Queries that
 * match a large share of all items, or only a few thousand, need no windows (candidateSource):
 * the first walk down the newest items finds candidates in a few hundred rows, the second
 * reads all its matches from the index at once. Quoted phrases never walk.
 */
function itemCandidates(p: Params, plan: Plan): string {
  const columns = `i.id, i.title, i.type, i.slug, i.description, i.project_id, i.creator_id,
         i.search_vector, i.sales_count, i.published_at`;
  const conditions = itemConditions(p, plan);
  // A phrase's matches are far fewer than the planner expects (it counts a phrase as its
  // words), so it would walk far down the newest items: an order no index has forbids that.
  const phrase = plan.parsed.head.includes('"');
  const order = phrase ? `(i.published_at + interval '0 seconds') desc` : 'i.published_at desc';
  if (plan.source === 'walk' || plan.source === 'all') {
    return `cand as (
  select ${columns}
    from items i
   where ${conditions}
   order by ${order}, i.id desc
   limit ${CANDIDATES}
)`;
  }
  const ref = Date.parse(plan.ref);
  const bounds = CANDIDATE_WINDOW_DAYS.map((days) => ref - days * DAY_MS);
  const windows: string[] = [];
  for (let w = 0; w <= bounds.length; w++) {
    const from = bounds[w];
    const to = bounds[w - 1];
    const when: string[] = [];
    if (from !== undefined) {
      // Months as a list, not a range: each is one exact GIN key, which the index intersects
      // with the words' keys cheaply, where a range would first gather all its rows.
      const months: number[] = [];
      // (the newest window reaches a month past now: clocks differ a little)
      const last = to === undefined ? searchMonth(ref) + 1 : searchMonth(to);
      for (let m = searchMonth(from); m <= last; m++) months.push(m);
      when.push(`search_month(i.published_at) = any(${p.add(months)}::int[])`);
      when.push(`i.published_at >= ${p.add(new Date(from).toISOString())}::timestamptz`);
    }
    if (to !== undefined) {
      // The last window has no months: its matches come from the words alone.
      when.push(`i.published_at < ${p.add(new Date(to).toISOString())}::timestamptz`);
      const found = Array.from({ length: w }, (_, k) => `(select count(*) from w${k})`);
      when.push(`${found.join(' + ')} < ${CANDIDATES}`);
    }
    windows.push(`w${w} as materialized (
  select ${columns}
    from items i
   where ${conditions} and ${when.join(' and ')}
   order by ${order}
   limit ${CANDIDATES}
)`);
  }
  const all = windows.map((_, w) => `select * from w${w}`).join(' union all ');
  return `${windows.join(',\n')},
cand as (
  select * from (${all}) x order by x.published_at desc, x.id desc limit ${CANDIDATES}
)`;
}

function projectConditions(p: Params, plan: Plan): string {
  const where = ['pr.search_vector @@ q.tsq', `u.status = 'active'`, 'u.is_creator'];
  if (plan.creator !== undefined) where.push(`lower(u.handle) = lower(${p.add(plan.creator)})`);
  return where.join(' and ');
}

const CREATOR_CONDITIONS = `u.search_vector @@ q.tsq and u.status = 'active' and u.is_creator`;

/** 1 for new work, falling towards 0.6 over months; measured from the search's fixed time. */
const recency = (column: string, ref: string) =>
  `(0.6 + 0.4 / (1 + greatest(0, extract(epoch from (${ref}::timestamptz - ${column}))::float8) / 7776000))`;

function keyset(p: Params, plan: Plan, kind: Kind, alias: string): string {
  if (!plan.after) return '';
  return `where (${alias}.score, ${KIND_RANK[kind]}, ${alias}.id) < (${p.add(plan.after.s)}::float8, ${p.add(plan.after.k)}::int, ${p.add(plan.after.i)}::uuid)`;
}

function headline(p: Params, text: string, titleSnippets: boolean): string {
  const options = p.add(titleSnippets ? TITLE_HEADLINE_OPTIONS : HEADLINE_OPTIONS);
  // "<" and ">" travel as private-use characters: ts_headline would drop what looks like a tag.
  return `ts_headline('english', translate(${text}, E'<>\\uE000\\uE001', E'\\uE002\\uE003'), q.tsq, ${options})`;
}

function itemStatement(plan: Plan): { text: string; values: unknown[] } {
  const p = new Params();
  const tsq = tsquery(p, plan.parsed);
  const ref = p.add(plan.ref);
  const text = `with ${itemCandidates(p, plan)},
scored as (
  select c.*, (ts_rank_cd(c.search_vector, q.tsq, 32)::float8
           * (1 + 0.25 * ln(1 + greatest(0, c.sales_count + coalesce(
               (select sum(d.delta) from item_sales_pending d where d.item_id = c.id), 0))::float8))
           * ${recency('c.published_at', ref)})::float8 as score,
         count(*) over ()::int as total
    from cand c
),
page as (
  select s.* from scored s ${keyset(p, plan, 'item', 's')}
   order by s.score desc, s.id desc
   limit ${p.add(plan.limit + 1)}
)
select pg.id, pg.title, pg.type, pg.slug, pg.score, pg.total, u.handle, u.display_name,
       pr.slug as project_slug,
       ${headline(p, plan.titleSnippets ? 'pg.title' : `coalesce(nullif(pg.description, ''), pg.title)`, plan.titleSnippets)} as snippet
  from page pg join users u on u.id = pg.creator_id join projects pr on pr.id = pg.project_id
 order by pg.score desc, pg.id desc`;
  return { text: text.replaceAll('q.tsq', tsq), values: p.values };
}

function projectStatement(plan: Plan): { text: string; values: unknown[] } {
  const p = new Params();
  const tsq = tsquery(p, plan.parsed);
  const ref = p.add(plan.ref);
  const text = `with cand as (
  select pr.id, pr.title, pr.slug, pr.description, pr.created_at, pr.search_vector,
         u.handle, u.display_name
    from projects pr join users u on u.id = pr.creator_id
   where ${projectConditions(p, plan)}
   order by pr.created_at desc
   limit ${CANDIDATES}
),
page as (
  select * from (
    select c.*, (ts_rank_cd(c.search_vector, q.tsq, 32)::float8
             * ${recency('c.created_at', ref)})::float8 as score,
           count(*) over ()::int as total
      from cand c
  ) s ${keyset(p, plan, 'project', 's')}
   order by s.score desc, s.id desc
   limit ${p.add(plan.limit + 1)}
)
select pg.id, pg.title, pg.slug, pg.score, pg.total, pg.handle, pg.display_name,
       ${headline(p, plan.titleSnippets ? 'pg.title' : `coalesce(nullif(pg.description, ''), pg.title)`, plan.titleSnippets)} as snippet
  from page pg
 order by pg.score desc, pg.id desc`;
  return { text: text.replaceAll('q.tsq', tsq), values: p.values };
}

function creatorStatement(plan: Plan): { text: string; values: unknown[] } {
  const p = new Params();
  const tsq = tsquery(p, plan.parsed);
  const text = `with cand as (
  select u.id, u.handle, u.display_name, u.bio, u.search_vector, u.created_at
    from users u
   where ${CREATOR_CONDITIONS}
   order by u.created_at desc
   limit ${CANDIDATES}
),
page as (
  select * from (
    select c.*, ts_rank_cd(c.search_vector, q.tsq, 32)::float8 as score,
           count(*) over ()::int as total
      from cand c
  ) s ${keyset(p, plan, 'creator', 's')}
   order by s.score desc, s.id desc
   limit ${p.add(plan.limit + 1)}
)
select pg.id, pg.handle, pg.display_name, pg.score, pg.total,
       ${headline(p, plan.titleSnippets ? 'pg.display_name' : `coalesce(nullif(pg.bio, ''), pg.display_name)`, plan.titleSnippets)} as snippet
  from page pg
 order by pg.score desc, pg.id desc`;
  return { text: text.replaceAll('q.tsq', tsq), values: p.values };
}

/**
 * Where item candidates come from: `walk` (a query matching a large share of items: the newest
 * items hold enough matches), `all` (a query matching at most a few thousand items: read them
 * all from the index at once) or `windows` (the rest; itemCandidates).
 */
type CandidateSource = 'walk' | 'all' | 'windows';
/** Share of items above which a query walks the newest items for its candidates. */
const WALK_SHARE = 0.2;
/** Expected matches below which a query reads all of them. */
const ALL_MATCHES = 4000;
const STATS_TTL_MS = 10 * 60_000;
interface Shares {
  at: number;
  /** published items, as PostgreSQL last counted them */
  items: number;
  /** below the statistics' smallest share: a word they do not list */
  rare: number;
  keys: Map<string, number>;
}
/** Per database (tests build many): shares of words and filter tokens, from pg_stats. */
const shareCache = new WeakMap<Db, Shares>();

const SHARES_SQL = `with v as (
  select most_common_elems::text::text[] as e, most_common_elem_freqs as f
    from pg_stats
   where schemaname = current_schema() and tablename = 'items' and attname = 'search_vector'
), t as (
  select most_common_elems::text::text[] as e, most_common_elem_freqs as f
    from pg_stats
   where schemaname = current_schema() and tablename = 'items' and attname = 'search_filters'
)
select k.key,
       (case when left(k.key, 2) = 'w:' then
          -- a stop word has no lexeme and changes nothing: 1
          (select case when count(*) = 0 then 1
                       else max((select v.f[array_position(v.e, l)] from v)) end
             from unnest(tsvector_to_array(to_tsvector('english', search_unaccent(substr(k.key, 3))))) l)
        else (select t.f[array_position(t.e, substr(k.key, 3))] from t) end)::float8 as share,
       (select reltuples from pg_class where oid = 'items'::regclass)::float8 as items,
       (select f[array_length(e, 1)] from v)::float8 as smallest
  from unnest($1::text[]) k(key)`;

/**
 * The query's expected share of items: the product of its words' and filters' shares in
 * PostgreSQL's own statistics of the index columns (the planner's numbers, without its blind
 * spots for this statement), cached per process for ten minutes; one small query per search
 * for words not seen yet.
 */
async function candidateSource(db: Executor, cacheKey: Db, plan: Plan): Promise<CandidateSource> {
  if (plan.creator !== undefined) return 'all'; // one creator's items
  if (plan.parsed.last !== null) return 'windows'; // a prefix: its share is not in the statistics
  const head = plan.parsed.head.replace(/(^|\s)-\S+/g, ' ');
  if (/(^|\s)or(\s|$)/i.test(head)) return 'windows';
  const words = [...new Set((head.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8))];
  const filters: string[] = [];
  if (plan.type) filters.push(`type:${plan.type}`);
  if (plan.price) filters.push(`price:${plan.price}`);
  if (plan.tag !== undefined) filters.push(`tag:${plan.tag}`);
  const keys = [...words.map((w) => `w:${w}`), ...filters.map((f) => `f:${f}`)];
  if (keys.length === 0) return 'windows';
  let shares = shareCache.get(cacheKey);
  if (!shares || Date.now() - shares.at > STATS_TTL_MS) {
    shares = { at: Date.now(), items: 0, rare: 0, keys: new Map() };
    shareCache.set(cacheKey, shares);
  }
  const known = shares;
  const missing = keys.filter((key) => !known.keys.has(key));
  if (missing.length > 0) {
    const rows = await run<{
      key: string;
      share: number | null;
      items: number | null;
      smallest: number | null;
    }>(db, { text: SHARES_SQL, values: [missing] });
    if (known.keys.size > 10_000) known.keys.clear();
    for (const row of rows) {
      known.items = Math.max(0, row.items ?? 0);
      known.rare = (row.smallest ?? 0) / 2;
      known.keys.set(row.key, row.share ?? -1);
    }
  }
  // Words the statistics do not list are rarer than any they do.
  const share = keys.reduce((product, key) => {
    const found = known.keys.get(key) ?? -1;
    return product * (found < 0 ? known.rare : found);
  }, 1);
  if (share >= WALK_SHARE) return plan.parsed.head.includes('"') ? 'windows' : 'walk';
  return share * known.items <= ALL_MATCHES ? 'all' : 'windows';
}

/** The plan with its item candidates' source decided, once per query. */
async function decided(trx: Executor, cacheKey: Db, plan: Plan): Promise<Plan> {
  if (plan.source !== undefined || !plan.kinds.includes('item')) return plan;
  return { ...plan, source: await candidateSource(trx, cacheKey, plan) };
}

/** Whether a kind can match at all under the filters (type, price and tag are items' only). */
function applies(plan: Plan, kind: Kind): boolean {
  if (kind === 'item') return true;
  const itemOnly = plan.type !== undefined || plan.price !== undefined || plan.tag !== undefined;
  return !itemOnly && (kind === 'project' || plan.creator === undefined);
}

/** Counts of the kinds named (the others 0), each capped at COUNT_CAP. */
function countStatement(plan: Plan, kinds: Kind[]): { text: string; values: unknown[] } {
  const p = new Params();
  const tsq = tsquery(p, plan.parsed);
  const itemsApply = kinds.includes('item');
  const projectsApply = kinds.includes('project');
  const creatorsApply = kinds.includes('creator');
  const count = (from: string, where: string) =>
    `(select count(*)::int from (select 1 from ${from} where ${where} limit ${COUNT_CAP}) x)`;
  const items = itemsApply
    ? `(with ${itemCandidates(p, plan)} select count(*)::int from cand)`
    : '0';
  const text = `select ${items} as item,
       ${projectsApply ? count('projects pr join users u on u.id = pr.creator_id', projectConditions(p, plan)) : '0'} as project,
       ${creatorsApply ? count('users u', CREATOR_CONDITIONS) : '0'} as creator`;
  return { text: text.replaceAll('q.tsq', tsq), values: p.values };
}

function planFor(
  params: SearchParams,
  options: { minPrefix: number; titleSnippets: boolean; prefix: boolean },
): Plan {
  const after = params.cursor ? decodeSearchCursor(params.cursor) : undefined;
  const q = cleanQuery(after?.q ?? params.q);
  const creator = params.creator?.trim();
  const prefix = options.prefix || after?.p === 1;
  const plan: Plan = {
    parsed: prefix ? parseQuery(q, options.minPrefix) : { head: q, last: null },
    kinds: [],
    type: params.type,
    price: params.price,
    tag: normalisedTag(params.tag),
    creator: creator === '' ? undefined : creator,
    limit: Math.max(1, Math.min(MAX_LIMIT, Math.floor(params.limit) || 1)),
    ref: after?.r ?? new Date().toISOString(),
    after,
    titleSnippets: options.titleSnippets,
  };
  const kinds = params.kind ? [params.kind] : (['item', 'project', 'creator'] as const);
  plan.kinds = kinds.filter((kind) => applies(plan, kind));
  return plan;
}

/** The SQL text and values search() runs for items, for the benchmark's bare-SQL baseline. */
export async function itemSearchStatement(
  db: Db,
  params: SearchParams,
): Promise<{ text: string; values: unknown[] }> {
  const plan = planFor(params, { minPrefix: 3, titleSnippets: false, prefix: false });
  return itemStatement(await decided(db, db, plan));
}

interface Row {
  id: string;
  title?: string;
  type?: ItemType;
  slug?: string;
  score: number;
  /** matches of this kind, up to COUNT_CAP */
  total: number;
  handle: string;
  display_name: string;
  project_slug?: string;
  snippet: string;
}

/** Escapes everything, then turns our sentinels into <mark> elements and escaped brackets. */
export function renderSnippet(raw: string): string {
  return escapeHtml(raw)
    .replaceAll(START, '<mark>')
    .replaceAll(STOP, '</mark>')
    .replaceAll(LT, '&lt;')
    .replaceAll(GT, '&gt;');
}

interface RankedHit {
  hit: SearchHit;
  score: number;
  rank: number;
}

function toHit(kind: Kind, row: Row): RankedHit {
  const snippet = renderSnippet(row.snippet);
  const base = { score: row.score, rank: KIND_RANK[kind] };
  if (kind === 'item') {
    return {
      ...base,
      hit: {
        kind,
        id: row.id,
        title: row.title ?? '',
        url: itemPath(row.handle, row.project_slug ?? '', row.slug ?? ''),
        snippet,
        ...(row.type && { type: row.type }),
        creator_handle: row.handle,
        creator_name: row.display_name,
      },
    };
  }
  if (kind === 'project') {
    return {
      ...base,
      hit: {
        kind,
        id: row.id,
        title: row.title ?? '',
        url: projectPath(row.handle, row.slug ?? ''),
        snippet,
        creator_handle: row.handle,
        creator_name: row.display_name,
      },
    };
  }
  return {
    ...base,
    hit: {
      kind,
      id: row.id,
      title: row.display_name,
      url: creatorPath(row.handle),
      snippet,
      creator_handle: row.handle,
      creator_name: row.display_name,
    },
  };
}

const STATEMENTS: Record<Kind, (plan: Plan) => { text: string; values: unknown[] }> = {
  item: itemStatement,
  project: projectStatement,
  creator: creatorStatement,
};

async function run<T>(db: Executor, statement: { text: string; values: unknown[] }): Promise<T[]> {
  const result = await db.executeQuery<T>(CompiledQuery.raw(statement.text, statement.values));
  return result.rows;
}

/** (score, kind rank, id) descending: the order every page and every kind agree on. */
function compare(a: RankedHit, b: RankedHit): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.rank !== b.rank) return b.rank - a.rank;
  return a.hit.id < b.hit.id ? 1 : a.hit.id > b.hit.id ? -1 : 0;
}

interface RankedPage {
  hits: RankedHit[];
  more: boolean;
  /** counts learnt on the way (a kind's candidates are its count); the rest still to count */
  counts: SearchResult['counts'];
  uncounted: Kind[];
  /** the plan, with its item candidates decided */
  plan: Plan;
}

async function rankedPage(trx: Executor, db: Db, undecided: Plan): Promise<RankedPage> {
  const plan = await decided(trx, db, undecided);
  const ranked: RankedHit[] = [];
  const counts = { item: 0, project: 0, creator: 0 };
  const uncounted: Kind[] = (['item', 'project', 'creator'] as const).filter((kind) =>
    applies(plan, kind),
  );
  for (const kind of plan.kinds) {
    const rows = await run<Row>(trx, STATEMENTS[kind](plan));
    for (const row of rows) ranked.push(toHit(kind, row));
    // An empty later page says nothing about the count; an empty first page says 0.
    if (rows[0] || !plan.after) {
      counts[kind] = rows[0]?.total ?? 0;
      uncounted.splice(uncounted.indexOf(kind), 1);
    }
  }
  ranked.sort(compare);
  const more = ranked.length > plan.limit;
  return { hits: ranked.slice(0, plan.limit), more, counts, uncounted, plan };
}

async function countsOf(trx: Executor, page: RankedPage) {
  if (page.uncounted.length === 0) return page.counts;
  const [row] = await run<SearchResult['counts']>(trx, countStatement(page.plan, page.uncounted));
  const counts = { ...page.counts };
  for (const kind of page.uncounted) counts[kind] = row?.[kind] ?? 0;
  return counts;
}

/** Runs the reads in one transaction with a statement timeout; a timeout is a 503, not a 500. */
async function withTimeout<T>(db: Db, work: (trx: Executor) => Promise<T>): Promise<T> {
  try {
    return await db.transaction().execute(async (trx) => {
      // No parallel workers: starting them costs more than these small scans, and concurrent
      // searches already use every core.
      await sql`set local statement_timeout = ${sql.lit(STATEMENT_TIMEOUT_MS)}`.execute(trx);
      await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
      return work(trx);
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === '57014') {
      throw new AppError('SEARCH_TIMEOUT', 503, 'Search took too long. Try more specific words.', {
        retryAfter: 5,
        cause: error,
      });
    }
    throw error;
  }
}

/** Each word replaced by the most similar word of published titles and tags, or null. */
async function correction(trx: Executor, q: string): Promise<string | null> {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  if (words.length === 0) return null;
  const rows = await run<{ word: string; best: string | null }>(trx, {
    text: `select w.word,
                  (select s.word from search_words s
                    where s.word % lower(search_unaccent(w.word))
                    order by similarity(s.word, lower(search_unaccent(w.word))) desc, s.word
                    limit 1) as best
             from unnest($1::text[]) with ordinality w(word, n)
            order by w.n`,
    values: [words],
  });
  const corrected = rows.map((row) =>
    row.word.length < 3 || row.best === null ? row.word : row.best,
  );
  return corrected.some((word, i) => word !== rows[i]?.word) ? corrected.join(' ') : null;
}

const emptyResult = (): SearchResult => ({
  items: [],
  next_cursor: null,
  counts: { item: 0, project: 0, creator: 0 },
  suggestion: null,
});

function nextCursor(plan: Plan, page: { hits: RankedHit[]; more: boolean }, q?: string) {
  const last = page.hits.at(-1);
  if (!page.more || !last) return null;
  const p = plan.parsed.last === null ? undefined : 1;
  return encodeSearchCursor({ r: plan.ref, s: last.score, k: last.rank, i: last.hit.id, q, p });
}

/**
 * The words as typed; when they find little, the last word as a prefix too ("ambi"), and when
 * that finds little, "did you mean" and its results. A prefix is not tried first: a prefix of
 * a common word matches a large part of the index, which the words as typed rarely need.
 */
export async function search(db: Db, params: SearchParams): Promise<SearchResult> {
  const plan = planFor(params, { minPrefix: 3, titleSnippets: false, prefix: false });
  if (plan.parsed.head.trim() === '' && plan.parsed.last === null) return emptyResult();
  return withTimeout(db, async (trx) => {
    let page = await rankedPage(trx, db, plan);
    if (!plan.after && page.hits.length < FEW) {
      const parsed = parseQuery(plan.parsed.head, 3);
      if (parsed.last !== null) {
        const more = await rankedPage(trx, db, { ...plan, parsed, source: undefined });
        if (more.hits.length > page.hits.length) page = more;
      }
    }
    const result: SearchResult = {
      items: page.hits.map((h) => h.hit),
      next_cursor: nextCursor(page.plan, page, plan.after?.q),
      counts: await countsOf(trx, page),
      suggestion: null,
    };
    // "Did you mean", and its results when the words as typed find (almost) nothing.
    if (plan.after || page.hits.length >= FEW) return result;
    const q = cleanQuery(params.q);
    const suggestion = await correction(trx, q);
    if (suggestion === null) return result;
    result.suggestion = suggestion;
    const fallbackPlan: Plan = {
      ...plan,
      parsed: { head: suggestion, last: null },
      source: undefined,
    };
    const fallback = await rankedPage(trx, db, fallbackPlan);
    if (page.hits.length === 0) {
      return {
        items: fallback.hits.map((h) => h.hit),
        next_cursor: nextCursor(fallback.plan, fallback, suggestion),
        counts: await countsOf(trx, fallback),
        suggestion,
      };
    }
    const seen = new Set(result.items.map((hit) => hit.id));
    for (const extra of fallback.hits) {
      if (result.items.length >= plan.limit) break;
      if (!seen.has(extra.hit.id)) result.items.push(extra.hit);
    }
    result.next_cursor = null;
    return result;
  });
}

/** as-you-type: prefix matching of the last word, up to `limit` hits across kinds, no counts */
export async function suggest(db: Db, q: string, limit: number): Promise<SearchHit[]> {
  const plan = planFor({ q, limit }, { minPrefix: 2, titleSnippets: true, prefix: true });
  if (plan.parsed.head.trim() === '' && plan.parsed.last === null) return [];
  return withTimeout(db, async (trx) => (await rankedPage(trx, db, plan)).hits.map((h) => h.hit));
}
