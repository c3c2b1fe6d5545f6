// /search (the results page, a plain GET form) and /search/suggest (the listbox the form's
// combobox fetches as the person types). Filters are validated here: a value we do not offer is
// a 400 page, never a 500; the words may be anything (the service cuts them at 400 characters).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { render } from '../../platform/views/render.js';
import { ITEM_TYPES } from '../catalog/index.js';
import { kindLabel } from '../catalog/index.js';
import { normaliseTagParam } from '../catalog/index.js';
import { MAX_QUERY_LENGTH } from './search.query.js';
import { search, suggest, type SearchHit } from './search.service.js';
import { SuggestionList, type SuggestionView } from './views/search-form.js';
import { searchHref, type SearchFilters } from './views/search-links.js';
import { SearchPage } from './views/search-page.js';

export const SEARCH_PAGE_SIZE = 20;
const SUGGESTIONS = 6;
/** Longer than any form sends: past this the link was not made by us. */
const MAX_QUERY = 2000;

/** A GET form sends "" for "Any type": an empty value is no filter. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const searchQuery = z.object({
  q: z.string().max(MAX_QUERY).optional(),
  kind: optional(z.enum(['item', 'project', 'creator'])),
  type: optional(z.enum(ITEM_TYPES)),
  price: optional(z.enum(['free', 'paid'])),
  tag: optional(z.string().max(250)),
  creator: optional(z.string().max(100)),
  cursor: optional(z.string().max(500)),
});

// The combobox's request may carry the rest of the form too; only the words matter here.
const suggestQuery = z.looseObject({ q: z.string().max(MAX_QUERY).optional() });

function invalid(message = 'That search link is not valid.'): AppError {
  return new AppError('VALIDATION_FAILED', 400, message);
}

function parseFilters(raw: unknown): SearchFilters & { cursor: string | undefined } {
  const result = searchQuery.safeParse(raw);
  if (!result.success) throw invalid();
  const query = result.data;
  const tag = query.tag === undefined ? undefined : normaliseTagParam(query.tag);
  if (query.tag !== undefined && tag === undefined) throw invalid('That tag is not valid.');
  const creator = query.creator?.replace(/^@/, '');
  if (creator !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(creator)) {
    throw invalid('That creator is not valid.');
  }
  const q = (query.q ?? '').slice(0, MAX_QUERY_LENGTH);
  return { ...query, q, tag, creator, cursor: query.cursor };
}

export function hitKindLabel(hit: Pick<SearchHit, 'kind' | 'type'>): string {
  if (hit.kind === 'project') return 'Project';
  if (hit.kind === 'creator') return 'Creator';
  return hit.type ? kindLabel(hit.type) : 'Item';
}

function toSuggestion(hit: SearchHit): SuggestionView {
  return {
    title: hit.title,
    url: hit.url,
    kindLabel: hitKindLabel(hit),
    byline:
      hit.kind === 'creator'
        ? hit.creator_handle && `@${hit.creator_handle}`
        : (hit.creator_name ?? undefined),
  };
}

export async function searchPages(app: FastifyInstance, { db }: { db: Db }) {
  app.get('/search', async (request, reply) => {
    const { cursor, ...filters } = parseFilters(request.query);
    const words = filters.q.trim();
    const result =
      words === ''
        ? {
            items: [],
            next_cursor: null,
            counts: { item: 0, project: 0, creator: 0 },
            suggestion: null,
          }
        : await search(db, { ...filters, q: words, limit: SEARCH_PAGE_SIZE, cursor });
    reply.header('cache-control', 'private, no-cache');
    return render(reply, {
      title: words ? `Search: ${words}` : 'Search',
      description: 'Search music, writing, video, software and creators on Makenot.work.',
      // Result pages are endless and change by the minute: they stay out of search engines.
      meta: { noindex: words !== '' },
      body: (
        <SearchPage
          filters={filters}
          hits={result.items}
          counts={result.counts}
          suggestion={result.suggestion}
          nextHref={result.next_cursor ? searchHref(filters, result.next_cursor) : undefined}
          continued={cursor !== undefined}
          kindLabelOf={hitKindLabel}
        />
      ),
    });
  });

  app.get('/search/suggest', async (request, reply) => {
    const parsed = suggestQuery.safeParse(request.query);
    if (!parsed.success) throw invalid();
    const words = parsed.data.q?.slice(0, MAX_QUERY_LENGTH).trim() ?? '';
    const hits = words === '' ? [] : await suggest(db, words, SUGGESTIONS);
    reply.header('cache-control', 'private, no-store');
    return render(reply, {
      title: 'Suggestions',
      body: <SuggestionList hits={hits.map(toSuggestion)} />,
    });
  });
}
