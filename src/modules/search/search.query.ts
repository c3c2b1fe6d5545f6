// What the person typed, made safe and taken apart: the cleaned words, the last word that may
// also match as a prefix, and the tsquery expression built from them in SQL (search_query(),
// migration 0018), never pasted into the statement raw.

/** Longer queries are cut: a tsquery word may not exceed 2047 bytes, and nobody types more. */
export const MAX_QUERY_LENGTH = 400;
/** Words looked at for statistics and spelling: more say nothing new and cost a lookup each. */
const MAX_WORDS = 8;

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

export interface ParsedQuery {
  head: string;
  /** the last word, letters and digits only, matched as a prefix too */
  last: string | null;
  /**
   * The lexemes of the search vectors that begin with the last word (search_lexemes, migration
   * 0040), looked up before the search: the prefix as exact words. Unset: the prefix is matched
   * as a tsquery prefix.
   */
  expanded?: string[] | undefined;
}

/** The query with its last word apart when that word may match as a prefix (minPrefix letters). */
export function parseQuery(q: string, minPrefix: number): ParsedQuery {
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

/** The first words of a text, lower-cased letters and digits (operators and quotes dropped). */
export function queryWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_WORDS);
}

/** Adds a value to a statement's parameters and answers its placeholder ($1, $2, …). */
export interface ParamList {
  add(value: unknown): string;
}

/**
 * The tsquery as an expression of its parameters. Written inline (not in a CTE), so PostgreSQL
 * folds it to a constant while planning and estimates how many rows match: a rare word uses
 * the GIN index, a very frequent one walks the newest items. `match` finds the rows; `rank`
 * scores and highlights them: with a prefix expanded to its lexemes, the prefix itself, since
 * ts_rank_cd's cost grows with the query's operands (40 alternatives cost 45 µs a row, the
 * prefix 2) and its scores and highlights are then the same as the prefix's without expansion.
 */
export function tsquery(
  p: ParamList,
  parsed: ParsedQuery,
): { match: string; rank: string; words: string } {
  const head = p.add(parsed.head);
  const last = p.add(parsed.last);
  const rank = `search_query(${head}::text, ${last}::text)`;
  // The same without quotes: phrases as their words (see phraseWithin in search.sql.ts).
  const unquoted = `translate(${head}::text, '"', ' ')`;
  if (parsed.last === null || parsed.expanded === undefined) {
    return { match: rank, rank, words: `search_query(${unquoted}, ${last}::text)` };
  }
  const expanded = p.add(parsed.expanded);
  return {
    match: `search_query_expanded(${head}::text, ${last}::text, ${expanded}::text[])`,
    rank,
    words: `search_query_expanded(${unquoted}, ${last}::text, ${expanded}::text[])`,
  };
}
