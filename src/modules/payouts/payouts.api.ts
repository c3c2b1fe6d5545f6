// GET /me/balance, GET /me/payouts (API.md) and PUT /me/payout-account (connect where payouts go).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { principalOf, requireScope, requireUser } from '../../platform/http/auth.js';
import { balances } from '../ledger/index.js';
import type { PaymentProcessor } from '../payments/index.js';
import { namePayoutAccount, requireCreatorUser } from './payout-account.service.js';
import { listPayouts } from './payouts.service.js';

export const balanceSchema = z.object({
  currency: z.string(),
  available: z.number().int(),
  pending: z.number().int(),
  in_transit: z.number().int(),
  paid_out: z.number().int(),
  debt: z.number().int(),
});

export const payoutSchema = z.object({
  id: z.uuid(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.enum(['queued', 'paid', 'failed']),
  failure_reason: z.string().nullable(),
  created_at: z.string(),
  settled_at: z.string().nullable(),
});

export const payoutAccountInput = z.object({
  destination: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'Use the account id your payment provider gave you.')
    .optional(),
});

export async function payoutsApi(
  app: FastifyInstance,
  { db, processor }: { db: Db; processor: PaymentProcessor | undefined },
) {
  await app.register(async (signedIn) => {
    signedIn.addHook('preHandler', requireUser);

    signedIn.get('/me/balance', async (request) => {
      const rows = await balances(db, principalOf(request).user.id);
      return { balances: rows.map((row) => balanceSchema.parse(row)) };
    });

    signedIn.get('/me/payouts', async (request) => {
      const rows = await listPayouts(db, principalOf(request).user.id);
      return {
        items: rows.map((row) => ({
          id: row.id,
          amount: row.amount,
          currency: row.currency,
          status: row.status,
          failure_reason: row.failure_reason,
          created_at: row.created_at.toISOString(),
          settled_at: row.settled_at?.toISOString() ?? null,
        })),
        next_cursor: null,
      };
    });
  });

  await app.register(async (writer) => {
    writer.addHook('preHandler', requireUser);
    writer.addHook('preHandler', requireScope('write'));

    writer.put('/me/payout-account', async (request) => {
      const principal = principalOf(request);
      requireCreatorUser(principal.user);
      const input = payoutAccountInput.parse(request.body ?? {});
      const account = await namePayoutAccount(db, processor, principal.user.id, input.destination);
      return { payout_account: account };
    });
  });
}
