// The creator's money pages: /dashboard/earnings (totals, balances, charts, payouts) and
// /dashboard/sales with a refund form per paid order. Creators only: to anyone else, and for
// another creator's order, they do not exist (404).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { principalOf, requireUser } from '../../platform/http/auth.js';
import { render } from '../../platform/views/render.js';
import { earningsQuerySchema, salesQuerySchema } from './earnings.schemas.js';
import { loadEarnings, recentPayouts } from './earnings.service.js';
import {
  isRefundable,
  readRefundAmount,
  requireSale,
  salesPage,
  type RefundOrder,
} from './sales.service.js';
import { EarningsPage } from './views/earnings-page.js';
import { ConfirmFullRefundPage, RefundFormPage } from './views/refund-page.js';
import { SalesPage } from './views/sales-page.js';
import { csrfOf } from '../../platform/views/view-context.js';

export interface EarningsPagesDeps {
  db: Db;
  refund: RefundOrder;
}

async function requireCreatorOr404(request: FastifyRequest) {
  if (!principalOf(request).user.isCreator) throw notFound('page');
}

const FLASH = { refunded: 'Refund sent. The buyer gets the money back the way they paid.' };
const salesPageQuery = salesQuerySchema
  .extend({ done: z.enum(['refunded']).optional() })
  .catch({ limit: 25 });
const refundForm = z.looseObject({
  amount: z.string().max(100).default(''),
  confirm: z.string().max(20).optional(),
});

function orderIdOf(request: FastifyRequest): string {
  const params = z.object({ id: z.string().max(100) }).safeParse(request.params);
  if (!params.success) throw notFound('sale');
  return params.data.id;
}

export async function earningsPages(app: FastifyInstance, { db, refund }: EarningsPagesDeps) {
  app.addHook('preHandler', requireUser);
  app.addHook('preHandler', requireCreatorOr404);

  app.get('/dashboard/earnings', async (request, reply) => {
    const { period } = earningsQuerySchema.catch({ period: '30d' }).parse(request.query);
    const creatorId = principalOf(request).user.id;
    const [earnings, payouts] = await Promise.all([
      loadEarnings(db, creatorId, period),
      recentPayouts(db, creatorId),
    ]);
    return render(reply, {
      title: 'Earnings',
      body: <EarningsPage earnings={earnings} payouts={payouts} />,
    });
  });

  app.get('/dashboard/sales', async (request, reply) => {
    const query = salesPageQuery.parse(request.query);
    const page = await salesPage(db, principalOf(request).user.id, query);
    return render(reply, {
      title: 'Sales',
      body: (
        <SalesPage
          sales={page.sales}
          nextCursor={page.nextCursor}
          paged={query.cursor !== undefined}
          flash={query.done ? FLASH[query.done] : undefined}
        />
      ),
    });
  });

  app.get('/dashboard/sales/:id/refund', async (request, reply) => {
    const sale = await requireSale(db, principalOf(request).user.id, orderIdOf(request));
    const refusal = isRefundable(sale)
      ? undefined
      : 'There is nothing left to refund on this sale.';
    return render(reply, {
      title: 'Refund a sale',
      status: refusal ? 409 : 200,
      body: <RefundFormPage sale={sale} csrfToken={csrfOf(request)} refusal={refusal} />,
    });
  });

  app.post('/dashboard/sales/:id/refund', async (request, reply) => {
    const principal = principalOf(request);
    const sale = await requireSale(db, principal.user.id, orderIdOf(request));
    const form = refundForm.parse(request.body ?? {});
    const csrfToken = csrfOf(request);
    const refuse = (status: number, page: { error?: string; refusal?: string }) =>
      render(reply, {
        title: 'Refund a sale',
        status,
        body: <RefundFormPage sale={sale} csrfToken={csrfToken} value={form.amount} {...page} />,
      });
    if (!isRefundable(sale))
      return refuse(409, { refusal: 'There is nothing left to refund on this sale.' });
    const amount = readRefundAmount(sale, form.amount);
    if (!amount.ok) return refuse(422, { error: amount.error });
    if (amount.full && form.confirm !== 'full') {
      return render(reply, {
        title: 'Refund everything?',
        body: <ConfirmFullRefundPage sale={sale} csrfToken={csrfToken} />,
      });
    }
    try {
      await refund(principal, sale.id, amount.minor);
    } catch (error) {
      // The order changed since the page was drawn (another refund, a dispute): say so.
      if (error instanceof AppError && (error.status === 409 || error.status === 422))
        return refuse(error.status, { refusal: error.message });
      throw error;
    }
    return reply.redirect(`/dashboard/sales?done=refunded#sale-${sale.id}`, 303);
  });
}
