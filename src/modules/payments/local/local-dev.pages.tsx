// The local processor's developer panel, /pay/local/dev (admins only): what a real processor's
// dashboard and the card networks do after a payment — refunds made on the processor's side,
// disputes opened and decided, payout destinations that refuse transfers. Every action reaches
// the app the way production events do: signed, through the webhook, via the job queue.
import Html from '@kitajs/html';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../../db/database.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { requireUser } from '../../../platform/http/auth.js';
import { Button, Notice, PageHeader } from '../../../platform/views/components.js';
import { render } from '../../../platform/views/render.js';
import { getViewContext } from '../../../platform/views/view-context.js';
import { formatPrice, parseMajorUnits, toMajorUnits } from '../../../platform/money/index.js';
import { formatDate } from '../../../platform/dates.js';
import {
  closeLocalDispute,
  listLocalPayments,
  listPayoutDestinations,
  localPaymentCurrency,
  openLocalDispute,
  refundFromProcessor,
  setDestinationRefusing,
  type LocalPayment,
} from './local-dev.service.js';
import { listLocalSubscriptionsForDev } from './local-subscriptions.repository.js';
import { renewLocalSubscription } from './local-subscriptions.service.js';

const DONE: Record<string, string> = {
  refund: 'Refund made. Its charge.refunded event is on its way to the webhook.',
  dispute: 'Dispute opened. Its charge.dispute.created event is on its way.',
  won: 'Dispute decided for the creator. Its charge.dispute.closed event is on its way.',
  lost: 'Dispute decided for the buyer. Its charge.dispute.closed event is on its way.',
  renewed: 'Renewal charged. Its invoice.paid event is on its way.',
  failed: 'Renewal declined. Its invoice.payment_failed event is on its way.',
  ended: 'The subscription ended (cancelled, or past due too long). Its event is on its way.',
  refusing: 'Transfers to that destination are now refused.',
  accepting: 'Transfers to that destination are accepted again.',
};

function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

function PaymentRow(props: { payment: LocalPayment; csrf: string }) {
  const p = props.payment;
  const left = p.amount - p.refunded;
  const base = `/pay/local/dev/payments/${encodeURIComponent(p.paymentId)}`;
  const fieldId = `refund-${p.paymentId}`;
  return (
    <tr>
      <th scope="row">
        <span safe>{p.description}</span>
        <br />
        <small safe>{`${p.paymentId} · ${formatDate(p.completedAt)}`}</small>
      </th>
      <td class="tier-table__amount" safe>
        {formatPrice(p.amount, p.currency)}
      </td>
      <td class="tier-table__amount">
        {Html.escapeHtml(p.refunded > 0 ? formatPrice(p.refunded, p.currency) : '—')}
      </td>
      <td safe>{p.orderStatus.replace('_', ' ')}</td>
      <td>
        {left > 0 && p.openDisputeId === null ? (
          <form method="post" action={`${base}/refund`} class="dev-panel__form">
            <Csrf token={props.csrf} />
            <label for={fieldId}>
              {Html.escapeHtml(
                `Amount in ${p.currency} (empty: ${toMajorUnits(left, p.currency)})`,
              )}
            </label>
            <input id={fieldId} name="amount" type="text" inputmode="decimal" autocomplete="off" />
            <Button small variant="secondary">
              Refund
            </Button>
          </form>
        ) : (
          ''
        )}
        {left > 0 && p.openDisputeId === null ? (
          <form method="post" action={`${base}/dispute`} class="dev-panel__form">
            <Csrf token={props.csrf} />
            <Button small variant="danger">
              Open a dispute
            </Button>
          </form>
        ) : (
          ''
        )}
        {p.openDisputeId !== null ? (
          <form
            method="post"
            action={`/pay/local/dev/disputes/${encodeURIComponent(p.openDisputeId)}/close`}
            class="dev-panel__form"
          >
            <Csrf token={props.csrf} />
            <Button small variant="secondary" name="outcome" value="won">
              Creator wins
            </Button>
            <Button small variant="danger" name="outcome" value="lost">
              Buyer wins
            </Button>
          </form>
        ) : (
          ''
        )}
      </td>
    </tr>
  );
}

async function panel(db: Db, request: FastifyRequest, reply: FastifyReply) {
  const csrf = getViewContext(request).csrfToken;
  const [payments, destinations, subscriptions] = await Promise.all([
    listLocalPayments(db),
    listPayoutDestinations(db),
    listLocalSubscriptionsForDev(db, 50),
  ]);
  const done = (request.query as { done?: string }).done;
  const notice = done !== undefined ? DONE[done] : undefined;
  reply.header('cache-control', 'private, no-store');
  return render(reply, {
    title: 'Local processor',
    body: (
      <div class="wrap catalog-page">
        <PageHeader
          eyebrow="Local test processor"
          title="Developer panel"
          lead="Do what a processor and the card networks would do after a payment. Each action sends a signed event to the webhook, like production."
        />
        {notice ? <Notice tone="success" title={notice} /> : ''}
        <section aria-labelledby="payments-title">
          <h2 id="payments-title">Payments</h2>
          {payments.length === 0 ? (
            <p>No payments yet.</p>
          ) : (
            <div class="table-scroll" role="region" aria-labelledby="payments-title" tabindex="0">
              <table class="tier-table">
                <thead>
                  <tr>
                    <th scope="col">Payment</th>
                    <th scope="col">Amount</th>
                    <th scope="col">Refunded</th>
                    <th scope="col">Order</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {payments.map((payment) => (
                    <PaymentRow payment={payment} csrf={csrf} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section aria-labelledby="subscriptions-title">
          <h2 id="subscriptions-title">Subscriptions</h2>
          {subscriptions.length === 0 ? (
            <p>No subscriptions yet.</p>
          ) : (
            <div
              class="table-scroll"
              role="region"
              aria-labelledby="subscriptions-title"
              tabindex="0"
            >
              <table class="tier-table">
                <thead>
                  <tr>
                    <th scope="col">Subscription</th>
                    <th scope="col">Price</th>
                    <th scope="col">Status</th>
                    <th scope="col">Period ends</th>
                    <th scope="col">End the period now</th>
                  </tr>
                </thead>
                <tbody>
                  {subscriptions.map((sub) => (
                    <tr>
                      <th scope="row" safe>
                        {sub.id}
                      </th>
                      <td class="tier-table__amount" safe>
                        {`${formatPrice(sub.amount, sub.currency.trim())} / ${sub.interval}`}
                      </td>
                      <td safe>
                        {sub.cancel_at_period_end && sub.status !== 'canceled'
                          ? `${sub.status.replace('_', ' ')}, ends at period end`
                          : sub.status.replace('_', ' ')}
                      </td>
                      <td safe>{formatDate(sub.current_period_end)}</td>
                      <td>
                        {sub.status === 'canceled' ? (
                          ''
                        ) : (
                          <form
                            method="post"
                            action={`/pay/local/dev/subscriptions/${encodeURIComponent(sub.id)}/renew`}
                            class="dev-panel__form"
                          >
                            <Csrf token={csrf} />
                            <Button small variant="secondary" name="outcome" value="succeeded">
                              Renew: card charged
                            </Button>
                            <Button small variant="danger" name="outcome" value="failed">
                              Renew: card declined
                            </Button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section aria-labelledby="destinations-title">
          <h2 id="destinations-title">Payout destinations</h2>
          {destinations.length === 0 ? (
            <p>No creator has connected a payout account yet.</p>
          ) : (
            <ul class="dev-panel__list">
              {destinations.map((d) => (
                <li>
                  <form method="post" action="/pay/local/dev/destinations" class="dev-panel__form">
                    <Csrf token={csrf} />
                    <input type="hidden" name="destination" value={d.destination} />
                    <span safe>{`@${d.handle} → ${d.destination}`}</span>{' '}
                    {d.refusing === null ? (
                      <Button small variant="danger" name="refusing" value="yes">
                        Refuse transfers
                      </Button>
                    ) : (
                      <Button small variant="secondary" name="refusing" value="no">
                        Accept transfers again
                      </Button>
                    )}
                  </form>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    ),
  });
}

const amountSchema = z.object({ amount: z.string().trim().max(40).optional() });

/** The typed refund amount in minor units of the payment's currency; empty is what is left. */
async function refundAmount(db: Db, paymentId: string, text: string | undefined) {
  if (!text) return undefined;
  const parsed = parseMajorUnits(text, await localPaymentCurrency(db, paymentId));
  if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 422, parsed.message);
  return parsed.minor;
}
const outcomeSchema = z.object({ outcome: z.enum(['won', 'lost']) });
const renewalSchema = z.object({ outcome: z.enum(['succeeded', 'failed']) });
const destinationSchema = z.object({
  destination: z.string().min(1).max(200),
  refusing: z.enum(['yes', 'no']),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 422, parsed.error.issues[0]?.message ?? 'Invalid.');
  }
  return parsed.data;
}

export async function localDevPages(app: FastifyInstance, { db }: { db: Db }) {
  await app.register(async (admin) => {
    admin.addHook('preHandler', requireUser);
    admin.addHook('preHandler', async (request) => {
      // Not admitted to exist for anyone but operators.
      if (!request.principal?.user.isAdmin) throw notFound('page');
    });

    admin.get('/pay/local/dev', (request, reply) => panel(db, request, reply));

    admin.post<{ Params: { id: string } }>(
      '/pay/local/dev/payments/:id/refund',
      async (request, reply) => {
        const { amount } = parse(amountSchema, request.body);
        const minor = await refundAmount(db, request.params.id, amount);
        await refundFromProcessor(db, request.params.id, minor);
        return reply.redirect('/pay/local/dev?done=refund', 303);
      },
    );

    admin.post<{ Params: { id: string } }>(
      '/pay/local/dev/payments/:id/dispute',
      async (request, reply) => {
        await openLocalDispute(db, request.params.id);
        return reply.redirect('/pay/local/dev?done=dispute', 303);
      },
    );

    admin.post<{ Params: { id: string } }>(
      '/pay/local/dev/disputes/:id/close',
      async (request, reply) => {
        const { outcome } = parse(outcomeSchema, request.body);
        await closeLocalDispute(db, request.params.id, outcome);
        return reply.redirect(`/pay/local/dev?done=${outcome}`, 303);
      },
    );

    admin.post<{ Params: { id: string } }>(
      '/pay/local/dev/subscriptions/:id/renew',
      async (request, reply) => {
        const { outcome } = parse(renewalSchema, request.body);
        const result = await renewLocalSubscription(db, request.params.id, outcome);
        if (result === 'not_found') throw notFound('subscription');
        return reply.redirect(`/pay/local/dev?done=${result}`, 303);
      },
    );

    admin.post('/pay/local/dev/destinations', async (request, reply) => {
      const { destination, refusing } = parse(destinationSchema, request.body);
      await setDestinationRefusing(db, destination, refusing === 'yes');
      return reply.redirect(
        `/pay/local/dev?done=${refusing === 'yes' ? 'refusing' : 'accepting'}`,
        303,
      );
    });
  });
}
