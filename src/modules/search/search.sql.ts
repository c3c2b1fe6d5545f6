// The statements of search, built as text with numbered parameters: each kind's ranked page
// (candidates, score, keyset, snippet) and the counts. Their shape (a CTE materialised per
// window, the tsquery inline so the planner sees its words) is what keeps them fast, which a
// query builder would not let us say; nothing the person typed is ever pasted in.
// Visibility follows the public pages: published work of active creators.
import {
  CANDIDATES,
  COUNT_CAP,
  KIND_RANK,
  candidateWindows,
  filterTokens,
  type Kind,
  type Plan,
} from './search.plan.js';
import { tsquery, type ParamList, type ParsedQuery } from './search.query.js';
import { HEADLINE_OPTIONS, TITLE_HEADLINE_OPTIONS } from './search.snippet.js';

export interface Statement {
  text: string;
  values: unknown[];
}

/** The statement text with the query's expressions in place of q.tsq and q.rank. */
const withQuery = (text: string, tsq: { match: string; rank: string; words: string }) =>
  text
    .replaceAll('q.tsq', tsq.match)
    .replaceAll('q.rank', tsq.rank)
    .replaceAll('q.words', tsq.words);

/**
 * Rows of a quoted phrase's words read at most (newest first, window by window) to find the
 * phrase's candidates among them. A GIN index knows words, not their order: every row holding
 * the words must be read to check the phrase, and for a phrase of two common words that was
 * 18,000 rows for 600 matches (0.3–1 s). Bounded, a phrase ranks its matches among the newest
 * PHRASE_ROWS rows holding its words: fewer candidates, found in a bounded time.
 */
export const PHRASE_ROWS = 2000;

/**
 * Whether the query's phrases may be looked for among their words' rows: only when every row
 * matching the query holds all the words (no negation, no "or").
 */
function phraseWithin(plan: Plan): boolean {
  const head = plan.parsed.head;
  return head.includes('"') && !/(^|\s)-/.test(head) && !/(^|\s)or(\s|$)/i.test(head);
}

class Params implements ParamList {
  values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The visibility and filter conditions of items (alias i). Type, price and tag are tokens of
 * `search_filters`, in the same GIN index as the words (migration 0019). The creator is checked
 * by a subquery per candidate, not a join: a join lets the planner hash all creators for a
 * window it expects to be large.
 */
function itemConditions(p: Params, plan: Plan, query = 'q.tsq'): string {
  const where = [
    `i.search_vector @@ ${query}`,
    `i.status = 'published'`,
    `(select u.status = 'active' and u.is_creator from users u where u.id = i.creator_id)`,
  ];
  const filters = filterTokens(plan);
  if (filters.length > 0) where.push(`i.search_filters @> ${p.add(filters)}::text[]`);
  if (plan.creator !== undefined) {
    where.push(
      `i.creator_id = (select u.id from users u where lower(u.handle) = lower(${p.add(plan.creator)}))`,
    );
  }
  return where.join(' and ');
}

/**
 * The candidates an item search ranks: the newest CANDIDATES matches, found window by window
 * (candidateWindows). A window is read only while the newer ones hold fewer than CANDIDATES
 * matches, and the GIN index finds a window's matches without reading the others, so a search
 * reads about as many rows as it ranks. Queries that match a large share of all items, or only
 * a few thousand, need no windows (candidateSource): the first walk down the newest items finds
 * candidates in a few hundred rows, the second reads all its matches from the index at once.
 * Quoted phrases never walk.
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
  // A phrase among its words' rows: each window reads rows holding the words, and the
  // windows stop at CANDIDATES phrase matches or PHRASE_ROWS rows read.
  const within = plan.source === 'phrase' && phraseWithin(plan);
  const windowConditions = within ? itemConditions(p, plan, 'q.words') : conditions;
  const windowLimit = within ? PHRASE_ROWS : CANDIDATES;
  const windows = candidateWindows(plan, within).map(({ since, before }, w) => {
    const when: string[] = [];
    if (since !== undefined) {
      when.push(`search_week(i.published_at) = any(${p.add(since.weeks)}::int[])`);
      when.push(`i.published_at >= ${p.add(since.at)}::timestamptz`);
    }
    if (before !== undefined) {
      when.push(`i.published_at < ${p.add(before)}::timestamptz`);
      const newer = Array.from({ length: w }, (_, k) => k);
      const sum = (count: string) => newer.map((k) => `(select ${count} from w${k} x)`).join(' + ');
      if (within) {
        when.push(`${sum('count(*) filter (where x.search_vector @@ q.tsq)')} < ${CANDIDATES}`);
        when.push(`${sum('count(*)')} < ${PHRASE_ROWS}`);
      } else {
        when.push(`${sum('count(*)')} < ${CANDIDATES}`);
      }
    }
    return `w${w} as materialized (
  select ${columns}
    from items i
   where ${windowConditions} and ${when.join(' and ')}
   order by ${order}
   limit ${windowLimit}
)`;
  });
  const all = windows.map((_, w) => `select * from w${w}`).join(' union all ');
  return `${windows.join(',\n')},
cand as (
  select * from (${all}) x ${within ? 'where x.search_vector @@ q.tsq' : ''}
   order by x.published_at desc, x.id desc limit ${CANDIDATES}
)`;
}

/*
 * Projects and creators match with q.rank, the prefix as a prefix: they are few (a prefix's
 * bitmap over them is small), and a prefix expanded to forty words made the planner scan and
 * test every row against all forty (270 ms for a count at 50,000 projects and creators).
 */
/** The query with its prefix unexpanded (no unused parameter for statements without items). */
const asPrefix = (parsed: ParsedQuery): ParsedQuery => ({ ...parsed, expanded: undefined });

function projectConditions(p: Params, plan: Plan): string {
  const where = ['pr.search_vector @@ q.rank', `u.status = 'active'`, 'u.is_creator'];
  if (plan.creator !== undefined) where.push(`lower(u.handle) = lower(${p.add(plan.creator)})`);
  return where.join(' and ');
}

const CREATOR_CONDITIONS = `u.search_vector @@ q.rank and u.status = 'active' and u.is_creator`;

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
  return `ts_headline('english', translate(${text}, E'<>\\uE000\\uE001', E'\\uE002\\uE003'), q.rank, ${options})`;
}

export function itemStatement(plan: Plan): Statement {
  const p = new Params();
  const tsq = tsquery(p, plan.parsed);
  const ref = p.add(plan.ref);
  const text = `with ${itemCandidates(p, plan)},
scored as (
  select c.*, (ts_rank_cd(c.search_vector, q.rank, 32)::float8
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
  return { text: withQuery(text, tsq), values: p.values };
}

function projectStatement(plan: Plan): Statement {
  const p = new Params();
  const tsq = tsquery(p, asPrefix(plan.parsed));
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
    select c.*, (ts_rank_cd(c.search_vector, q.rank, 32)::float8
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
  return { text: withQuery(text, tsq), values: p.values };
}

function creatorStatement(plan: Plan): Statement {
  const p = new Params();
  const tsq = tsquery(p, asPrefix(plan.parsed));
  const text = `with cand as (
  select u.id, u.handle, u.display_name, u.bio, u.search_vector, u.created_at
    from users u
   where ${CREATOR_CONDITIONS}
   order by u.created_at desc
   limit ${CANDIDATES}
),
page as (
  select * from (
    select c.*, ts_rank_cd(c.search_vector, q.rank, 32)::float8 as score,
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
  return { text: withQuery(text, tsq), values: p.values };
}

/** Counts of the kinds named (the others 0), each capped at COUNT_CAP. */
export function countStatement(plan: Plan, kinds: Kind[]): Statement {
  const p = new Params();
  const tsq = tsquery(p, kinds.includes('item') ? plan.parsed : asPrefix(plan.parsed));
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
  return { text: withQuery(text, tsq), values: p.values };
}

/** The statement of one kind's ranked page. */
export const RANKED_STATEMENTS: Record<Kind, (plan: Plan) => Statement> = {
  item: itemStatement,
  project: projectStatement,
  creator: creatorStatement,
};
