// /play/<item id>, /poster/<item id> and /download/<file id>: the same decisions as the API, answered with a
// redirect to the short-lived signed URL. Media elements and plain links work without script;
// refusals (403, 404, 503 with Retry-After) get the site's friendly error pages. The same three
// under /claim/<token>/ serve a guest whose receipt link proves a purchase (no account, no
// cookie): the token names the viewer, the access rule decides as everywhere else.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../platform/errors.js';
import { viewerOf, type Viewer } from '../access/index.js';
import { downloadTarget, posterTarget, streamTarget, type FilesDeps } from './files.service.js';
import type { MediaLinks } from './playback.js';

const params = z.object({ id: z.string().max(100) });
const claimParams = params.extend({ token: z.string().max(200) });

/** The viewer a claim link's token proves, or undefined for anything not signed by us. */
export type ClaimViewerOf = (token: string) => Viewer | undefined;

/** The player's and the download buttons' addresses for a claim link's page. */
export function claimMediaLinks(token: string): MediaLinks {
  const base = `/claim/${encodeURIComponent(token)}`;
  return {
    play: (itemId) => `${base}/play/${itemId}`,
    poster: (itemId) => `${base}/poster/${itemId}`,
    download: (fileId) => `${base}/download/${fileId}`,
  };
}

function redirectTo(reply: FastifyReply, url: string) {
  // the claim token is in the address: it must not travel on as a Referer
  return reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .redirect(url, 302);
}

export async function filesPages(
  app: FastifyInstance,
  { deps, claimViewerOf }: { deps: FilesDeps; claimViewerOf?: ClaimViewerOf },
) {
  app.get('/play/:id', async (request, reply) => {
    const { id } = params.parse(request.params);
    const target = await streamTarget(deps, viewerOf(request.principal), id);
    return redirectTo(reply, target.url);
  });

  app.get('/poster/:id', async (request, reply) => {
    const { id } = params.parse(request.params);
    const target = await posterTarget(deps, viewerOf(request.principal), id);
    return redirectTo(reply, target.url);
  });

  app.get('/download/:id', async (request, reply) => {
    const { id } = params.parse(request.params);
    const target = await downloadTarget(deps, viewerOf(request.principal), id);
    return redirectTo(reply, target.url);
  });

  if (!claimViewerOf) return;
  const claimViewer = (token: string): Viewer => {
    const viewer = claimViewerOf(token);
    if (!viewer) throw notFound('purchase');
    return viewer;
  };

  app.get('/claim/:token/play/:id', async (request, reply) => {
    const { id, token } = claimParams.parse(request.params);
    return redirectTo(reply, (await streamTarget(deps, claimViewer(token), id)).url);
  });

  app.get('/claim/:token/poster/:id', async (request, reply) => {
    const { id, token } = claimParams.parse(request.params);
    return redirectTo(reply, (await posterTarget(deps, claimViewer(token), id)).url);
  });

  app.get('/claim/:token/download/:id', async (request, reply) => {
    const { id, token } = claimParams.parse(request.params);
    return redirectTo(reply, (await downloadTarget(deps, claimViewer(token), id)).url);
  });
}
