// Pending orders expire: an order nobody paid within 24 hours (as long as a Stripe Checkout
// Session lives) fails with the reason `expired`, which gives back what it held: a promo code's
// use (uses count orders that did not fail), its item (a failed order no longer keeps it from
// being deleted: migration 0029) and its price (the processor's session is expired too, so
// nobody can pay the old price later). A payment that still arrives for it (made before the
// session expired, its event late) is honoured, or refunded by itself when the item has been
// deleted since (apply-event.ts): money is never lost.
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import type { Logger } from '../../platform/log.js';
import { listStalePendingOrders, markOrderFailed } from './payments.repository.js';
import type { PaymentProcessor } from './processor.js';

export const ORDER_EXPIRY_HOURS = 24;
export const expireOrdersJob = defineJob('payments:expire_orders', z.looseObject({}));
/** graphile-worker crontab line: every 10 minutes, one run at a time */
export const EXPIRE_ORDERS_CRONTAB = expireOrdersJob.cron(
  '*/10 * * * *',
  '?max=1&jobKey=payments_expire_orders',
);

export interface ExpiryDeps {
  db: Db;
  processor: PaymentProcessor | undefined;
}

/**
 * Expires every pending order older than ORDER_EXPIRY_HOURS: its checkout session first (at the
 * processor, outside any transaction), then the order. A session the buyer finished first keeps
 * its order pending (the payment's event decides it); a processor that does not answer leaves
 * the order for the next run. Returns how many orders expired.
 */
export async function expirePendingOrders(
  deps: ExpiryDeps,
  log: Pick<Logger, 'warn'>,
  now = new Date(),
): Promise<number> {
  const before = new Date(now.getTime() - ORDER_EXPIRY_HOURS * 3_600_000);
  const skip: string[] = [];
  let expired = 0;
  for (;;) {
    const batch = await listStalePendingOrders(deps.db, before, skip, 100);
    if (batch.length === 0) return expired;
    for (const order of batch) {
      const { processor } = deps;
      const session = order.processor_session_id;
      if (session !== null && processor?.name === order.processor) {
        try {
          if ((await processor.expireCheckout(session)) === 'complete') {
            skip.push(order.id); // paid or declined at the last moment: its event is on its way
            continue;
          }
        } catch (error) {
          log.warn({ err: error, orderId: order.id }, 'could not expire a checkout session');
          skip.push(order.id);
          continue;
        }
      }
      if (await markOrderFailed(deps.db, order.id, 'expired')) expired += 1;
      else skip.push(order.id); // paid or failed meanwhile; never selected again this run anyway
    }
  }
}

export function expireOrdersTask(deps: ExpiryDeps): TaskDefinition<Record<string, unknown>> {
  return expireOrdersJob.task(async (_payload, context) => {
    const expired = await expirePendingOrders(deps, context.log);
    if (expired > 0) context.log.info({ expired }, 'pending orders expired');
  });
}
