// Planning a search before any statement is built: the request as a Plan (cleaned words,
// filters, page size, reference time, cursor), which kinds can match at all, and where item
// candidates come from: walking the newest items, reading all matches, or week windows newest
// first (candidateSource from PostgreSQL's statistics; see docs/performance.md, "Search").
import type { Db } from '../../db/database.js';
import type { ItemType } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { normaliseTag } from '../catalog/index.js';
import { decodeSearchCursor, type Cursor } from './search.cursor.js';
import { cleanQuery, parseQuery, queryWords, type ParsedQuery } from './search.query.js';

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

export type Kind = 'item' | 'project' | 'creator';

export const MAX_LIMIT = 50;
/**
 * Full-text matches ranked per kind: the newest ones when a query matches more (see
 * itemCandidates and performance.md).
 */
export const CANDIDATES = 400;
/**
 * Where item candidates are looked for, window by window: days back from the search's time.
 * Each reaches about twice as far back as the one before, so a window reads at most about as
 * many rows again as the newer ones found, however few the search still needs (7, 30, 120 read
 * 1,305 rows for the last 32 of a filtered search).
 */
const CANDIDATE_WINDOW_DAYS = [7, 14, 30, 60, 120, 240, 365];
/**
 * Further windows for a phrase among its words' rows: the last window (everything older)
 * reads all its matches at once, which bounds nothing (5,240 rows for a phrase of a rare word).
 */
const FURTHER_WINDOW_DAYS = [730, 1460];
/** Counts stop here ("1000+"): a kind's candidates are its count. */
export const COUNT_CAP = CANDIDATES;
/** The order of kinds among equal scores, also the cursor's `k`. */
export const KIND_RANK: Record<Kind, number> = { item: 3, project: 2, creator: 1 };

/**
 * Where item candidates come from: `walk` (a query matching a large share of items: the newest
 * items hold enough matches), `all` (a query matching at most a few thousand items: read them
 * all from the index at once), `windows` (the rest; candidateWindows) or `phrase` (windows of
 * a phrase's words' rows, bounded: a phrase of words that are together in many items).
 */
export type CandidateSource = 'walk' | 'all' | 'windows' | 'phrase';

export interface Plan {
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

function normalisedTag(tag: string | undefined): string | undefined {
  if (tag === undefined || tag.trim() === '') return undefined;
  const result = normaliseTag(tag);
  if (!result.ok)
    throw new AppError('INVALID_TAG', 422, result.message, { fields: { tag: result.message } });
  return result.path;
}

/** Whether a kind can match at all under the filters (type, price and tag are items' only). */
export function applies(plan: Plan, kind: Kind): boolean {
  if (kind === 'item') return true;
  const itemOnly = plan.type !== undefined || plan.price !== undefined || plan.tag !== undefined;
  return !itemOnly && (kind === 'project' || plan.creator === undefined);
}

export function planFor(
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

/** The filter tokens of `search_filters` (migration 0019) the plan asks for. */
export function filterTokens(plan: Plan): string[] {
  const filters: string[] = [];
  if (plan.type) filters.push(`type:${plan.type}`);
  if (plan.price) filters.push(`price:${plan.price}`);
  if (plan.tag !== undefined) filters.push(`tag:${plan.tag}`);
  return filters;
}

const DAY_MS = 86_400_000;
/** search_week() of migration 0041: 7-day weeks since 1970. */
const searchWeek = (ms: number) => Math.floor(ms / 1000 / 604_800);

/** One window of item candidates: published since (in these weeks) and before a time. */
export interface CandidateWindow {
  since?: { at: string; weeks: number[] } | undefined;
  before?: string | undefined;
}

/**
 * The windows item candidates are looked for in, newest first: the last 7 days, then back to
 * 14, 30, 60, 120, 240, 365 days (and 730, 1460 when `further`), then the rest. A window is read only while the newer ones hold fewer than
 * CANDIDATES matches (itemCandidates in search.repository.ts).
 */
export function candidateWindows(plan: Plan, further = false): CandidateWindow[] {
  const ref = Date.parse(plan.ref);
  const days = further ? [...CANDIDATE_WINDOW_DAYS, ...FURTHER_WINDOW_DAYS] : CANDIDATE_WINDOW_DAYS;
  const bounds = days.map((d) => ref - d * DAY_MS);
  const windows: CandidateWindow[] = [];
  for (let w = 0; w <= bounds.length; w++) {
    const from = bounds[w];
    const to = bounds[w - 1];
    const window: CandidateWindow = {};
    if (from !== undefined) {
      // Weeks as a list, not a range: each is one exact GIN key, which the index intersects
      // with the words' keys cheaply, where a range would first gather all its rows.
      const weeks: number[] = [];
      // (the newest window reaches a week past now: clocks differ a little)
      const last = to === undefined ? searchWeek(ref) + 1 : searchWeek(to);
      for (let k = searchWeek(from); k <= last; k++) weeks.push(k);
      window.since = { at: new Date(from).toISOString(), weeks };
    }
    // The last window has no weeks: its matches come from the words alone.
    if (to !== undefined) window.before = new Date(to).toISOString();
    windows.push(window);
  }
  return windows;
}

/** Rows holding a phrase's words (as the statistics list them) from which it is bounded. */
const PHRASE_WORD_ROWS = 20_000;
/** Share of items above which a query walks the newest items for its candidates. */
const WALK_SHARE = 0.2;
/** Expected matches below which a query reads all of them. */
const ALL_MATCHES = 4000;
const STATS_TTL_MS = 10 * 60_000;

/** A word's (`w:`), lexeme's (`l:`) or filter token's (`f:`) share of items (readShares). */
export interface ShareRow {
  key: string;
  share: number | null;
  /** published items, as PostgreSQL last counted them */
  items: number | null;
  /** the statistics' smallest listed share */
  smallest: number | null;
}
export type ReadShares = (keys: string[]) => Promise<ShareRow[]>;

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

/**
 * The query's expected share of items: the product of its words' and filters' shares in
 * PostgreSQL's own statistics of the index columns (the planner's numbers, without its blind
 * spots for this statement), cached per process for ten minutes; one small query per search
 * for words not seen yet.
 */
async function candidateSource(
  plan: Plan,
  cacheKey: Db,
  readShares: ReadShares,
): Promise<CandidateSource> {
  if (plan.creator !== undefined) return 'all'; // one creator's items
  const { last, expanded } = plan.parsed;
  // A prefix as a prefix: its share is not in the statistics.
  if (last !== null && expanded === undefined) return 'windows';
  const head = plan.parsed.head.replace(/(^|\s)-\S+/g, ' ');
  if (/(^|\s)or(\s|$)/i.test(head)) return 'windows';
  const words = [...new Set(queryWords(head))];
  const keys = [...words.map((w) => `w:${w}`), ...filterTokens(plan).map((f) => `f:${f}`)];
  // The last word as typed or any lexeme it begins: one of them, so their shares add up.
  const anyOf = last === null ? [] : [`w:${last}`, ...(expanded ?? []).map((l) => `l:${l}`)];
  if (keys.length === 0 && anyOf.length === 0) return 'windows';
  let shares = shareCache.get(cacheKey);
  if (!shares || Date.now() - shares.at > STATS_TTL_MS) {
    shares = { at: Date.now(), items: 0, rare: 0, keys: new Map() };
    shareCache.set(cacheKey, shares);
  }
  const known = shares;
  const missing = [...keys, ...anyOf].filter((key) => !known.keys.has(key));
  if (missing.length > 0) {
    const rows = await readShares(missing);
    if (known.keys.size > 10_000) known.keys.clear();
    for (const row of rows) {
      known.items = Math.max(0, row.items ?? 0);
      known.rare = (row.smallest ?? 0) / 2;
      known.keys.set(row.key, row.share ?? -1);
    }
  }
  // Words the statistics do not list are rarer than any they do: `rare` as an estimate, 0 as
  // the least they can be. Only what the statistics list can make a query walk: a prefix that
  // begins forty unlisted words may still be a rare one.
  const shareOf = (key: string, unlisted: number) => {
    const found = known.keys.get(key) ?? -1;
    return found < 0 ? unlisted : found;
  };
  const estimate = (unlisted: number) => {
    const either =
      anyOf.length === 0
        ? 1
        : Math.min(
            1,
            anyOf.reduce((sum, key) => sum + shareOf(key, unlisted), 0),
          );
    return keys.reduce((product, key) => product * shareOf(key, unlisted), either);
  };
  const phrase = plan.parsed.head.includes('"');
  // A phrase whose words the statistics say are together in many rows: look for it among the
  // newest of them only (PHRASE_ROWS in search.sql.ts). Rarer words hold few rows anyway.
  if (phrase && estimate(0) * known.items >= PHRASE_WORD_ROWS) return 'phrase';
  if (estimate(0) >= WALK_SHARE) return phrase ? 'windows' : 'walk';
  return estimate(known.rare) * known.items <= ALL_MATCHES ? 'all' : 'windows';
}

/** The plan with its item candidates' source decided, once per query. */
export async function decided(plan: Plan, cacheKey: Db, readShares: ReadShares): Promise<Plan> {
  if (plan.source !== undefined || !plan.kinds.includes('item')) return plan;
  return { ...plan, source: await candidateSource(plan, cacheKey, readShares) };
}
