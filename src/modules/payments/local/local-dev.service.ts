// What happens on a real processor's side after a payment, done by hand for the local processor
// from its developer panel (/pay/local/dev): refunds made on the processor's side, disputes a
// card network opens and decides, and payout destinations that refuse transfers. Each change
// commits with the Stripe-shaped event that reports it, delivered to our webhook like any other.
import { sql } from 'kysely';
import type { Db, Executor } from '../../../db/database.js';
import { AppError } from '../../../platform/errors.js';
import { formatMoney } from '../../../platform/money/index.js';
import { randomToken } from '../../../platform/secrets.js';
import './local-dev.tables.js';
import { queueLocalEvent } from './local-checkout.service.js';
import { RefundRefused } from '../processor.js';
import { CHARGE_REFUNDED, DISPUTE_CLOSED, DISPUTE_CREATED } from '../payment-events.js';

/** A card network's dispute fee, in minor units of any currency (Stripe charges 15.00). */
export const LOCAL_DISPUTE_FEE = 1500;

export interface LocalPayment {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  description: string;
  completedAt: Date;
  refunded: number;
  openDisputeId: string | null;
  orderStatus: string;
}

async function findPayment(db: Executor, paymentId: string) {
  return db
    .selectFrom('local_checkout_sessions')
    .select(['payment_id', 'order_id', 'amount', 'currency'])
    .where('payment_id', '=', paymentId)
    .where('outcome', '=', 'succeeded')
    .executeTakeFirst();
}

async function refundsOf(db: Executor, paymentId: string) {
  return db
    .selectFrom('local_refunds')
    .select(['id', 'amount'])
    .where('payment_id', '=', paymentId)
    .orderBy('created_at')
    .execute();
}

/**
 * Records a refund on the local processor's side and, when it is new, queues `charge.refunded`
 * listing every refund of the payment (as Stripe does). The same key answers the same refund;
 * like Stripe, it refuses (RefundRefused) more than is left of a payment it knows.
 */
export async function createLocalRefund(
  db: Db,
  request: { paymentId: string; orderId: string; amount: number; currency: string; key: string },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    // one refund of a payment at a time, so two cannot both fit in what is left
    await sql`select pg_advisory_xact_lock(hashtext(${`local-refund:${request.paymentId}`}))`.execute(
      trx,
    );
    const stored = await trx
      .selectFrom('local_refunds')
      .select('id')
      .where('idempotency_key', '=', request.key)
      .executeTakeFirst();
    if (stored) return stored.id;
    const earlier = await refundsOf(trx, request.paymentId);
    const payment = await findPayment(trx, request.paymentId);
    const refunded = earlier.reduce((sum, refund) => sum + refund.amount, 0);
    if (payment && refunded + request.amount > payment.amount) {
      throw new RefundRefused('The refund is more than is left of the payment.');
    }
    const id = `re_local_${randomToken(18)}`;
    await trx
      .insertInto('local_refunds')
      .values({
        id,
        idempotency_key: request.key,
        order_id: request.orderId,
        payment_id: request.paymentId,
        amount: request.amount,
        currency: request.currency,
      })
      .execute();
    const refunds = [...earlier, { id, amount: request.amount }];
    await queueLocalEvent(trx, CHARGE_REFUNDED, {
      id: `ch_${request.paymentId}`,
      object: 'charge',
      payment_intent: request.paymentId,
      amount: payment?.amount ?? request.amount,
      amount_refunded: refunded + request.amount,
      currency: request.currency.trim().toLowerCase(),
      refunds: {
        object: 'list',
        data: refunds.map((refund) => ({
          id: refund.id,
          object: 'refund',
          amount: refund.amount,
          status: 'succeeded',
        })),
      },
    });
    return id;
  });
}

const notRefundable = (message: string) => new AppError('LOCAL_NOT_POSSIBLE', 409, message);

/** The currency of a completed payment: the panel's refund amounts are typed in it. */
export async function localPaymentCurrency(db: Db, paymentId: string): Promise<string> {
  const payment = await findPayment(db, paymentId);
  if (!payment) throw notRefundable('There is no such payment.');
  return payment.currency.trim();
}

/** A refund made on the processor's side (its dashboard), not through our API. */
export async function refundFromProcessor(
  db: Db,
  paymentId: string,
  amount: number | undefined,
): Promise<string> {
  const payment = await findPayment(db, paymentId);
  if (!payment) throw notRefundable('There is no such payment.');
  const refunded = (await refundsOf(db, paymentId)).reduce((sum, r) => sum + r.amount, 0);
  const left = payment.amount - refunded;
  const chosen = amount ?? left;
  if (left <= 0 || chosen < 1 || chosen > left) {
    const most = formatMoney(Math.max(left, 0), payment.currency);
    throw notRefundable(`At most ${most} of this payment can be refunded.`);
  }
  try {
    return await createLocalRefund(db, {
      paymentId,
      orderId: payment.order_id,
      amount: chosen,
      currency: payment.currency.trim(),
      key: `dev:${randomToken(12)}`,
    });
  } catch (error) {
    // another refund took what was left between the check above and this one
    if (error instanceof RefundRefused) throw notRefundable(error.reason);
    throw error;
  }
}

function disputeObject(dispute: {
  id: string;
  payment_id: string;
  amount: number;
  currency: string;
  fee: number;
  status: string;
}) {
  return {
    id: dispute.id,
    object: 'dispute',
    charge: `ch_${dispute.payment_id}`,
    payment_intent: dispute.payment_id,
    amount: dispute.amount,
    currency: dispute.currency.trim().toLowerCase(),
    status: dispute.status,
    fee: dispute.fee,
    reason: 'fraudulent',
  };
}

/** A card network disputes what is left of a payment; the money and the fee leave at once. */
export async function openLocalDispute(db: Db, paymentId: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const payment = await findPayment(trx, paymentId);
    if (!payment) throw notRefundable('There is no such payment.');
    const refunded = (await refundsOf(trx, paymentId)).reduce((sum, r) => sum + r.amount, 0);
    const amount = payment.amount - refunded;
    if (amount <= 0) throw notRefundable('This payment was refunded in full.');
    const row = {
      id: `dp_local_${randomToken(18)}`,
      payment_id: paymentId,
      order_id: payment.order_id,
      amount,
      currency: payment.currency,
      fee: LOCAL_DISPUTE_FEE,
    };
    const inserted = await trx
      .insertInto('local_disputes')
      .values(row)
      .onConflict((oc) =>
        oc.column('payment_id').where('status', '=', 'needs_response').doNothing(),
      )
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw notRefundable('This payment already has an open dispute.');
    await queueLocalEvent(
      trx,
      DISPUTE_CREATED,
      disputeObject({ ...row, status: 'needs_response' }),
    );
    return row.id;
  });
}

/** The card network decides: won gives the amount back (not the fee), lost keeps it gone. */
export async function closeLocalDispute(
  db: Db,
  disputeId: string,
  outcome: 'won' | 'lost',
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const dispute = await trx
      .updateTable('local_disputes')
      .set({ status: outcome, closed_at: new Date() })
      .where('id', '=', disputeId)
      .where('status', '=', 'needs_response')
      .returningAll()
      .executeTakeFirst();
    if (!dispute) throw notRefundable('That dispute is not open.');
    await queueLocalEvent(trx, DISPUTE_CLOSED, disputeObject(dispute));
  });
}

/** Makes the local processor refuse (or accept again) transfers to a payout destination. */
export async function setDestinationRefusing(
  db: Executor,
  destination: string,
  refusing: boolean,
): Promise<void> {
  if (refusing) {
    await db
      .insertInto('local_refusing_destinations')
      .values({ destination, reason: 'The bank account was closed.' })
      .onConflict((oc) => oc.column('destination').doNothing())
      .execute();
  } else {
    await db
      .deleteFrom('local_refusing_destinations')
      .where('destination', '=', destination)
      .execute();
  }
}

export async function refusalReason(db: Executor, destination: string) {
  const row = await db
    .selectFrom('local_refusing_destinations')
    .select('reason')
    .where('destination', '=', destination)
    .executeTakeFirst();
  return row?.reason;
}

/** The latest local payments with what happened to them, for the panel. */
export async function listLocalPayments(db: Executor, limit = 50): Promise<LocalPayment[]> {
  const rows = await db
    .selectFrom('local_checkout_sessions as s')
    .innerJoin('orders as o', 'o.id', 's.order_id')
    .leftJoin('local_disputes as d', (join) =>
      join.onRef('d.payment_id', '=', 's.payment_id').on('d.status', '=', 'needs_response'),
    )
    .select((eb) => [
      's.payment_id',
      's.order_id',
      's.amount',
      's.currency',
      's.description',
      's.completed_at',
      'o.status as order_status',
      'd.id as dispute_id',
      eb
        .selectFrom('local_refunds as r')
        .select((inner) =>
          inner.fn.coalesce(inner.fn.sum<string>('r.amount'), sql<string>`'0'`).as('n'),
        )
        .whereRef('r.payment_id', '=', 's.payment_id')
        .as('refunded'),
    ])
    .where('s.outcome', '=', 'succeeded')
    .orderBy('s.completed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.flatMap((row) =>
    row.payment_id && row.completed_at
      ? [
          {
            paymentId: row.payment_id,
            orderId: row.order_id,
            amount: row.amount,
            currency: row.currency.trim(),
            description: row.description,
            completedAt: row.completed_at,
            refunded: Number(row.refunded ?? 0),
            openDisputeId: row.dispute_id,
            orderStatus: row.order_status,
          },
        ]
      : [],
  );
}

export async function listPayoutDestinations(db: Executor) {
  return db
    .selectFrom('payout_accounts as a')
    .innerJoin('users as u', 'u.id', 'a.creator_id')
    .leftJoin('local_refusing_destinations as r', 'r.destination', 'a.destination')
    .select(['u.handle', 'a.destination', 'r.reason as refusing'])
    .where('a.processor', '=', 'local')
    .orderBy('u.handle')
    .limit(200)
    .execute();
}
