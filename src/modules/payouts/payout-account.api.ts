// GET /me/payout-account (the creator's payout account and whether it is ready) and
// POST /me/payout-account/onboarding (the processor's link to set it up). Creators only.
// PUT /me/payout-account, naming an account directly, stays in payouts.api.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { principalOf, requireScope, requireUser } from '../../platform/http/auth.js';
import {
  getPayoutAccount,
  requireCreatorUser,
  startOnboarding,
  type PayoutAccountDeps,
} from './payout-account.service.js';

export const payoutAccountSchema = z.object({
  account: z
    .object({
      destination: z.string().describe("the processor's account (Stripe: acct_…)"),
      ready: z.boolean().describe('onboarding is finished: payouts go to this account'),
    })
    .nullable(),
});

export const onboardingSchema = z.object({
  url: z.string().describe("the processor's onboarding page; send the creator there"),
});

export async function payoutAccountApi(
  app: FastifyInstance,
  { deps }: { deps: PayoutAccountDeps },
) {
  await app.register(async (creators) => {
    creators.addHook('preHandler', requireUser);
    creators.addHook('preHandler', async (request) => {
      requireCreatorUser(principalOf(request).user);
    });

    creators.get('/me/payout-account', async (request) => {
      return { account: await getPayoutAccount(deps, principalOf(request).user.id) };
    });

    creators.post(
      '/me/payout-account/onboarding',
      { preHandler: requireScope('write') },
      async (request) => {
        const { user } = principalOf(request);
        return { url: await startOnboarding(deps, user) };
      },
    );
  });
}
