// The promo-codes endpoints (under /api/v1): a creator's own codes only.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import { promoIdParamsSchema, promoInputSchema, promoPatchSchema } from './promos.schemas.js';
import { changePromo, createPromo, listOwnPromos, removePromo } from './promos.service.js';

export async function promosApi(app: FastifyInstance, { db }: { db: Db }) {
  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.get('/promo-codes', async (request) => ({
      items: await listOwnPromos(db, principalOf(request)),
    }));

    signedIn.post('/promo-codes', async (request, reply) => {
      const input = promoInputSchema.parse(request.body ?? {});
      const promo = await createPromo(db, principalOf(request), input);
      return reply.status(201).send({ promo_code: promo });
    });

    signedIn.patch('/promo-codes/:id', async (request) => {
      const { id } = promoIdParamsSchema.parse(request.params);
      const patch = promoPatchSchema.parse(request.body ?? {});
      return { promo_code: await changePromo(db, principalOf(request), id, patch) };
    });

    signedIn.delete('/promo-codes/:id', async (request, reply) => {
      const { id } = promoIdParamsSchema.parse(request.params);
      const kept = await removePromo(db, principalOf(request), id);
      if (kept) return { promo_code: kept };
      return reply.status(204).send();
    });
  });
}
