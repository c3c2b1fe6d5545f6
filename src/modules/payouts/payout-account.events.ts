// Stripe tells us when a connected account's onboarding changes (`account.updated`): the account
// becomes payable (or stops being) without waiting for the creator to come back through the
// return link. Idempotent: it sets the readiness the event states.
import { z } from 'zod';
import type { PaymentEventHandlers } from '../payments/index.js';
import { setProcessorAccountReady } from './payouts.repository.js';

const accountSchema = z.looseObject({
  id: z.string().min(1),
  payouts_enabled: z.boolean().optional(),
  details_submitted: z.boolean().optional(),
});

export const payoutAccountEventHandlers: PaymentEventHandlers = {
  'account.updated': {
    apply: async (trx, event) => {
      const account = accountSchema.parse(event.data.object);
      const ready = account.payouts_enabled === true && account.details_submitted === true;
      await setProcessorAccountReady(trx, 'stripe', account.id, ready);
    },
  },
};
