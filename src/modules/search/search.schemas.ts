// Query and answer shapes of GET /api/v1/search and /search/suggest, shared by the routes and
// the OpenAPI document.
import { z } from 'zod';
import { ITEM_TYPES } from '../catalog/index.js';
import { COUNT_CAP, MAX_LIMIT } from './search.plan.js';
import { MAX_QUERY_LENGTH } from './search.query.js';

const q = z
  .string({ error: 'Enter something to search for.' })
  .max(MAX_QUERY_LENGTH, { error: `Use at most ${MAX_QUERY_LENGTH} characters.` });

export const searchQuerySchema = z.object({
  q,
  kind: z.enum(['item', 'project', 'creator']).optional(),
  type: z.enum(ITEM_TYPES, { error: `Choose one of ${ITEM_TYPES.join(', ')}.` }).optional(),
  price: z.enum(['free', 'paid']).optional(),
  tag: z.string().max(250).optional(),
  creator: z.string().max(30).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(20),
  cursor: z.string().max(1000).optional(),
});

export const suggestQuerySchema = z.object({
  q,
  limit: z.coerce.number().int().min(1).max(20).default(8),
});

export const searchHitSchema = z.object({
  kind: z.enum(['item', 'project', 'creator']),
  id: z.string(),
  title: z.string(),
  url: z.string(),
  snippet: z.string().describe('HTML: user text escaped, matches in <mark> elements'),
  type: z.enum(ITEM_TYPES).optional(),
  creator_handle: z.string().optional(),
  creator_name: z.string().optional(),
});

export const searchAnswerSchema = z.object({
  items: z.array(searchHitSchema),
  next_cursor: z.string().nullable(),
  counts: z
    .object({ item: z.number(), project: z.number(), creator: z.number() })
    .describe(`matches per kind, counted up to ${COUNT_CAP}`),
  suggestion: z.string().nullable().describe('“did you mean”, when few results were found'),
});
