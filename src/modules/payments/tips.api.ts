// POST /api/v1/tips: a tip to a creator who takes tips (guests give an email).
import type { FastifyInstance } from 'fastify';
import { RateLimiter } from '../../platform/http/rate-limit.js';
import type { PaymentsDeps } from './checkout.service.js';
import { CHECKOUT_LIMIT } from './payments.api.js';
import { tipInputSchema } from './payments.schemas.js';
import { startTip } from './tips.service.js';

export async function tipsApi(app: FastifyInstance, { deps }: { deps: PaymentsDeps }) {
  const limiter = new RateLimiter(deps.db);
  app.post('/tips', async (request, reply) => {
    const input = tipInputSchema.parse(request.body ?? {});
    await limiter.enforce(reply, CHECKOUT_LIMIT, request.ip);
    return reply.status(201).send(await startTip(deps, request.principal, input));
  });
}
