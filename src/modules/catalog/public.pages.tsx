// Public catalogue pages: /@handle, /@handle/<project>, /@handle/<project>/<item>, /i/<id>,
// /tags/<path>, /discover. (Being built.)
import type { FastifyInstance } from 'fastify';
import type { CatalogDeps } from './projects.service.js';

export async function publicPages(_app: FastifyInstance, _opts: { deps: CatalogDeps }) {}
