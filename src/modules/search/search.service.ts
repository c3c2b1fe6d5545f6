// Search over items, projects and creators, the use case: the words as typed, then the last word
// as a prefix too, then "did you mean" and its results; one transaction under a statement
// timeout (a timeout is a 503); pages of hits from every kind merged in one order, their counts,
// and the next page's cursor. What the words mean is search.query.ts, where candidates come from
// search.plan.ts, the statements search.repository.ts, safe snippets search.snippet.ts.
import type { Db, Executor } from '../../db/database.js';
import type { ItemType } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { creatorPath, itemPath, projectPath } from '../catalog/index.js';
import { encodeSearchCursor } from './search.cursor.js';
import {
  applies,
  decided as decidedWith,
  KIND_RANK,
  planFor,
  type Kind,
  type Plan,
  type SearchParams,
} from './search.plan.js';
import { cleanQuery, parseQuery, queryWords } from './search.query.js';
import {
  countMatches,
  findClosestWords,
  findPrefixLexemes,
  findRankedRows,
  limitSearchTransaction,
  readShares,
  type SearchRow,
} from './search.repository.js';
import { renderSnippet } from './search.snippet.js';
import { itemStatement, type Statement } from './search.sql.js';

export interface SearchHit {
  kind: Kind;
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
  counts: Record<Kind, number>;
  suggestion: string | null;
}

const STATEMENT_TIMEOUT_MS = 2000;
/** Below this many hits on a first page, a spelling suggestion is looked for. */
const FEW = 3;

/** The plan with its item candidates' source decided from the statistics (search.plan.ts). */
const decided = (trx: Executor, db: Db, plan: Plan) =>
  decidedWith(plan, db, (keys) => readShares(trx, keys));

/** The SQL text and values search() runs for items, for the benchmark's bare-SQL baseline. */
export async function itemSearchStatement(db: Db, params: SearchParams): Promise<Statement> {
  const plan = planFor(params, { minPrefix: 3, titleSnippets: false, prefix: false });
  return itemStatement(await decided(db, db, plan));
}

interface RankedHit {
  hit: SearchHit;
  score: number;
  rank: number;
}

function toHit(kind: Kind, row: SearchRow): RankedHit {
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

/**
 * The plan with its last word's prefix expanded to the lexemes it begins (search_lexemes), so
 * the index reads exact words; a prefix that begins too many stays a prefix.
 */
async function expandedPrefix(trx: Executor, plan: Plan): Promise<Plan> {
  const { last, expanded } = plan.parsed;
  if (last === null || expanded !== undefined) return plan;
  const lexemes = await findPrefixLexemes(trx, last);
  return lexemes === null ? plan : { ...plan, parsed: { ...plan.parsed, expanded: lexemes } };
}

async function rankedPage(trx: Executor, db: Db, undecided: Plan): Promise<RankedPage> {
  const plan = await decided(trx, db, await expandedPrefix(trx, undecided));
  const ranked: RankedHit[] = [];
  const counts = { item: 0, project: 0, creator: 0 };
  const uncounted: Kind[] = (['item', 'project', 'creator'] as const).filter((kind) =>
    applies(plan, kind),
  );
  for (const kind of plan.kinds) {
    const rows = await findRankedRows(trx, plan, kind);
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
  const row = await countMatches(trx, page.plan, page.uncounted);
  const counts = { ...page.counts };
  for (const kind of page.uncounted) counts[kind] = row?.[kind] ?? 0;
  return counts;
}

/**
 * Runs the reads in one transaction with a statement timeout; a timeout is a 503, not a 500.
 * READ ONLY: an anonymous search may then run on the read replica (db/read-replica.ts).
 */
async function withTimeout<T>(db: Db, work: (trx: Executor) => Promise<T>): Promise<T> {
  try {
    return await db
      .transaction()
      .setAccessMode('read only')
      .execute(async (trx) => {
        await limitSearchTransaction(trx, STATEMENT_TIMEOUT_MS);
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
  const words = queryWords(q);
  if (words.length === 0) return null;
  const rows = await findClosestWords(trx, words);
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
      const retry =
        parsed.last === null
          ? undefined
          : await expandedPrefix(trx, { ...plan, parsed, source: undefined });
      // No lexeme begins with the word: the words as typed again, which found too little.
      if (retry !== undefined && retry.parsed.expanded?.length !== 0) {
        const more = await rankedPage(trx, db, retry);
        if (more.hits.length > page.hits.length) page = more;
      }
    }
    // Counts only for the page that is answered: a page given up for "did you mean" is not.
    const result = (counted: RankedPage, suggestion: string | null, q?: string) =>
      countsOf(trx, counted).then((counts) => ({
        items: counted.hits.map((h) => h.hit),
        next_cursor: nextCursor(counted.plan, counted, q),
        counts,
        suggestion,
      }));
    // "Did you mean", and its results when the words as typed find (almost) nothing.
    if (plan.after || page.hits.length >= FEW) return result(page, null, plan.after?.q);
    const suggestion = await correction(trx, cleanQuery(params.q));
    if (suggestion === null) return result(page, null);
    const fallbackPlan: Plan = {
      ...plan,
      parsed: { head: suggestion, last: null },
      source: undefined,
    };
    const fallback = await rankedPage(trx, db, fallbackPlan);
    if (page.hits.length === 0) return result(fallback, suggestion, suggestion);
    const merged = await result(page, suggestion);
    const seen = new Set(merged.items.map((hit) => hit.id));
    for (const extra of fallback.hits) {
      if (merged.items.length >= plan.limit) break;
      if (!seen.has(extra.hit.id)) merged.items.push(extra.hit);
    }
    merged.next_cursor = null;
    return merged;
  });
}

/** as-you-type: prefix matching of the last word, up to `limit` hits across kinds, no counts */
export async function suggest(db: Db, q: string, limit: number): Promise<SearchHit[]> {
  const plan = planFor({ q, limit }, { minPrefix: 2, titleSnippets: true, prefix: true });
  if (plan.parsed.head.trim() === '' && plan.parsed.last === null) return [];
  return withTimeout(db, async (trx) => (await rankedPage(trx, db, plan)).hits.map((h) => h.hit));
}
