// The thanks a fan sees on a creator's or project's page after paying a tip (the processor sends
// them back with ?tipped=<token>). The processor's redirect can arrive before its webhook, so the
// notice says what is true now: "being confirmed" (and checks again every second, like the
// claim page), "received" once the order is paid, or that it did not go through.
import { z } from 'zod';

export type TipThanksState = 'confirming' | 'received' | 'failed';

/**
 * The state of the tip a `?tipped=` token names, if it is a tip to this creator; undefined for
 * anything else (a forged token, someone else's tip, a refunded one). Payments supplies it.
 */
export type TipThanksLoader = (
  creatorId: string,
  token: string,
) => Promise<TipThanksState | undefined>;
export const noTipThanks: TipThanksLoader = () => Promise.resolve(undefined);

const tippedQuery = z.object({ tipped: z.string().min(1).max(200).optional() }).catch({});

/** The token of `?tipped=`, when there is one. */
export function tippedToken(query: unknown): string | undefined {
  return tippedQuery.parse(query).tipped;
}

export interface TipThanksProps {
  state: TipThanksState;
  displayName: string;
  /** the payments route that answers the message again (htmx polling) */
  pollUrl: string;
  /** the token, for the "Check again" link of pages without script */
  token: string;
}

const TONE: Record<TipThanksState, 'info' | 'success' | 'error'> = {
  confirming: 'info',
  received: 'success',
  failed: 'error',
};

/** The message alone: what polling swaps in, inside the page's stable live region. */
export function TipThanksMessage(props: TipThanksProps): JSX.Element {
  const polling =
    props.state === 'confirming'
      ? { 'hx-get': props.pollUrl, 'hx-trigger': 'every 1s', 'hx-swap': 'outerHTML' }
      : {};
  const name = props.displayName;
  return (
    <div class={`notice notice--${TONE[props.state]}`} id="tip-thanks-message" {...polling}>
      {props.state === 'confirming' ? (
        <>
          <p class="notice__title" safe>{`Thank you! Your tip to ${name} is being confirmed.`}</p>
          <div class="notice__body">
            <p>
              The payment processor confirms it within a few seconds; your receipt follows by email.{' '}
              <a href={`?${new URLSearchParams({ tipped: props.token }).toString()}`}>
                Check again
              </a>
            </p>
          </div>
        </>
      ) : (
        ''
      )}
      {props.state === 'received' ? (
        <>
          <p class="notice__title" safe>{`Thank you! Your tip to ${name} was received.`}</p>
          <div class="notice__body">
            <p>Your receipt is on its way by email.</p>
          </div>
        </>
      ) : (
        ''
      )}
      {props.state === 'failed' ? (
        <>
          <p class="notice__title" safe>{`Your tip to ${name} did not go through.`}</p>
          <div class="notice__body">
            <p>Nothing was charged.</p>
          </div>
        </>
      ) : (
        ''
      )}
    </div>
  );
}

/** The live region at the top of the page; its message changes in place as the tip settles. */
export function TipThanks(props: TipThanksProps): JSX.Element {
  return (
    <div class="tip-thanks" id="tip-thanks" role="status">
      <TipThanksMessage {...props} />
    </div>
  );
}
