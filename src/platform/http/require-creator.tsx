// The gate of the creator's dashboard: a preHandler for routes that sit behind requireUser.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { NotCreatorPage } from '../views/not-creator.js';
import { render } from '../views/render.js';
import { principalOf } from './auth.js';

/**
 * A fan's page view explains how to turn on creating (200 on the dashboard itself, 403
 * elsewhere); anything else from a fan is 403 NOT_A_CREATOR.
 */
export async function requireCreator(request: FastifyRequest, reply: FastifyReply) {
  if (principalOf(request).user.isCreator) return;
  if (request.method !== 'GET') {
    throw new AppError('NOT_A_CREATOR', 403, 'Turn on creating first, at /join/create.');
  }
  const isHome = request.url.split('?', 1)[0] === '/dashboard';
  return render(reply, {
    title: 'Start creating',
    status: isHome ? 200 : 403,
    body: <NotCreatorPage />,
  });
}
