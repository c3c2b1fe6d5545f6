// The modules that take part in payments without payments knowing them, listed once: the web app
// runs paid-order hooks for free claims, the worker for paid events, and both must run the same
// ones (a hook missing from one of them would issue a licence key for some orders only).
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { createLicencesModule, type LicencesModule } from './modules/licences/index.js';
import { membershipPaymentHooks, membershipPurchaseFacts } from './modules/memberships/index.js';
import type {
  OrderPaidHook,
  OrderReversedHook,
  PaymentEventHandlers,
  PurchaseFacts,
} from './modules/payments/index.js';
import { payoutAccountEventHandlers } from './modules/payouts/payout-account.events.js';

export interface PaymentParticipants {
  licences: LicencesModule;
  onOrderPaid: OrderPaidHook[];
  /** where an order's money went back for good (memberships end) */
  onOrderReversed: OrderReversedHook[];
  eventHandlers: PaymentEventHandlers;
  /** what receipts and thank-you pages say beyond the order itself */
  purchaseFacts: PurchaseFacts[];
}

export function paymentParticipants(db: Db, config: Readonly<Config>): PaymentParticipants {
  const licences = createLicencesModule(db, config);
  const memberships = membershipPaymentHooks(config);
  return {
    licences,
    onOrderPaid: [licences.onOrderPaid, ...memberships.onOrderPaid],
    onOrderReversed: memberships.onOrderReversed,
    eventHandlers: { ...memberships.eventHandlers, ...payoutAccountEventHandlers },
    purchaseFacts: [licences.purchaseFacts, membershipPurchaseFacts],
  };
}
