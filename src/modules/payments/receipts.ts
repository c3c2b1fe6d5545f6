// Receipts: a paid-order hook queues the buyer's receipt in the transaction that makes the order
// paid (so a receipt exists exactly when the payment does, once). A guest's receipt carries a
// signed claim link: whoever holds it may keep the purchase in an account (the link went only to
// the address the buyer gave, like a password-reset link).
import type { Config } from '../../config.js';
import type { Executor } from '../../db/database.js';
import { queueMail, type MailMessage } from '../../platform/mail/mail.js';
import { deriveKey, hmac, safeEqual } from '../../platform/secrets.js';
import { isUuid } from '../../platform/ids.js';
import { formatPrice } from '../../platform/money/index.js';
import type { OrderPaidHook } from './payment-event-handlers.js';
import type { OrderRow } from './payments.repository.js';

const SIGNATURE = '\n\n— Makenot.work\nCreators keep everything fans pay, less the processor fee.';

function claimKey(appSecret: string): Buffer {
  return deriveKey(appSecret, 'payments/claim-link');
}

/** The token in a guest's claim link: the order id and its signature. */
export function claimToken(appSecret: string, orderId: string): string {
  return `${orderId}.${hmac(claimKey(appSecret), `claim:${orderId}`).slice(0, 43)}`;
}

/** The order id a claim token vouches for, or undefined for anything we did not sign. */
export function verifyClaimToken(appSecret: string, token: string): string | undefined {
  const [orderId, signature, extra] = token.split('.');
  if (orderId === undefined || signature === undefined || extra !== undefined) return undefined;
  if (!isUuid(orderId)) return undefined;
  const expected = claimToken(appSecret, orderId).split('.')[1] ?? '';
  return safeEqual(signature, expected) ? orderId : undefined;
}

interface ReceiptFacts {
  to: string;
  buyerName: string | null;
  what: string;
  creatorName: string;
  /** where the purchase is (item page), when it is an item */
  itemUrl: string | null;
  claimUrl: string | null;
  libraryUrl: string;
}

export function receiptMail(order: OrderRow, facts: ReceiptFacts): MailMessage {
  const amount = formatPrice(order.amount, order.currency.trim());
  const paidAt = (order.paid_at ?? new Date()).toUTCString();
  const thanks =
    order.kind === 'tip'
      ? `Thank you for your tip to ${facts.creatorName}. All of it goes to them, less the processor's fee.`
      : order.kind === 'membership'
        ? `Thank you for joining ${facts.what} by ${facts.creatorName}.`
        : `Thank you for buying "${facts.what}" by ${facts.creatorName}.`;
  const lines = [
    `Hi${facts.buyerName ? ` ${facts.buyerName}` : ''},`,
    '',
    thanks,
    '',
    `  Amount:  ${order.amount === 0 ? 'free' : amount}`,
    `  Order:   ${order.id}`,
    `  Date:    ${paidAt}`,
  ];
  if (facts.itemUrl) lines.push('', `Play, read and download it here:`, facts.itemUrl);
  if (facts.claimUrl) {
    lines.push(
      '',
      'Keep it in a free Makenot.work account, to find it again on any device:',
      facts.claimUrl,
      '',
      'Anyone with this link can claim the purchase, so keep this email to yourself.',
    );
  } else if (order.kind === 'item') {
    lines.push('', `It is in your library: ${facts.libraryUrl}`);
  }
  const subject =
    order.kind === 'tip'
      ? `Your tip to ${facts.creatorName}`
      : `Your receipt: ${facts.what}`.slice(0, 150);
  return {
    to: facts.to,
    subject: subject.replace(/[\r\n]+/g, ' '),
    text: lines.join('\n') + SIGNATURE,
  };
}

async function loadFacts(trx: Executor, order: OrderRow) {
  const creator = await trx
    .selectFrom('users')
    .select(['display_name', 'handle'])
    .where('id', '=', order.creator_id)
    .executeTakeFirstOrThrow();
  const buyer = order.buyer_id
    ? await trx
        .selectFrom('users')
        .select(['email', 'display_name'])
        .where('id', '=', order.buyer_id)
        .executeTakeFirst()
    : undefined;
  const item = order.item_id
    ? await trx
        .selectFrom('items')
        .select(['id', 'title'])
        .where('id', '=', order.item_id)
        .executeTakeFirst()
    : undefined;
  const project = order.project_id
    ? await trx
        .selectFrom('projects')
        .select('title')
        .where('id', '=', order.project_id)
        .executeTakeFirst()
    : undefined;
  return { creator, buyer, item, project };
}

/** The paid-order hook that queues the receipt. */
export function receiptHook(config: Pick<Config, 'appSecret' | 'publicUrl'>): OrderPaidHook {
  return async (trx, { order }) => {
    const { creator, buyer, item, project } = await loadFacts(trx, order);
    const to = buyer?.email ?? order.buyer_email;
    if (!to) return; // a guest always gives an email; an account always has one
    const link = (path: string) => new URL(path, config.publicUrl).href;
    const what = item?.title ?? project?.title ?? creator.display_name;
    await queueMail(
      trx,
      receiptMail(order, {
        to,
        buyerName: buyer?.display_name ?? null,
        what,
        creatorName: creator.display_name,
        itemUrl: item ? link(`/i/${item.id}`) : null,
        // Guests get a link to keep the purchase; an account already has it.
        claimUrl:
          order.buyer_id === null ? link(`/claim/${claimToken(config.appSecret, order.id)}`) : null,
        libraryUrl: link('/library'),
      }),
    );
  };
}
