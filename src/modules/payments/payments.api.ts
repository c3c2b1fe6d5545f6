// The checkout, orders and library endpoints of API.md (under /api/v1).
import type { FastifyInstance } from 'fastify';
import { RateLimiter } from '../../platform/http/rate-limit.js';
import { principalOf, requireScope, requireUser } from '../../platform/http/auth.js';
import type { CatalogDeps } from '../catalog/index.js';
import { startCheckout, type PaymentsDeps } from './checkout.service.js';
import { getOrder, listLibrary } from './orders.service.js';
import { refundOrder } from './refunds.service.js';
import {
  checkoutInputSchema,
  libraryQuerySchema,
  orderIdParamsSchema,
  refundInputSchema,
} from './payments.schemas.js';

/** Checkouts per address: each makes an order and a processor session. */
export const CHECKOUT_LIMIT = { name: 'checkout-ip', limit: 60, windowSeconds: 3600 };

export async function paymentsApi(
  app: FastifyInstance,
  { deps, catalog }: { deps: PaymentsDeps; catalog: CatalogDeps },
) {
  const limiter = new RateLimiter(deps.db);
  const needsWrite = requireScope('write');

  // Guests may buy (with an email); a signed-in buyer's order is theirs.
  app.post('/checkout', async (request, reply) => {
    const input = checkoutInputSchema.parse(request.body ?? {});
    await limiter.enforce(reply, CHECKOUT_LIMIT, request.ip);
    const result = await startCheckout(deps, request.principal, input, { ip: request.ip });
    return reply.status(201).send(result);
  });

  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.get('/orders/:id', async (request) => {
      const { id } = orderIdParamsSchema.parse(request.params);
      return { order: await getOrder(deps.db, principalOf(request), id) };
    });

    signedIn.post('/orders/:id/refund', async (request) => {
      await needsWrite(request);
      const { id } = orderIdParamsSchema.parse(request.params);
      const { amount } = refundInputSchema.parse(request.body ?? {});
      const principal = principalOf(request);
      // with an Idempotency-Key, its retry asks the processor for the same refund
      const key = request.idempotency?.key;
      const requestKey = key === undefined ? undefined : { caller: principal.user.id, key };
      return { order: await refundOrder(deps, principal, id, amount, requestKey) };
    });

    signedIn.get('/library', async (request) => {
      const query = libraryQuerySchema.parse(request.query);
      return listLibrary(catalog, principalOf(request), query);
    });
  });
}
