// OpenAPI descriptions of the balance and payout endpoints.
import { z } from 'zod';
import type { ApiOperation } from '../../platform/http/openapi.js';
import { balanceSchema, payoutAccountInput, payoutSchema } from './payouts.api.js';

export const payoutsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/me/balance',
    summary:
      'Your money by currency, in minor units: pending (on hold), available (goes out with the ' +
      'next payout), in transit, paid out, and any debt from refunds larger than your balance',
    tag: 'payouts',
    auth: 'user',
    responses: {
      200: { description: 'balances', schema: z.object({ balances: z.array(balanceSchema) }) },
      401: 'NOT_SIGNED_IN',
    },
  },
  {
    method: 'get',
    path: '/me/payouts',
    summary: 'Your payouts, newest first, with the reason when one failed',
    tag: 'payouts',
    auth: 'user',
    responses: {
      200: {
        description: 'payouts',
        schema: z.object({ items: z.array(payoutSchema), next_cursor: z.string().nullable() }),
      },
      401: 'NOT_SIGNED_IN',
    },
  },
  {
    method: 'put',
    path: '/me/payout-account',
    summary: 'Connect where your payouts go (the local processor makes an account for you)',
    tag: 'payouts',
    auth: 'write',
    body: payoutAccountInput,
    responses: {
      200: {
        description: 'the payout account',
        schema: z.object({
          payout_account: z.object({ processor: z.string(), destination: z.string() }),
        }),
      },
      401: 'NOT_SIGNED_IN',
      403: 'NOT_A_CREATOR, INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      422: 'VALIDATION_FAILED',
    },
  },
];
