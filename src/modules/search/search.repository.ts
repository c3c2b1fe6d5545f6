// Search's reads: each kind's ranked page and the counts (statements from search.sql.ts), the
// statistics candidate planning reads, the "did you mean" lookup, and the limits of the
// transaction they run in.
import { CompiledQuery, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ItemType } from '../../db/schema.js';
import type { Kind, Plan, ShareRow } from './search.plan.js';
import { countStatement, RANKED_STATEMENTS, type Statement } from './search.sql.js';

/** A ranked row of any kind, as the kind's statement answers it. */
export interface SearchRow {
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
  /** ts_headline's output with our sentinels (search.snippet.ts) */
  snippet: string;
}

async function run<T>(db: Executor, statement: Statement): Promise<T[]> {
  const result = await db.executeQuery<T>(CompiledQuery.raw(statement.text, statement.values));
  return result.rows;
}

/** One page (plus one row, to know whether more follow) of one kind's matches, best first. */
export function findRankedRows(db: Executor, plan: Plan, kind: Kind): Promise<SearchRow[]> {
  return run<SearchRow>(db, RANKED_STATEMENTS[kind](plan));
}

/** Matches of each kind named, up to COUNT_CAP; the others 0. */
export async function countMatches(
  db: Executor,
  plan: Plan,
  kinds: Kind[],
): Promise<Record<Kind, number> | undefined> {
  const [row] = await run<Record<Kind, number>>(db, countStatement(plan, kinds));
  return row;
}

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
        when left(k.key, 2) = 'l:' then (select v.f[array_position(v.e, substr(k.key, 3))] from v)
        else (select t.f[array_position(t.e, substr(k.key, 3))] from t) end)::float8 as share,
       (select reltuples from pg_class where oid = 'items'::regclass)::float8 as items,
       (select f[array_length(e, 1)] from v)::float8 as smallest
  from unnest($1::text[]) k(key)`;

/** Shares of items of words (`w:word`), lexemes (`l:lexeme`), filter tokens (`f:token`) in pg_stats. */
export function readShares(db: Executor, keys: string[]): Promise<ShareRow[]> {
  return run<ShareRow>(db, { text: SHARES_SQL, values: [keys] });
}

/** At most this many lexemes stand for a prefix; one that begins more is matched as a prefix. */
export const MAX_EXPANSIONS = 64;

/**
 * The lexemes of search_lexemes (migration 0040) that begin with the word's lexeme, when the word
 * is one lexeme (as `simple` reads it, as search_prefix_query does) beginning at most
 * MAX_EXPANSIONS lexemes; otherwise null.
 */
export async function findPrefixLexemes(db: Executor, word: string): Promise<string[] | null> {
  const rows = await run<{ lexemes: string[] | null }>(db, {
    // A range, not LIKE: the bounds come from the word's lexeme, known only while running.
    text: `with p as (
             select l collate "C" as l
               from unnest(tsvector_to_array(to_tsvector('simple', search_unaccent($1::text)))) l
           )
           select case when (select count(*) from p) = 1 then
                    array(select s.lexeme from p, search_lexemes s
                           where s.lexeme >= p.l and s.lexeme < p.l || chr(1114111)
                             and starts_with(s.lexeme, p.l)
                           order by s.lexeme
                           limit ${MAX_EXPANSIONS + 1})
                  end as lexemes`,
    values: [word],
  });
  const lexemes = rows[0]?.lexemes ?? null;
  return lexemes === null || lexemes.length > MAX_EXPANSIONS ? null : lexemes;
}

/** For each word, the most similar word of published titles and tags (trigrams), or null. */
export function findClosestWords(
  db: Executor,
  words: string[],
): Promise<{ word: string; best: string | null }[]> {
  return run<{ word: string; best: string | null }>(db, {
    text: `select w.word,
                  (select s.word from search_words s
                    where s.word % lower(search_unaccent(w.word))
                    order by similarity(s.word, lower(search_unaccent(w.word))) desc, s.word
                    limit 1) as best
             from unnest($1::text[]) with ordinality w(word, n)
            order by w.n`,
    values: [words],
  });
}

/**
 * Bounds the rest of the transaction, in one round trip: a statement timeout, no parallel
 * workers (starting them costs more than these small scans, and concurrent searches already use
 * every core) and no JIT compilation (the windows' upper bounds make the planner's costs large
 * enough to compile, which cost 150–250 ms per statement at a million items, several times the
 * statement itself).
 */
export async function limitSearchTransaction(trx: Executor, timeoutMs: number): Promise<void> {
  await sql`select set_config('statement_timeout', ${String(timeoutMs)}, true),
                   set_config('max_parallel_workers_per_gather', '0', true),
                   set_config('jit', 'off', true)`.execute(trx);
}
