// The memberships module's public face: tiers and joining them (API and pages), the processor
// event handlers, paid-order and reversal hooks that payments runs for it, the members-only
// access check, canceling subscriptions whose payment went back, and the local processor's
// hourly renewals.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { ApiOperation } from '../../platform/http/openapi.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
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

export interface MembershipsModule {
  /** JSON API, to register under /api/v1 */
  api: (app: FastifyInstance) => Promise<void>;
  /** the public membership page, the creator's tiers and members, the fan's memberships */
  pages: (app: FastifyInstance) => Promise<void>;
  operations: ApiOperation[];
}

export function createMembershipsModule(
  db: Db,
  config: Readonly<Config>,
  processor: PaymentProcessor | undefined,
): MembershipsModule {
  const deps = { db, config, processor };
  return {
    api: (app) => membershipsApi(app, { deps }),
    pages: (app) => membershipsPages(app, { deps }),
    operations: membershipsOperations,
  };
}

/**
 * The worker's side: canceling subscriptions whose payment went back, and renewals of the local
 * processor's subscriptions.
 */
export function membershipTasks(
  db: Db,
  processor: PaymentProcessor | undefined,
): { tasks: TaskDefinition[]; crontab: string[] } {
  if (!processor) return { tasks: [], crontab: [] };
  const cancel = cancelSubscriptionTask(processor) as TaskDefinition;
  if (processor.name !== 'local') return { tasks: [cancel], crontab: [] };
  return { tasks: [cancel, renewLocalTask(db)], crontab: [MEMBERSHIPS_CRONTAB] };
}

export { findMemberItems } from './memberships.repository.js';
export { attachGuestMembershipsByEmail } from './memberships.repository.js';
export { hasActiveTiers } from './tiers.repository.js';
export { membershipPurchaseFacts } from './purchase-facts.js';
