// The memberships module's public face: tiers and joining them (API and pages), the processor
// event handlers, paid-order and reversal hooks that payments runs for it, the members-only
// access check, canceling subscriptions whose payment went back, and the local processor's
// hourly renewals.
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import type { AppModule } from '../../platform/module.js';
import type {
  OrderPaidHook,
  OrderReversedHook,
  PaymentEventHandlers,
  PaymentProcessor,
} from '../payments/index.js';
import { membershipEventHandlers, startMembershipOnPaid } from './membership-events.js';
import { cancelSubscriptionTask, endMembershipOnReversal } from './membership-reversal.js';
import { membershipsApi } from './memberships.api.js';
import { MEMBERSHIPS_CRONTAB, renewLocalTask } from './memberships.jobs.js';
import { membershipsOperations } from './memberships.openapi.js';
import { membershipsPages } from './memberships.pages.js';

/** What payments runs for memberships: pass to createPaymentsModule. */
export const membershipPaymentHooks = (
  config: Pick<Config, 'publicUrl'>,
): {
  eventHandlers: PaymentEventHandlers;
  onOrderPaid: OrderPaidHook[];
  onOrderReversed: OrderReversedHook[];
} => ({
  eventHandlers: membershipEventHandlers(config),
  onOrderPaid: [startMembershipOnPaid],
  onOrderReversed: [endMembershipOnReversal(config)],
});

/**
 * Tiers and joining them (API, the public membership page, the creator's tiers and members, the
 * fan's memberships); for the worker, canceling subscriptions whose payment went back and the
 * local processor's renewals.
 */
export function createMembershipsModule(
  db: Db,
  config: Readonly<Config>,
  processor: PaymentProcessor | undefined,
): AppModule {
  const deps = { db, config, processor };
  const tasks: TaskDefinition[] = [];
  const crontab: string[] = [];
  if (processor) tasks.push(cancelSubscriptionTask(processor));
  if (processor?.name === 'local') {
    tasks.push(renewLocalTask(db));
    crontab.push(MEMBERSHIPS_CRONTAB);
  }
  return {
    name: 'memberships',
    api: (app) => membershipsApi(app, { deps }),
    routes: (app) => membershipsPages(app, { deps }),
    operations: membershipsOperations,
    tasks,
    crontab,
  };
}

export { findMemberItems } from './memberships.repository.js';
export { attachGuestMembershipsByEmail } from './memberships.repository.js';
export { hasActiveTiers } from './tiers.repository.js';
export { membershipPurchaseFacts } from './purchase-facts.js';
