// GET /admin/reconciliation: the latest payout reconciliation reports, for admins only (to
// everyone else the route does not exist).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { notFound } from '../../platform/errors.js';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { listReports } from './reconcile.repository.js';
import { DIFFERENCE_KINDS } from './reconcile.rules.js';

export const reconciliationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(10),
});

const money = z.object({ amount: z.number().int(), currency: z.string() });

export const reportSchema = z.object({
  id: z.uuid(),
  processor: z.enum(['local', 'stripe']),
  window_start: z.string(),
  window_end: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  status: z.enum(['running', 'clean', 'differences', 'failed']),
  transfers_checked: z.number().int(),
  payouts_checked: z.number().int(),
  difference_count: z.number().int(),
  differences: z.array(
    z.object({
      kind: z.enum(DIFFERENCE_KINDS),
      idempotency_key: z.string().nullable(),
      payout_id: z.string().nullable(),
      transfer_ids: z.array(z.string()),
      expected: money.optional(),
      actual: money.optional(),
      detail: z.string(),
    }),
  ),
  error: z.string().nullable(),
});

export async function reconciliationApi(app: FastifyInstance, { db }: { db: Db }) {
  await app.register(async (admin) => {
    admin.addHook('preHandler', requireUser);
    admin.addHook('preHandler', async (request) => {
      if (!principalOf(request).user.isAdmin) throw notFound();
    });

    admin.get('/admin/reconciliation', async (request, reply) => {
      const { limit } = reconciliationQuerySchema.parse(request.query);
      const rows = await listReports(db, limit);
      reply.header('cache-control', 'private, no-store');
      return {
        items: rows.map((row) => ({
          ...row,
          window_start: row.window_start.toISOString(),
          window_end: row.window_end.toISOString(),
          started_at: row.started_at.toISOString(),
          finished_at: row.finished_at?.toISOString() ?? null,
        })),
        next_cursor: null,
      };
    });
  });
}

export const reconciliationOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/admin/reconciliation',
    summary:
      'The latest payout reconciliation reports, newest first (admins only): each daily run ' +
      'compares the processor’s transfers with payouts and the ledger over 35 days and lists ' +
      'every difference by kind',
    tag: 'admin',
    auth: 'user',
    query: reconciliationQuerySchema,
    responses: {
      200: {
        description: 'reports',
        schema: z.object({ items: z.array(reportSchema), next_cursor: z.null() }),
      },
      401: 'NOT_SIGNED_IN',
      404: 'NOT_FOUND (for everyone but admins)',
      422: 'VALIDATION_FAILED',
    },
  },
];
