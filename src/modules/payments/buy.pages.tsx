// /buy/<item id>: the direct link to buy one item (PRODUCT.md). A short form — the amount for
// pay-what-you-want, an email for guests — that starts the same checkout as the API and sends
// the buyer to the processor's page (or, for free items, straight to what they claimed).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError, z } from 'zod';
import { AppError, type FieldErrors } from '../../platform/errors.js';
import {
  amountExample,
  formatPrice,
  parseMajorUnits,
  toMajorUnits,
} from '../../platform/money/index.js';
import { zodFieldErrors } from '../../platform/http/error-handler.js';
import { Button, Field, Notice, PageHeader } from '../../platform/views/components.js';
import { getViewContext } from '../../platform/views/view-context.js';
import { render } from '../../platform/views/render.js';
import { priceLabel } from '../catalog/index.js';
import { loadPurchasable, startCheckout, type PaymentsDeps } from './checkout.service.js';
import { findItemPlace, type PurchasableItem } from './payments.repository.js';
import { claimToken } from './receipts.js';

const params = z.object({ id: z.string().max(100) });
const form = z.object({
  amount: z.string().trim().max(20).optional(),
  email: z.string().trim().max(320).optional(),
  promo_code: z.string().trim().max(100).optional(),
});

function BuyPage(props: {
  item: PurchasableItem;
  signedIn: boolean;
  csrfToken: string;
  values: {
    amount?: string | undefined;
    email?: string | undefined;
    promo_code?: string | undefined;
  };
  errors: FieldErrors;
}) {
  const { item } = props;
  const currency = item.currency.trim();
  const pwyw = item.price_model === 'pwyw';
  const minimum = item.price_minimum ?? 0;
  const suggested = item.price_suggested ?? minimum;
  const free = item.price_model === 'free';
  const problem = Object.values(props.errors)[0];
  return (
    <div class="wrap catalog-page">
      <PageHeader eyebrow="Buy" title={item.title} lead={priceLabel(item, currency)} />
      {problem ? (
        <Notice tone="error" title="Please check the form">
          <p safe>{problem}</p>
        </Notice>
      ) : (
        ''
      )}
      <form method="post" action={`/buy/${item.id}`} class="stack buy-form" novalidate>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        {pwyw ? (
          <Field
            label={`Your price in ${currency}`}
            name="amount"
            value={props.values.amount ?? toMajorUnits(suggested, currency)}
            hint={
              minimum > 0
                ? `At least ${formatPrice(minimum, currency)}. Like ${amountExample(currency)}.`
                : `Any amount, even 0. Like ${amountExample(currency)}.`
            }
            error={props.errors.amount}
            required
          />
        ) : (
          ''
        )}
        {props.signedIn ? (
          ''
        ) : (
          <Field
            label="Your email"
            name="email"
            type="email"
            autocomplete="email"
            value={props.values.email}
            hint="Your receipt and the purchase go to this address."
            error={props.errors.email}
            required
          />
        )}
        {free ? (
          ''
        ) : (
          <Field
            label="Promo code (optional)"
            name="promo_code"
            value={props.values.promo_code}
            hint={
              pwyw
                ? 'A code lowers the minimum; you still pay the price you name.'
                : 'If the creator gave you one.'
            }
            error={props.errors.promo_code}
            autocomplete="off"
          />
        )}
        <Button type="submit" variant="primary">
          {free ? 'Get it' : 'Continue to payment'}
        </Button>
      </form>
    </div>
  );
}

export async function buyPages(app: FastifyInstance, { deps }: { deps: PaymentsDeps }) {
  async function show(
    request: FastifyRequest,
    reply: FastifyReply,
    item: PurchasableItem,
    state: {
      values?: { amount?: string; email?: string; promo_code?: string };
      errors?: FieldErrors;
      status?: number;
    } = {},
  ) {
    return render(reply, {
      title: `Buy ${item.title}`,
      status: state.status,
      body: (
        <BuyPage
          item={item}
          signedIn={request.principal !== undefined}
          csrfToken={getViewContext(request).csrfToken}
          values={state.values ?? {}}
          errors={state.errors ?? {}}
        />
      ),
    });
  }

  /** Members-only work is not sold: its buy address leads to the project's membership page. */
  async function membershipPage(item: PurchasableItem): Promise<string> {
    const where = await findItemPlace(deps.db, item.id);
    return `/@${encodeURIComponent(where.handle)}/${encodeURIComponent(where.slug)}/membership`;
  }

  app.get('/buy/:id', async (request, reply) => {
    const { id } = params.parse(request.params);
    const item = await loadPurchasable(deps, id);
    if (item.price_model === 'members') return reply.redirect(await membershipPage(item), 303);
    return show(request, reply, item);
  });

  app.post('/buy/:id', async (request, reply) => {
    const { id } = params.parse(request.params);
    const item = await loadPurchasable(deps, id);
    if (item.price_model === 'members') return reply.redirect(await membershipPage(item), 303);
    const values = form.parse(request.body ?? {});
    let amount: number | undefined;
    if (item.price_model === 'pwyw') {
      const parsed = parseMajorUnits(values.amount ?? '', item.currency);
      if (!parsed.ok) {
        return show(request, reply, item, {
          values,
          status: 422,
          errors: { amount: parsed.message },
        });
      }
      amount = parsed.minor;
    }
    try {
      const { order, checkout_url } = await startCheckout(
        deps,
        request.principal,
        {
          item_id: item.id,
          ...(amount !== undefined && { amount }),
          ...(values.email && { email: values.email }),
          ...(values.promo_code && { promo_code: values.promo_code }),
        },
        { ip: request.ip },
      );
      if (checkout_url) return await reply.redirect(checkout_url, 303);
      // Free, and already theirs: a guest's thank-you page opens it with no account.
      return await reply.redirect(
        request.principal ? '/library' : `/claim/${claimToken(deps.config.appSecret, order.id)}`,
        303,
      );
    } catch (error) {
      if (error instanceof ZodError) {
        return show(request, reply, item, { values, errors: zodFieldErrors(error), status: 422 });
      }
      // 429: too many free claims mailed to an unconfirmed address; the form says what to do
      if (!(error instanceof AppError && error.fields && [422, 429].includes(error.status))) {
        throw error;
      }
      if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
      return show(request, reply, item, { values, errors: error.fields, status: error.status });
    }
  });
}
