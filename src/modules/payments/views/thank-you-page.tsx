// The thank-you page of a purchase (/claim/<token>): what was bought, from whom, for how much
// and what the processor kept, a short order number, the receipt's address; then the purchase
// itself, opened in full with no account (the text, the full player, the downloads, a licence
// key); and beside it the offer of an account, never a condition.
import { formatDate, isoDate } from '../../../platform/dates.js';
import { formatMoney } from '../../../platform/money/index.js';
import { Button, LinkButton, Notice } from '../../../platform/views/components.js';
import {
  LargeCover,
  PurchaseContent,
  type ImageRef,
  type PurchaseContentProps,
} from '../../catalog/index.js';
import type { OrderRow } from '../payments.repository.js';
import { orderNumber, type PurchaseFact } from '../purchase-facts.js';

export type ThankYouState = 'pending' | 'failed' | 'gone' | 'yours' | 'taken' | 'sign-in' | 'claim';

export interface ThankYouProps {
  state: ThankYouState;
  order: OrderRow;
  title: string;
  creatorName: string;
  creatorUrl: string | undefined;
  cover: ImageRef | undefined;
  content: PurchaseContentProps | undefined;
  facts: readonly PurchaseFact[];
  /** where the receipt went (the buyer's own address: the page is theirs) */
  receiptTo: string | null;
  here: string;
  csrf: string;
  handle: string | undefined;
}

function Facts(props: { order: OrderRow; creatorName: string; facts: readonly PurchaseFact[] }) {
  const { order } = props;
  const currency = order.currency.trim();
  const money = (minor: number) => formatMoney(minor, currency);
  const fee = order.amount > 0 && order.processor_fee !== null ? order.processor_fee : undefined;
  return (
    <dl class="release-facts">
      <div>
        <dt>Amount</dt>
        <dd safe>{order.amount === 0 ? 'Free' : money(order.amount)}</dd>
      </div>
      {fee !== undefined ? (
        <div>
          <dt>Processor fee</dt>
          <dd safe>
            {`${money(fee)}, kept by the card processor: ${props.creatorName} receives ${money(order.amount - fee)}`}
          </dd>
        </div>
      ) : (
        ''
      )}
      <div>
        <dt>Order</dt>
        <dd safe>{orderNumber(order.id)}</dd>
      </div>
      {order.paid_at ? (
        <div>
          <dt>Date</dt>
          <dd>
            <time datetime={isoDate(order.paid_at)} safe>
              {formatDate(order.paid_at)}
            </time>
          </dd>
        </div>
      ) : (
        ''
      )}
      {props.facts.map((fact) => (
        <div>
          <dt safe>{fact.label}</dt>
          <dd>
            {fact.href ? (
              <a href={fact.href} safe>
                {fact.value}
              </a>
            ) : fact.code ? (
              <code class="purchase-code" safe>
                {fact.value}
              </code>
            ) : (
              <span safe>{fact.value}</span>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function StateNotice(props: { state: ThankYouState; here: string }) {
  switch (props.state) {
    case 'pending':
      return (
        <Notice tone="info" title="We are confirming your payment with the processor.">
          <p>
            This takes a few seconds and this page updates by itself.{' '}
            <a href={props.here}>Check again</a>
          </p>
        </Notice>
      );
    case 'failed':
      return <Notice tone="error" title="The payment did not go through. Nothing was charged." />;
    case 'gone':
      return (
        <Notice
          tone="warning"
          title="This purchase was refunded or disputed: it is no longer yours."
        />
      );
    case 'yours':
    case 'taken':
    case 'sign-in':
    case 'claim':
      return <></>;
  }
}

/** Keeping the purchase in an account: offered beside it, never required to open it. */
function KeepIt(props: ThankYouProps) {
  const email = props.order.buyer_email ?? '';
  const join = `/join?${new URLSearchParams({ email, next: props.here }).toString()}`;
  const login = `/login?${new URLSearchParams({ next: props.here }).toString()}`;
  const thing = props.order.kind === 'membership' ? 'membership' : 'purchase';
  switch (props.state) {
    case 'yours':
      return (
        <aside class="purchase-keep" aria-labelledby="keep-title">
          <h2 class="purchase-keep__title" id="keep-title">
            In your library
          </h2>
          <p>It is kept in your account: open it from any device.</p>
          <LinkButton
            href={props.order.kind === 'membership' ? '/library/memberships' : '/library'}
            variant="secondary"
          >
            Your library
          </LinkButton>
        </aside>
      );
    case 'taken':
      return (
        <aside class="purchase-keep" aria-labelledby="keep-title">
          <h2 class="purchase-keep__title" id="keep-title">
            Kept in another account
          </h2>
          <p>
            This {thing} was added to an account. Sign in to that account to find it in the library.{' '}
            <a href={login}>Sign in</a>
          </p>
        </aside>
      );
    case 'sign-in':
      return (
        <aside class="purchase-keep" aria-labelledby="keep-title">
          <h2 class="purchase-keep__title" id="keep-title">
            Keep it in a free account
          </h2>
          <p>
            {props.order.kind === 'membership'
              ? 'An account with this email address opens everything for members and lets you manage or cancel the membership.'
              : 'You do not need one: this page and the link in your receipt keep opening it. An account keeps it in a library on any device.'}
          </p>
          <div class="purchase-keep__actions">
            <LinkButton href={join}>Create a free account</LinkButton>
            <LinkButton href={login} variant="secondary">
              Sign in
            </LinkButton>
          </div>
        </aside>
      );
    case 'claim':
      return (
        <aside class="purchase-keep" aria-labelledby="keep-title">
          <h2 class="purchase-keep__title" id="keep-title">
            Keep it in your account
          </h2>
          <form method="post" action={props.here}>
            <input type="hidden" name="_csrf" value={props.csrf} />
            <p safe>{`Add this ${thing} to the library of @${props.handle ?? ''}.`}</p>
            <Button>Add to my library</Button>
          </form>
        </aside>
      );
    case 'pending':
    case 'failed':
    case 'gone':
      return <></>;
  }
}

export function ThankYouPage(props: ThankYouProps): JSX.Element {
  // While the processor's confirmation is on its way the page refreshes itself (htmx polling),
  // and the live region reads out the new state.
  const polling =
    props.state === 'pending'
      ? {
          'hx-get': props.here,
          'hx-trigger': 'every 1s',
          'hx-select': '#claim-card',
          'hx-swap': 'outerHTML',
        }
      : {};
  const paid = props.state !== 'pending' && props.state !== 'failed' && props.state !== 'gone';
  return (
    <div class="wrap catalog-page purchase-page" id="claim-card" aria-live="polite" {...polling}>
      <article class="purchase" aria-labelledby="claim-title">
        <header class="release-head">
          <LargeCover image={props.cover} title={props.title} />
          <div class="release-head__text">
            <p class="eyebrow">Thank you</p>
            <h1 class="release-head__title" id="claim-title" safe>
              {props.title}
            </h1>
            <p class="release-head__by">
              {'by '}
              {props.creatorUrl ? (
                <a href={props.creatorUrl} safe>
                  {props.creatorName}
                </a>
              ) : (
                <span safe>{props.creatorName}</span>
              )}
            </p>
            <Facts order={props.order} creatorName={props.creatorName} facts={props.facts} />
            {props.receiptTo && paid ? (
              <p class="purchase__receipt" safe>
                {`A receipt was sent to ${props.receiptTo}.`}
              </p>
            ) : (
              ''
            )}
            {props.state === 'pending' ? (
              <p class="purchase__receipt">The receipt follows by email.</p>
            ) : (
              ''
            )}
          </div>
        </header>
        <StateNotice state={props.state} here={props.here} />
        {paid && props.content ? <PurchaseContent content={props.content} /> : ''}
      </article>
      <KeepIt {...props} />
    </div>
  );
}
