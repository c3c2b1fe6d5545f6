// /claim/<token>: where a receipt's claim link and the processor's "success" redirect lead. It
// thanks the buyer, says whether the payment is confirmed yet, and lets a guest keep the purchase
// in an account: sign in or create one, then one button adds it to the library. The signed token
// is the proof (it went only to the buyer's address, or came back from the processor's page).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { notFound } from '../../platform/errors.js';
import { requireUser, principalOf } from '../../platform/http/auth.js';
import { Button, LinkButton, Notice } from '../../platform/views/components.js';
import { render } from '../../platform/views/render.js';
import { getViewContext } from '../../platform/views/view-context.js';
import { formatPrice } from '../../platform/money/index.js';
import { findOrder, type OrderRow } from './payments.repository.js';
import { verifyClaimToken } from './receipts.js';

type View =
  { state: 'pending' | 'failed' | 'gone' } | { state: 'yours' | 'taken' | 'sign-in' | 'claim' };

async function describe(db: Db, order: OrderRow): Promise<string> {
  if (order.item_id) {
    const item = await db
      .selectFrom('items')
      .select('title')
      .where('id', '=', order.item_id)
      .executeTakeFirst();
    if (item) return item.title;
  }
  const creator = await db
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', order.creator_id)
    .executeTakeFirst();
  const name = creator?.display_name ?? 'the creator';
  return order.kind === 'tip' ? `Your tip to ${name}` : `Your membership with ${name}`;
}

function viewOf(order: OrderRow, request: FastifyRequest): View {
  if (order.status === 'pending') return { state: 'pending' };
  if (order.status === 'failed') return { state: 'failed' };
  if (order.status !== 'paid' && order.status !== 'partially_refunded') return { state: 'gone' };
  const userId = request.principal?.user.id;
  if (order.buyer_id !== null) return { state: order.buyer_id === userId ? 'yours' : 'taken' };
  return { state: userId ? 'claim' : 'sign-in' };
}

function ClaimCard(props: {
  title: string;
  order: OrderRow;
  view: View;
  token: string;
  csrf: string;
  handle: string | undefined;
}) {
  const { order, view } = props;
  const here = `/claim/${props.token}`;
  const amount = order.amount === 0 ? 'Free' : formatPrice(order.amount, order.currency.trim());
  const email = order.buyer_email ?? '';
  const join = `/join?${new URLSearchParams({ email, next: here }).toString()}`;
  const login = `/login?${new URLSearchParams({ next: here }).toString()}`;
  const itemLink = order.item_id ? `/i/${order.item_id}` : undefined;
  // While the processor's confirmation is on its way the card refreshes itself (htmx polling),
  // and the live region reads out the new state.
  const polling =
    view.state === 'pending'
      ? {
          'hx-get': here,
          'hx-trigger': 'every 1s',
          'hx-select': '#claim-card',
          'hx-swap': 'outerHTML',
        }
      : {};
  return (
    <section class="auth" aria-labelledby="claim-title">
      <div class="auth__card" id="claim-card" aria-live="polite" {...polling}>
        <h1 class="auth__title" id="claim-title">
          <span class="auth__eyebrow">Thank you</span> <span safe>{props.title}</span>
        </h1>
        <dl>
          <dt>Amount</dt>
          <dd safe>{amount}</dd>
          <dt>Order</dt>
          <dd safe>{order.id}</dd>
        </dl>
        {view.state === 'pending' ? (
          <>
            <Notice tone="info" title="We are confirming your payment with the processor.">
              <p>This takes a few seconds. The receipt follows by email.</p>
            </Notice>
            <p class="auth__lead">
              <a href={here}>Check again</a>
            </p>
          </>
        ) : (
          ''
        )}
        {view.state === 'failed' ? (
          <Notice tone="error" title="The payment did not go through. Nothing was charged." />
        ) : (
          ''
        )}
        {view.state === 'gone' ? (
          <Notice
            tone="warning"
            title="This purchase was refunded or disputed: it is no longer yours."
          />
        ) : (
          ''
        )}
        {view.state === 'yours' ? (
          <>
            <Notice tone="success" title="It is in your library." />
            <div class="auth__actions">
              {itemLink ? <LinkButton href={itemLink}>Open it</LinkButton> : ''}
              <LinkButton href="/library" variant="secondary">
                Your library
              </LinkButton>
            </div>
          </>
        ) : (
          ''
        )}
        {view.state === 'taken' ? (
          <Notice tone="info" title="This purchase is kept in another account.">
            <p>
              Sign in to that account to find it in the library. <a href={login}>Sign in</a>
            </p>
          </Notice>
        ) : (
          ''
        )}
        {view.state === 'sign-in' ? (
          <>
            <p class="auth__lead">
              It is yours:{' '}
              {itemLink ? <a href={itemLink}>open it now</a> : 'the receipt is on its way'}. Keep it
              in a free account to find it again on any device.
            </p>
            <div class="auth__actions">
              <LinkButton href={join}>Create a free account</LinkButton>
              <LinkButton href={login} variant="secondary">
                Sign in
              </LinkButton>
            </div>
          </>
        ) : (
          ''
        )}
        {view.state === 'claim' ? (
          <form method="post" action={here} class="auth__form">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <p class="auth__lead" safe>
              {`Keep it in the account @${props.handle ?? ''}.`}
            </p>
            <div class="auth__actions">
              <Button>Add to my library</Button>
            </div>
          </form>
        ) : (
          ''
        )}
      </div>
    </section>
  );
}

export async function claimPages(
  app: FastifyInstance,
  { db, config }: { db: Db; config: Readonly<Config> },
) {
  async function load(token: string): Promise<OrderRow> {
    const orderId = token.length <= 200 ? verifyClaimToken(config.appSecret, token) : undefined;
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
    const view = viewOf(order, request);
    reply.header('cache-control', 'private, no-store');
    reply.header('referrer-policy', 'no-referrer'); // the token is in the URL
    return render(reply, {
      title: 'Thank you',
      body: (
        <ClaimCard
          title={await describe(db, order)}
          order={order}
          view={view}
          token={token}
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
      const moved = await db
        .updateTable('orders')
        .set({ buyer_id: userId, updated_at: new Date() })
        .where('id', '=', order.id)
        .where('buyer_id', 'is', null)
        .where('status', 'in', ['paid', 'partially_refunded'])
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) {
        const fresh = (await findOrder(db, order.id)) ?? order;
        return page(request, reply.code(409), fresh, request.params.token);
      }
      return reply.redirect('/library', 303);
    },
  );
}
