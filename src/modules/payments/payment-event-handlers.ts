// How other modules take part in payments without payments knowing them: a handler per event
// type (memberships handle invoice.* and customer.subscription.*), and hooks that run inside the
// transaction that makes an order paid (licence keys, receipts, memberships starting) or records
// its money gone back for good (a membership ends).
import type { Trx } from '../../db/database.js';
import type { JobContext } from '../../platform/jobs/task.js';
import type { EventEnvelope } from './payment-events.js';
import type { OrderRow } from './payments.repository.js';
import type { PaymentProcessor } from './processor.js';

export interface PaymentEventHandler {
  /**
   * Processor calls the handler needs (a fee, a subscription's details), made before the
   * transaction opens: no processor call is ever made while a transaction is open.
   */
  prepare?: (event: EventEnvelope, processor: PaymentProcessor | undefined) => Promise<unknown>;
  /** Applies the event inside the transaction that marks it applied; must be idempotent. */
  apply: (trx: Trx, event: EventEnvelope, context: JobContext, prepared: unknown) => Promise<void>;
  /**
   * Optional: applies several events of this type in one transaction with a few statements for
   * all of them (a webhook batch), with the same outcome as `apply` one after the other.
   */
  applyMany?: (trx: Trx, events: readonly PreparedEvent[], context: JobContext) => Promise<void>;
}

/** An event with what its handler's `prepare` returned. */
export interface PreparedEvent {
  event: EventEnvelope;
  prepared: unknown;
}

export type PaymentEventHandlers = Record<string, PaymentEventHandler>;

export interface PaidOrder {
  /** the order as it is now: status paid, buyer attached when known */
  order: OrderRow;
  /** the processor's subscription, for a membership's first checkout */
  subscriptionId: string | null;
}

/** Runs in the transaction that makes an order paid, exactly once per order. */
export type OrderPaidHook = ((trx: Trx, paid: PaidOrder) => Promise<void>) & {
  /**
   * Optional: the same for several orders made paid in one transaction, with a few statements
   * for all of them (receipts of a webhook batch queue their mails in one go).
   */
  many?: (trx: Trx, paid: readonly PaidOrder[]) => Promise<void>;
};

export interface ReversedOrder {
  /** the order as it is now: refunded, or disputed with the dispute lost */
  order: OrderRow;
  /** refunded: the whole payment went back; dispute_lost: the bank took it back for good */
  reason: 'refunded' | 'dispute_lost';
}

/**
 * Runs in the transaction that records an order's money gone back for good (refunded in full,
 * or a dispute lost), wherever it was recorded first (the refund API, the processor's
 * charge.refunded, charge.dispute.closed); must be idempotent (a lost dispute may be reported
 * twice). A partial refund runs none.
 */
export type OrderReversedHook = (trx: Trx, reversed: ReversedOrder) => Promise<void>;
