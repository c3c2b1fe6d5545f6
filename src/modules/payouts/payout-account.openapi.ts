// OpenAPI descriptions of the payout-account onboarding endpoints.
import type { ApiOperation } from '../../platform/http/openapi.js';
import { onboardingSchema, payoutAccountSchema } from './payout-account.api.js';

export const payoutAccountOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/me/payout-account',
    summary:
      'Your payout account, and whether it is ready (onboarding finished); null before you ' +
      'connect one',
    tag: 'payouts',
    auth: 'user',
    responses: {
      200: { description: 'the payout account', schema: payoutAccountSchema },
      401: 'NOT_SIGNED_IN',
      403: 'NOT_A_CREATOR',
    },
  },
  {
    method: 'post',
    path: '/me/payout-account/onboarding',
    summary:
      "Start or continue setting up your payout account: answers the processor's onboarding " +
      'page, which sends you back to /dashboard/payouts/account when you are done',
    tag: 'payouts',
    auth: 'write',
    responses: {
      200: { description: 'where to finish onboarding', schema: onboardingSchema },
      401: 'NOT_SIGNED_IN',
      403: 'NOT_A_CREATOR, INSUFFICIENT_SCOPE or CSRF_TOKEN_INVALID',
      503: 'PAYMENTS_UNAVAILABLE (no processor, or it cannot be reached)',
    },
  },
];
