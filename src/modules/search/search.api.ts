// GET /api/v1/search and /api/v1/search/suggest: public, no session needed.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { absoluteUrl } from '../catalog/index.js';
import { searchQuerySchema, suggestQuerySchema } from './search.schemas.js';
import { search, suggest, type SearchHit } from './search.service.js';

export interface SearchApiOptions {
  db: Db;
  publicUrl: URL;
}

export async function searchApi(app: FastifyInstance, { db, publicUrl }: SearchApiOptions) {
  const absolute = (hit: SearchHit): SearchHit => ({
    ...hit,
    url: absoluteUrl(hit.url, publicUrl),
  });

  app.get('/search', async (request) => {
    const query = searchQuerySchema.parse(request.query);
    const result = await search(db, query);
    return { ...result, items: result.items.map(absolute) };
  });

  app.get('/search/suggest', async (request) => {
    const { q, limit } = suggestQuerySchema.parse(request.query);
    return { items: (await suggest(db, q, limit)).map(absolute) };
  });
}
