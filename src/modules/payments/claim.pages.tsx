// /claim/<token>: the thank-you page, where the processor's "success" redirect and a receipt's
// link lead. The signed token is the proof of one purchase (it went only to the buyer's address,
// or came back from the processor's page), so the page opens the purchase in full with no
// account: the access rule decides for the viewer the token names. It says whether the payment
// is confirmed yet, and offers to keep the purchase in an account (sign in or create one, then
// one button adds it to the library).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { notFound } from '../../platform/errors.js';
import { requireUser, principalOf } from '../../platform/http/auth.js';
import { render } from '../../platform/views/render.js';
import { getViewContext } from '../../platform/views/view-context.js';
import { claimViewer, type Viewer } from '../access/index.js';
import { findImageRef, loadPurchaseContent, type CatalogDeps } from '../catalog/index.js';
import { claimMediaLinks } from '../files/index.js';
import {
  claimGuestOrder,
  findOrder,
  findOrderSubject,
  findUserEmail,
  type OrderRow,
} from './payments.repository.js';
import { collectPurchaseFacts, type PurchaseFacts } from './purchase-facts.js';
import { verifyClaimToken } from './receipts.js';
import { ThankYouPage, type ThankYouState } from './views/thank-you-page.js';

const OWNING = new Set(['paid', 'partially_refunded']);

function stateOf(order: OrderRow, request: FastifyRequest): ThankYouState {
  if (order.status === 'pending') return 'pending';
  if (order.status === 'failed') return 'failed';
  if (!OWNING.has(order.status)) return 'gone';
  const userId = request.principal?.user.id;
  if (order.buyer_id !== null) return order.buyer_id === userId ? 'yours' : 'taken';
  return userId ? 'claim' : 'sign-in';
}

/** What the order was for and from whom, as the page's heading says it. */
async function describe(db: Db, order: OrderRow) {
  const { creator, item, project } = await findOrderSubject(db, order);
  const creatorName = creator?.display_name ?? 'the creator';
  const title =
    item?.title ??
    (order.kind === 'tip'
      ? `Your tip to ${creatorName}`
      : order.kind === 'membership'
        ? `Your membership of ${project?.title ?? creatorName}`
        : // the item is gone (deleted after a late payment, which was refunded)
          `Your purchase from ${creatorName}`);
  return {
    title,
    creatorName,
    creatorUrl:
      creator?.status === 'active' ? `/@${encodeURIComponent(creator.handle)}` : undefined,
    coverId: item?.cover_image_id ?? project?.cover_image_id ?? null,
  };
}

export async function claimPages(
  app: FastifyInstance,
  opts: {
    db: Db;
    config: Readonly<Config>;
    catalog: CatalogDeps | undefined;
    purchaseFacts: readonly PurchaseFacts[];
  },
) {
  const { db, config } = opts;

  async function load(token: string): Promise<OrderRow> {
    const orderId = verifyClaimToken(config.appSecret, token);
    const order = orderId ? await findOrder(db, orderId) : undefined;
    if (!order) throw notFound('purchase');
    return order;
  }

  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    order: OrderRow,
    token: string,
  ) {
    const state = stateOf(order, request);
    const viewer: Viewer = claimViewer(order.id);
    const owning = OWNING.has(order.status);
    const [about, content, facts, buyer] = await Promise.all([
      describe(db, order),
      owning && order.item_id && opts.catalog
        ? loadPurchaseContent(opts.catalog, viewer, order.item_id, claimMediaLinks(token))
        : Promise.resolve(undefined),
      owning ? collectPurchaseFacts(opts.purchaseFacts, db, order) : Promise.resolve([]),
      order.buyer_id ? findUserEmail(db, order.buyer_id) : Promise.resolve(undefined),
    ]);
    const cover = await findImageRef(db, about.coverId);
    // The token is in the address: never stored by a shared cache, never sent on as a Referer.
    reply.header('cache-control', 'private, no-store');
    reply.header('referrer-policy', 'no-referrer');
    return render(reply, {
      title: `Thank you: ${about.title}`,
      meta: { noindex: true },
      body: (
        <ThankYouPage
          state={state}
          order={order}
          title={about.title}
          creatorName={about.creatorName}
          creatorUrl={about.creatorUrl}
          cover={cover}
          content={content}
          facts={facts}
          receiptTo={buyer?.email ?? order.buyer_email}
          here={`/claim/${token}`}
          csrf={getViewContext(request).csrfToken}
          handle={request.principal?.user.handle}
        />
      ),
    });
  }

  app.get<{ Params: { token: string } }>('/claim/:token', async (request, reply) => {
    const order = await load(request.params.token);
    return page(request, reply, order, request.params.token);
  });

  app.post<{ Params: { token: string } }>(
    '/claim/:token',
    { preHandler: requireUser },
    async (request, reply) => {
      const order = await load(request.params.token);
      const userId = principalOf(request).user.id;
      // Only an unclaimed, owned purchase moves, and only once (the row decides, not this read).
      if (!(await claimGuestOrder(db, order.id, userId))) {
        const fresh = (await findOrder(db, order.id)) ?? order;
        return page(request, reply.code(409), fresh, request.params.token);
      }
      return reply.redirect('/library', 303);
    },
  );
}
