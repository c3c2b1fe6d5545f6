// The payments module's public face: checkout, the processors (local now, Stripe later), the
// webhook receiver, the jobs that deliver and apply processor events, orders, the library and
// the ownership rule that playback and downloads use.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { ApiOperation } from '../../platform/http/openapi.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import type { Logger } from '../../platform/log.js';
import type { AppModule } from '../../platform/module.js';
import type { CatalogDeps } from '../catalog/index.js';
import { applyEventTask, paymentEventHandlers } from './apply-event.js';
import type {
  OrderPaidHook,
  OrderReversedHook,
  PaymentEventHandlers,
} from './payment-event-handlers.js';
import type { PaymentsDeps } from './checkout.service.js';
import { localCheckoutPages } from './local/local-checkout.pages.js';
import { localConnectPages } from './local/local-connect.pages.js';
import { localDevPages } from './local/local-dev.pages.js';
import { claimPages } from './claim.pages.js';
import { receiptHook } from './receipts.js';
import type { PurchaseFacts } from './purchase-facts.js';
import { deliverLocalEventTask } from './local/local-checkout.service.js';
import { buyPages } from './buy.pages.js';
import { tipPages } from './tips.pages.js';
import { tipsApi } from './tips.api.js';
import { tipsOperations } from './tips.openapi.js';
import { libraryPages } from './library.pages.js';
import { LocalProcessor } from './local/local-processor.js';
import { paymentsApi } from './payments.api.js';
import { paymentsOperations } from './payments.openapi.js';
import type { OrderJson } from './payments.schemas.js';
import { refundOrder, settleRefundTask } from './refunds.service.js';
import { EXPIRE_ORDERS_CRONTAB, expireOrdersTask } from './order-expiry.js';
import type { Principal } from '../../platform/http/auth.js';
import type { PaymentProcessor } from './processor.js';
import { StripeProcessor } from './stripe/stripe-processor.js';
import { webhookRoutes } from './webhooks.routes.js';
import type { ProcessorName, ReceiveDeps } from './webhooks.service.js';

export interface PaymentsModule extends AppModule {
  /** JSON API (checkout, orders, library), to register under /api/v1 */
  api: (app: FastifyInstance) => Promise<void>;
  /**
   * At the root: POST /webhooks/payments/:processor, the buy, tip, thank-you and library pages,
   * and the local processor's hosted pages under /pay/local/
   */
  routes: (app: FastifyInstance) => Promise<void>;
  tasks: TaskDefinition[];
  /** graphile-worker crontab lines (pending orders expire) */
  crontab: string[];
  /** OpenAPI descriptions of the module's /api/v1 routes */
  operations: ApiOperation[];
  /** undefined when PAYMENTS names a processor without an implementation yet (stripe) */
  processor: PaymentProcessor | undefined;
  /** a creator refunds an order of theirs (refunds.service): the sales page's refund form */
  refund: (principal: Principal, orderId: string, amount: number | undefined) => Promise<OrderJson>;
}

export interface PaymentsOptions {
  log: Logger;
  /** the catalogue's dependencies, to present library items as the catalogue does */
  catalog?: CatalogDeps;
  /** other modules' processor-event handlers, by event type (memberships: invoice.*, …) */
  eventHandlers?: PaymentEventHandlers;
  /** run in the transaction that makes an order paid (licence keys, receipts, memberships) */
  onOrderPaid?: OrderPaidHook[];
  /** run where an order's money went back for good (a membership ends) */
  onOrderReversed?: OrderReversedHook[];
  /** what other modules add to a receipt and a thank-you page (a licence key, a membership) */
  purchaseFacts?: PurchaseFacts[];
}

function createProcessor(db: Db, config: Readonly<Config>): PaymentProcessor | undefined {
  switch (config.payments) {
    case 'local':
      return new LocalProcessor(db, config);
    case 'stripe':
      // readStripe requires the settings whenever PAYMENTS=stripe
      return config.stripe ? new StripeProcessor(config.stripe) : undefined;
  }
}

export function createPaymentsModule(
  db: Db,
  config: Readonly<Config>,
  options: PaymentsOptions,
): PaymentsModule {
  const processor = createProcessor(db, config);
  const secrets: Partial<Record<ProcessorName, string>> = {};
  if (processor) secrets[processor.name] = processor.webhookSecret;
  if (config.stripe) secrets.stripe = config.stripe.webhookSecret;
  const receive: ReceiveDeps = { db, secrets, log: options.log };
  // The receipt last: it tells what the other hooks made (a licence key, a membership started).
  const purchaseFacts = options.purchaseFacts ?? [];
  const onOrderPaid = [...(options.onOrderPaid ?? []), receiptHook(config, purchaseFacts)];
  const onOrderReversed = options.onOrderReversed ?? [];
  const deps: PaymentsDeps = { db, config, processor, onOrderPaid, onOrderReversed };
  const handlers = paymentEventHandlers(
    { db, processor, onOrderPaid, onOrderReversed, config },
    options.eventHandlers ?? {},
  );
  return {
    name: 'payments',
    api: async (app) => {
      if (!options.catalog) throw new Error('the payments API needs the catalogue');
      await paymentsApi(app, { deps, catalog: options.catalog });
      await tipsApi(app, { deps });
    },
    routes: async (app) => {
      await webhookRoutes(app, { deps: receive });
      if (processor?.name === 'local') {
        await localCheckoutPages(app, { db });
        await localConnectPages(app, { db });
        await localDevPages(app, { db });
      }
      await claimPages(app, { db, config, catalog: options.catalog, purchaseFacts });
      if (options.catalog) await libraryPages(app, { catalog: options.catalog });
      await buyPages(app, { deps });
      await tipPages(app, { deps });
    },
    tasks: [
      applyEventTask({ db, processor, handlers, onOrderPaid }),
      deliverLocalEventTask(receive),
      settleRefundTask(deps),
      expireOrdersTask({ db, processor }),
    ] as TaskDefinition[],
    crontab: [EXPIRE_ORDERS_CRONTAB],
    operations: [...paymentsOperations, ...tipsOperations],
    processor,
    refund: (principal, orderId, amount) => refundOrder(deps, principal, orderId, amount),
  };
}

export { claimGuestOrders } from './orders.service.js';
export { claimViewerOf, purchaseLink } from './receipts.js';
export { createTipThanksLoader } from './tips.service.js';
export { attachGuestOrdersByEmail, findBoughtItems } from './payments.repository.js';
export { LocalProcessor, localWebhookSecret } from './local/local-processor.js';
export { TransferRefused, type PaymentProcessor } from './processor.js';
export {
  renewDueLocalSubscriptions,
  renewLocalSubscription,
  type RenewalOutcome,
  type RenewalResult,
} from './local/local-subscriptions.service.js';
export {
  collectPurchaseFacts,
  orderNumber,
  type PurchaseFact,
  type PurchaseFacts,
} from './purchase-facts.js';
export type {
  OrderPaidHook,
  OrderReversedHook,
  ReversedOrder,
  PaidOrder,
  PaymentEventHandler,
  PaymentEventHandlers,
} from './payment-event-handlers.js';

// What other modules use of this one (their only way in).
export { feeOfPayment } from './apply-event.js';
export { openCheckout } from './checkout.service.js';
export { type EventEnvelope } from './payment-events.js';
export { insertOrder } from './payments.repository.js';
export { orderSchema, type OrderJson } from './payments.schemas.js';
export { type TransferRequest } from './processor.js';
