// A membership payment that went back for good (refunded in full, or a dispute lost: the first
// period's order or a renewal's) ends the membership at once: access stops, and the processor's
// subscription is canceled by a job (outside any transaction, keyed by the subscription, safe to
// run twice) so nothing more is charged. A partial refund changes nothing: payments runs this
// hook only for money gone back in full. Whoever records the reversal first runs it; a repeated
// report finds the membership ended and does nothing.
import { z } from 'zod';
import type { Config } from '../../config.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import type { OrderReversedHook, PaymentProcessor } from '../payments/index.js';
import { mailMembershipEnded } from './membership-mail.js';
import { findMembershipOrder, lockMembership, updateMembership } from './memberships.repository.js';

export const cancelSubscriptionJob = defineJob(
  'memberships:cancel_subscription',
  z.object({ subscriptionId: z.string().min(1).max(255) }),
);

/** The reversal hook: ends the membership the order paid for and queues the cancellation. */
export const endMembershipOnReversal =
  (config: Pick<Config, 'publicUrl'>): OrderReversedHook =>
  async (trx, { order, reason }) => {
    if (order.kind !== 'membership') return;
    const bought = await findMembershipOrder(trx, order.id);
    if (!bought?.membership_id) return;
    const membership = await lockMembership(trx, bought.membership_id);
    if (!membership || membership.status === 'ended') return;
    const now = new Date();
    await updateMembership(trx, membership.id, {
      status: 'ended',
      ended_at: now,
      canceled_at: membership.canceled_at ?? now,
      cancel_at_period_end: false,
    });
    await cancelSubscriptionJob.add(
      trx,
      { subscriptionId: membership.subscription_id },
      { jobKey: `cancel-subscription:${membership.subscription_id}` },
    );
    // A refund's own mail says the membership ended with it; a lost dispute sends no refund mail.
    if (reason === 'dispute_lost') {
      await mailMembershipEnded(trx, config, membership, now, {
        why: 'Its payment was disputed with your bank and taken back.',
        endedAt: now,
      });
    }
  };

/** Cancels the subscription at the processor now; canceling a canceled one is done already. */
export function cancelSubscriptionTask(
  processor: PaymentProcessor,
): TaskDefinition<{ subscriptionId: string }> {
  return cancelSubscriptionJob.task(async ({ subscriptionId }) => {
    await processor.cancelSubscription(subscriptionId, { atPeriodEnd: false });
  });
}
