// The creator dashboard under /dashboard (htmx). (Being built.)
import type { FastifyInstance } from 'fastify';
import type { CatalogDeps } from './projects.service.js';

export async function dashboardPages(_app: FastifyInstance, _opts: { deps: CatalogDeps }) {}
