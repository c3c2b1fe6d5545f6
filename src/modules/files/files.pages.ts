// /play/<item id>, /poster/<item id> and /download/<file id>: the same decisions as the API, answered with a
// redirect to the short-lived signed URL. Media elements and plain links work without script;
// refusals (403, 404, 503 with Retry-After) get the site's friendly error pages.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { viewerOf } from '../access/index.js';
import { downloadTarget, posterTarget, streamTarget, type FilesDeps } from './files.api.js';

const params = z.object({ id: z.string().max(100) });

export async function filesPages(app: FastifyInstance, { deps }: { deps: FilesDeps }) {
  app.get('/play/:id', async (request, reply) => {
    const { id } = params.parse(request.params);
    const target = await streamTarget(deps, viewerOf(request.principal), id);
    return reply.header('cache-control', 'no-store').redirect(target.url, 302);
  });

  app.get('/poster/:id', async (request, reply) => {
    const { id } = params.parse(request.params);
    const target = await posterTarget(deps, viewerOf(request.principal), id);
    return reply.header('cache-control', 'no-store').redirect(target.url, 302);
  });

  app.get('/download/:id', async (request, reply) => {
    const { id } = params.parse(request.params);
    const target = await downloadTarget(deps, viewerOf(request.principal), id);
    return reply.header('cache-control', 'no-store').redirect(target.url, 302);
  });
}
