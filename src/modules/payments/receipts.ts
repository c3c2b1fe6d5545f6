// Receipts: a paid-order hook queues the buyer's receipt in the transaction that makes the order
// paid (so a receipt exists exactly when the payment does, once). It tells the amount, what the
// processor kept of it, a short order number, what other modules add (a licence key, a
// membership's renewal) and a signed link that opens the purchase with no account: whoever
// holds it may read, play and download it and keep it in an account (the link went only to the
// address the buyer gave, like a password-reset link).
import type { Config } from '../../config.js';
import { claimViewer, type Viewer } from '../access/index.js';
import type { Executor } from '../../db/database.js';
import { queueMails, type MailMessage } from '../../platform/mail/mail.js';
import { deriveKey, hmac, safeEqual } from '../../platform/secrets.js';
import { isUuid } from '../../platform/ids.js';
import { formatDate } from '../../platform/dates.js';
import { formatMoney } from '../../platform/money/index.js';
import type { OrderPaidHook, PaidOrder } from './payment-event-handlers.js';
import type { OrderRow } from './payments.repository.js';
import {
  collectPurchaseFacts,
  orderNumber,
  type PurchaseFact,
  type PurchaseFacts,
} from './purchase-facts.js';

/** The closing lines of every mail to a buyer (receipts, refunds). */
export const SIGNATURE =
  '\n\n— Makenot.work\nCreators keep everything fans pay, less the processor fee.';

function claimKey(appSecret: string): Buffer {
  return deriveKey(appSecret, 'payments/claim-link');
}

/** The token in a guest's claim link: the order id and its signature. */
export function claimToken(appSecret: string, orderId: string): string {
  return `${orderId}.${hmac(claimKey(appSecret), `claim:${orderId}`).slice(0, 43)}`;
}

/** The viewer a claim link proves (the access rule decides what it opens), or undefined. */
export function claimViewerOf(appSecret: string): (token: string) => Viewer | undefined {
  return (token) => {
    const orderId = verifyClaimToken(appSecret, token);
    return orderId ? claimViewer(orderId) : undefined;
  };
}

/** The order id a claim token vouches for, or undefined for anything we did not sign. */
export function verifyClaimToken(appSecret: string, token: string): string | undefined {
  if (token.length > 200) return undefined; // ours are 80 characters: nothing long is hashed
  const [orderId, signature, extra] = token.split('.');
  if (orderId === undefined || signature === undefined || extra !== undefined) return undefined;
  if (!isUuid(orderId)) return undefined;
  const expected = claimToken(appSecret, orderId).split('.')[1] ?? '';
  return safeEqual(signature, expected) ? orderId : undefined;
}

interface ReceiptContext {
  to: string;
  buyerName: string | null;
  what: string;
  creatorName: string;
  /** the signed link that opens the purchase (the thank-you page), no account needed */
  openUrl: string;
  /** the buyer's library, when the order is in an account */
  libraryUrl: string | null;
  /** what other modules add: a licence key, a membership's renewal */
  facts: readonly PurchaseFact[];
  publicUrl: URL;
}

/** Label and value lines, the values lined up: "  Amount:         $5.00". */
export function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)}${value}`);
}

export function receiptMail(order: OrderRow, context: ReceiptContext): MailMessage {
  const currency = order.currency.trim();
  const money = (minor: number) => formatMoney(minor, currency);
  const thanks =
    order.kind === 'tip'
      ? `Thank you for your tip to ${context.creatorName}. All of it goes to them, less the processor's fee.`
      : order.kind === 'membership'
        ? `Thank you for joining ${context.what} by ${context.creatorName}.`
        : `Thank you for buying "${context.what}" by ${context.creatorName}.`;
  const rows: [string, string][] = [['Amount', order.amount === 0 ? 'free' : money(order.amount)]];
  if (order.amount > 0 && order.processor_fee !== null) {
    rows.push([
      'Processor fee',
      `${money(order.processor_fee)} (kept by the card processor; ${context.creatorName} receives ${money(order.amount - order.processor_fee)})`,
    ]);
  }
  rows.push(['Order', orderNumber(order.id)], ['Date', formatDate(order.paid_at ?? new Date())]);
  const lines = [
    `Hi${context.buyerName ? ` ${context.buyerName}` : ''},`,
    '',
    thanks,
    '',
    ...table(rows),
  ];
  if (context.facts.length > 0) {
    const absolute = (href: string) => new URL(href, context.publicUrl).href;
    lines.push(
      '',
      ...table(
        context.facts.map((fact) => [
          fact.label,
          fact.href ? `${fact.value}: ${absolute(fact.href)}` : fact.value,
        ]),
      ),
    );
  }
  if (order.kind !== 'tip') {
    lines.push(
      '',
      order.kind === 'membership'
        ? 'Your membership, with everything it opens:'
        : 'Open it: read, play and download it, no account needed:',
      context.openUrl,
    );
  }
  if (context.libraryUrl) {
    lines.push('', `It is also in your library: ${context.libraryUrl}`);
  } else if (order.kind !== 'tip') {
    lines.push(
      '',
      'To find it again on any device, keep it in a free Makenot.work account from that page.',
      'Anyone with this link can open and claim the purchase, so keep this email to yourself.',
    );
  }
  const subject =
    order.kind === 'tip'
      ? `Your tip to ${context.creatorName}`
      : `Your receipt: ${context.what}`.slice(0, 150);
  return {
    to: context.to,
    subject: subject.replace(/[\r\n]+/g, ' '),
    text: lines.join('\n') + SIGNATURE,
  };
}

/** Who and what an order is about: its creator, its buyer's account, its item or project. */
export async function loadContext(trx: Executor, order: OrderRow) {
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

/** The link that opens a purchase: the thank-you page, signed for this order. */
export function purchaseLink(config: Pick<Config, 'appSecret' | 'publicUrl'>, orderId: string) {
  return new URL(`/claim/${claimToken(config.appSecret, orderId)}`, config.publicUrl).href;
}

type OrderContext = Awaited<ReturnType<typeof loadContext>>;

/**
 * The queue priority of receipt mails: after the money (0, every other job). In a burst of
 * sales the queue records the payments first and sends their receipts right after; with no
 * backlog nothing waits.
 */
const RECEIPT_PRIORITY = 10;

/**
 * loadContext for several orders with one statement per table (creators and buyers, items,
 * projects), by order id.
 */
export async function loadContexts(
  trx: Executor,
  orders: readonly OrderRow[],
): Promise<Map<string, OrderContext>> {
  const ids = (pick: (order: OrderRow) => string | null) => [
    ...new Set(orders.flatMap((order) => pick(order) ?? [])),
  ];
  const userIds = ids((o) => o.creator_id).concat(ids((o) => o.buyer_id));
  const itemIds = ids((o) => o.item_id);
  const projectIds = ids((o) => o.project_id);
  // one after the other: a transaction's statements share one connection anyway
  const users =
    userIds.length === 0
      ? []
      : await trx
          .selectFrom('users')
          .select(['id', 'email', 'display_name', 'handle'])
          .where('id', 'in', userIds)
          .execute();
  const items =
    itemIds.length === 0
      ? []
      : await trx.selectFrom('items').select(['id', 'title']).where('id', 'in', itemIds).execute();
  const projects =
    projectIds.length === 0
      ? []
      : await trx
          .selectFrom('projects')
          .select(['id', 'title'])
          .where('id', 'in', projectIds)
          .execute();
  const user = new Map(users.map((u) => [u.id, u]));
  const item = new Map(items.map((i) => [i.id, i]));
  const project = new Map(projects.map((p) => [p.id, p]));
  const contexts = new Map<string, OrderContext>();
  for (const order of orders) {
    const creator = user.get(order.creator_id);
    if (!creator) throw new Error(`order ${order.id}: its creator ${order.creator_id} is gone`);
    const buyer = order.buyer_id ? user.get(order.buyer_id) : undefined;
    const bought = order.item_id ? item.get(order.item_id) : undefined;
    contexts.set(order.id, {
      creator: { display_name: creator.display_name, handle: creator.handle },
      buyer: buyer && { email: buyer.email, display_name: buyer.display_name },
      item: bought,
      project: (order.project_id && project.get(order.project_id)) || undefined,
    });
  }
  return contexts;
}

/**
 * The paid-order hook that queues the receipt. It runs after the other hooks, so the facts it
 * asks for (the licence key just issued, the membership just started) exist. For several
 * orders at once (a webhook batch) it reads their contexts together and queues all the mails
 * with one insert and one add_jobs.
 */
export function receiptHook(
  config: Pick<Config, 'appSecret' | 'publicUrl'>,
  purchaseFacts: readonly PurchaseFacts[],
): OrderPaidHook {
  const many = async (trx: Executor, paid: readonly PaidOrder[]) => {
    const contexts = await loadContexts(
      trx,
      paid.map((p) => p.order),
    );
    const mails: MailMessage[] = [];
    for (const { order } of paid) {
      const context = contexts.get(order.id);
      if (!context) continue;
      const { creator, buyer, item, project } = context;
      const to = buyer?.email ?? order.buyer_email;
      if (!to) continue; // a guest always gives an email; an account always has one
      mails.push(
        receiptMail(order, {
          to,
          buyerName: buyer?.display_name ?? null,
          what: item?.title ?? project?.title ?? creator.display_name,
          creatorName: creator.display_name,
          openUrl: purchaseLink(config, order.id),
          libraryUrl: order.buyer_id === null ? null : new URL('/library', config.publicUrl).href,
          facts: await collectPurchaseFacts(purchaseFacts, trx, order),
          publicUrl: config.publicUrl,
        }),
      );
    }
    await queueMails(trx, mails, { priority: RECEIPT_PRIORITY });
  };
  return Object.assign((trx: Executor, paid: PaidOrder) => many(trx, [paid]), { many });
}
