// GET /me/earnings and GET /me/sales: the earnings page's numbers and the sales list as JSON.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import { earningsQuerySchema, salesQuerySchema } from './earnings.schemas.js';
import { loadEarnings } from './earnings.service.js';
import { listSalesJson } from './sales.service.js';

export async function earningsApi(app: FastifyInstance, { db }: { db: Db }) {
  app.addHook('preHandler', requireUser);

  app.get('/me/earnings', async (request) => {
    const { period } = earningsQuerySchema.parse(request.query);
    return loadEarnings(db, principalOf(request).user.id, period);
  });

  app.get('/me/sales', async (request) => {
    const query = salesQuerySchema.parse(request.query);
    return listSalesJson(db, principalOf(request).user.id, query);
  });
}
