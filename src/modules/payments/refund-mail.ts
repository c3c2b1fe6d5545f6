// The buyer's mail about a refund. It is queued where a refund is recorded for the first time
// (the ledger keys refunds by the processor's refund id), in the same transaction: whichever path
// reports a refund first (our refund API, the dashboard's sales page, the processor's
// charge.refunded) mails it, and the echo of the same refund finds it recorded and mails nothing.
// A dispute is the buyer's bank taking the money back, not a refund: it sends no mail.
import type { Config } from '../../config.js';
import type { Trx } from '../../db/database.js';
import { formatDate } from '../../platform/dates.js';
import { queueMail, type MailMessage } from '../../platform/mail/mail.js';
import { formatMoney } from '../../platform/money/index.js';
import type { OrderStatus } from '../../db/schema.js';
import type { OrderRow } from './payments.repository.js';
import { orderNumber } from './purchase-facts.js';
import { loadContext, purchaseLink, SIGNATURE, table } from './receipts.js';

export interface RefundFacts {
  /** this refund, in minor units */
  amount: number;
  /** everything refunded of the order so far, this refund included */
  refundedTotal: number;
  /** the order's status with this refund counted */
  status: OrderStatus;
}

interface RefundContext {
  to: string;
  buyerName: string | null;
  what: string;
  creatorName: string;
  /** the signed link that opens the purchase, for a guest who keeps it */
  openUrl: string;
  /** the buyer's account, when the order is in one */
  accountUrl: URL | null;
}

/**
 * An item order whose item is gone: only a payment that arrived after its order expired and the
 * item was deleted (an order anyone paid keeps its item), refunded by itself.
 */
const itemRemoved = (order: OrderRow) => order.kind === 'item' && order.item_id === null;

/** What the refund means for the buyer's access, in a sentence or two (none for a tip). */
function accessLines(order: OrderRow, refund: RefundFacts, context: RefundContext): string[] {
  const account = context.accountUrl;
  if (order.kind === 'tip') return [];
  if (itemRemoved(order)) {
    return [
      'Your payment reached us after the checkout had expired, and the creator had removed the',
      'item from sale by then, so the whole payment is refunded.',
    ];
  }
  if (order.kind === 'membership') {
    const manage = account
      ? [`Your memberships: ${new URL('/library/memberships', account).href}`]
      : [];
    if (refund.status === 'refunded') {
      return [
        'The whole payment is refunded, so the membership has ended: its members-only work no',
        'longer opens for you, and nothing more will be charged for it.',
        ...manage,
      ];
    }
    return ['This is a partial refund: your membership goes on as before.', ...manage];
  }
  if (refund.status === 'disputed') {
    return ['The payment is also disputed with your bank, so the purchase does not open.'];
  }
  if (refund.status === 'refunded') {
    return [
      `The whole payment is refunded, so your access to "${context.what}" has ended.`,
      ...(account ? ['Your library lists it as refunded.'] : []),
    ];
  }
  return [
    `This is a partial refund: "${context.what}" stays yours to read, play and download.`,
    account
      ? `It is in your library: ${new URL('/library', account).href}`
      : `Open it: ${context.openUrl}`,
  ];
}

export function refundMail(
  order: OrderRow,
  refund: RefundFacts,
  context: RefundContext,
): MailMessage {
  const currency = order.currency.trim();
  const money = (minor: number) => formatMoney(minor, currency);
  const on =
    order.kind === 'tip'
      ? `your tip to ${context.creatorName}`
      : order.kind === 'membership'
        ? `your membership of ${context.what} by ${context.creatorName}`
        : itemRemoved(order)
          ? `your payment to ${context.creatorName}`
          : `your purchase of "${context.what}" by ${context.creatorName}`;
  const rows: [string, string][] = [
    ['Refunded', money(refund.amount)],
    ['You paid', money(order.amount)],
  ];
  if (refund.refundedTotal !== refund.amount) {
    rows.push(['Refunded in all', money(refund.refundedTotal)]);
  }
  rows.push(['Order', orderNumber(order.id)], ['Date', formatDate(new Date())]);
  const access = accessLines(order, refund, context);
  const lines = [
    `Hi${context.buyerName ? ` ${context.buyerName}` : ''},`,
    '',
    `${money(refund.amount)} of ${on} has been refunded to you.`,
    '',
    ...table(rows),
    '',
    'The money goes back to the card or account you paid with.',
    'Your bank usually shows it within 5 to 10 days.',
    ...(access.length > 0 ? ['', ...access] : []),
  ];
  const subject =
    order.kind === 'tip'
      ? `Your refund: tip to ${context.creatorName}`
      : itemRemoved(order)
        ? `Your refund: payment to ${context.creatorName}`
        : `Your refund: ${context.what}`;
  return {
    to: context.to,
    subject: subject.slice(0, 150).replace(/[\r\n]+/g, ' '),
    text: lines.join('\n') + SIGNATURE,
  };
}

/**
 * Queues the mail about one refund. Call it only where the refund was just recorded for the
 * first time (recordRefund answered `created`), inside that transaction.
 */
export async function queueRefundMail(
  trx: Trx,
  config: Pick<Config, 'appSecret' | 'publicUrl'>,
  order: OrderRow,
  refund: RefundFacts,
): Promise<void> {
  const { creator, buyer, item, project } = await loadContext(trx, order);
  const to = buyer?.email ?? order.buyer_email;
  if (!to) return; // a guest always gives an email; an account always has one
  await queueMail(
    trx,
    refundMail(order, refund, {
      to,
      buyerName: buyer?.display_name ?? null,
      what: item?.title ?? project?.title ?? creator.display_name,
      creatorName: creator.display_name,
      openUrl: purchaseLink(config, order.id),
      accountUrl: order.buyer_id === null ? null : config.publicUrl,
    }),
  );
}
