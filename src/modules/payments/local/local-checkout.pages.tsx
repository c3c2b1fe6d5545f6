// The local processor's hosted checkout page, /pay/local/<session id>: the item, the amount, and
// a choice of outcome. Submitting completes the session once; its event reaches our webhook
// receiver through the job queue, as a real processor's would.
import Html, { type Children } from '@kitajs/html';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../db/database.js';
import { notFound } from '../../../platform/errors.js';
import { Button, Notice } from '../../../platform/views/components.js';
import { render } from '../../../platform/views/render.js';
import { getViewContext } from '../../../platform/views/view-context.js';
import { formatPrice } from '../../../platform/money/index.js';
import { completeLocalSession, isLocalSessionExpired } from './local-checkout.service.js';
import { findLocalSession } from './local-processor.repository.js';
import { localOutcomeSchema } from '../payments.schemas.js';

type Session = NonNullable<Awaited<ReturnType<typeof findLocalSession>>>;

function OutcomeChoice(props: { value: 'succeeded' | 'declined'; label: string; first: boolean }) {
  const id = `outcome-${props.value}`;
  return (
    <label class="choice-card" for={id}>
      <input
        type="radio"
        id={id}
        name="outcome"
        value={props.value}
        checked={props.first}
        required
      />
      <span class="choice-card__label" safe>
        {props.label}
      </span>
    </label>
  );
}

/** The card frame the sign-in pages use (auth.css), so this page needs no styles of its own. */
function Card(props: { title: string; children: Children }) {
  return (
    <section class="auth" aria-labelledby="pay-title">
      <div class="auth__card">
        <h1 class="auth__title" id="pay-title">
          <span class="auth__eyebrow">Local test processor</span> <span safe>{props.title}</span>
        </h1>
        {props.children}
      </div>
    </section>
  );
}

function CheckoutPage(props: { session: Session; csrfToken: string; error?: string }) {
  const { session } = props;
  const amount = formatPrice(session.amount, session.currency.trim());
  if (session.outcome !== null) {
    return (
      <Card title="Payment finished">
        <Notice tone="info" title="This checkout is complete; nothing more was charged." />
        <p class="auth__lead">
          <a href={session.success_url}>Continue</a>
        </p>
      </Card>
    );
  }
  if (isLocalSessionExpired(session)) {
    return (
      <Card title="Checkout expired">
        <Notice
          tone="warning"
          title="This checkout has expired: it was not paid within 24 hours. Nothing was charged."
        />
        <p class="auth__lead">
          <a href={session.cancel_url}>Go back and start again</a>
        </p>
      </Card>
    );
  }
  return (
    <Card title={`Pay ${amount}`}>
      <p class="auth__lead">No real money moves here: choose how this payment ends.</p>
      <dl>
        <dt>Item</dt>
        <dd safe>{session.description}</dd>
        <dt>Amount</dt>
        <dd safe>{amount}</dd>
      </dl>
      {props.error ? <Notice tone="error" title={props.error} /> : ''}
      <form method="post" action={`/pay/local/${session.id}`} class="auth__form">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <fieldset class="choice-group">
          <legend class="field__label">Outcome</legend>
          <div class="choice-cards">
            <OutcomeChoice value="succeeded" label="The payment succeeds" first />
            <OutcomeChoice value="declined" label="The card is declined" first={false} />
          </div>
        </fieldset>
        <div class="auth__actions">
          <Button>{Html.escapeHtml(`Pay ${amount}`)}</Button>
        </div>
      </form>
      <p class="auth__small">
        <a href={session.cancel_url}>Cancel and go back</a>
      </p>
    </Card>
  );
}

const SESSION_ID = /^cs_local_[A-Za-z0-9_-]{10,60}$/;

export async function localCheckoutPages(app: FastifyInstance, { db }: { db: Db }) {
  async function load(id: string): Promise<Session> {
    const session = SESSION_ID.test(id) ? await findLocalSession(db, id) : undefined;
    if (!session) throw notFound('checkout');
    return session;
  }

  app.get<{ Params: { id: string } }>('/pay/local/:id', async (request, reply) => {
    const session = await load(request.params.id);
    const csrfToken = getViewContext(request).csrfToken;
    return render(reply, { title: 'Pay', body: <CheckoutPage {...{ session, csrfToken }} /> });
  });

  app.post<{ Params: { id: string } }>('/pay/local/:id', async (request, reply) => {
    const session = await load(request.params.id);
    const csrfToken = getViewContext(request).csrfToken;
    const parsed = localOutcomeSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      const body = <CheckoutPage session={session} csrfToken={csrfToken} error="Choose one." />;
      return render(reply, { title: 'Pay', status: 422, body });
    }
    const result = await completeLocalSession(db, session.id, parsed.data.outcome);
    if (result === 'expired') {
      const expired = await load(session.id); // as it is now, expired
      const body = <CheckoutPage session={expired} csrfToken={csrfToken} />;
      return render(reply, { title: 'Checkout expired', status: 410, body });
    }
    if (result !== 'completed') {
      // A second submission sends no second event: the page says it is done.
      const done = { ...session, outcome: session.outcome ?? parsed.data.outcome };
      const body = <CheckoutPage session={done} csrfToken={csrfToken} />;
      return render(reply, { title: 'Payment finished', status: 409, body });
    }
    const next = parsed.data.outcome === 'succeeded' ? session.success_url : session.cancel_url;
    return reply.redirect(next, 303);
  });
}
