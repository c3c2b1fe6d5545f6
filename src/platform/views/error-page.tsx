// Error pages: a whole page for browsers, a notice fragment for htmx (htmx 4 swaps 4xx/5xx
// responses into the target like any other, so the fragment must make sense in place).
// 4xx messages are written for users by whoever threw the AppError; for 5xx other than 503 we
// show a fixed text and the request id, never the error itself.
import type { FastifyReply } from 'fastify';
import type { ErrorBody } from '../http/error-handler.js';
import { LinkButton, Notice } from './components.js';
import { sendPage, wantsFragment } from './render.js';

export interface ErrorPageProps {
  status: number;
  code: string;
  message: string;
  /** seconds, for 429 and 503 */
  retryAfter?: number | undefined;
  /** shown on 5xx pages so a user can quote it to support */
  requestId?: string | undefined;
}

interface ErrorCopy {
  title: string;
  heading: string;
  text: string;
}

export function retryPhrase(seconds: number | undefined): string {
  if (seconds === undefined || seconds <= 0) return 'Try again in a moment.';
  if (seconds < 90) return `Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
  return `Try again in ${Math.ceil(seconds / 60)} minutes.`;
}

function withoutFinalStop(text: string): string {
  return text.replace(/\.\s*$/, '');
}

export function errorCopy(props: ErrorPageProps): ErrorCopy {
  const { status } = props;
  if (status === 404) {
    return {
      title: 'Not found',
      heading: withoutFinalStop(props.message) || 'We could not find that page',
      text: 'The link may be old, or what it pointed to has moved or been taken down. Try a search, or start again from the front page.',
    };
  }
  if (status === 401) {
    return { title: 'Sign in', heading: 'Sign in to continue', text: props.message };
  }
  if (status === 403) {
    return { title: 'Not allowed', heading: 'You cannot open this page', text: props.message };
  }
  if (status === 429) {
    return {
      title: 'Too many requests',
      heading: 'Slow down a little',
      text: `That was a lot of requests in a short time. ${retryPhrase(props.retryAfter)}`,
    };
  }
  if (status === 503) {
    return {
      title: 'Unavailable',
      heading: 'This part is taking a short break',
      text: `${props.message} ${retryPhrase(props.retryAfter)}`,
    };
  }
  if (status >= 500) {
    return {
      title: 'Something went wrong',
      heading: 'Something went wrong on our side',
      text: 'It is not something you did. The error has been logged; please try again in a moment.',
    };
  }
  return { title: 'That did not work', heading: 'That did not work', text: props.message };
}

function SearchBox() {
  return (
    <form class="search-box" method="get" action="/search" role="search">
      <label class="visually-hidden" for="error-search">
        Search Makenot.work
      </label>
      <input
        class="field__input"
        id="error-search"
        type="search"
        name="q"
        placeholder="Search music, writing, software…"
      />
      <button type="submit" class="button button--primary">
        Search
      </button>
    </form>
  );
}

/** The main content of a full error page. */
export function ErrorPage(props: ErrorPageProps): JSX.Element {
  const copy = errorCopy(props);
  return (
    <section class="wrap error-page" aria-labelledby="error-title">
      <p class="error-page__status" aria-hidden="true">
        {props.status}
      </p>
      <h1 id="error-title" class="error-page__title" safe>
        {copy.heading}
      </h1>
      <p class="error-page__text" safe>
        {copy.text}
      </p>
      {props.status === 404 ? <SearchBox /> : ''}
      {props.status >= 500 && props.status !== 503 && props.requestId ? (
        <p class="error-page__reference">
          Reference: <code safe>{props.requestId}</code>
        </p>
      ) : (
        ''
      )}
      <div class="error-page__actions">
        {props.status === 401 ? (
          <LinkButton href="/login">Sign in</LinkButton>
        ) : (
          <LinkButton href="/">Go to the front page</LinkButton>
        )}
        <LinkButton href="/discover" variant="secondary">
          Discover work
        </LinkButton>
      </div>
    </section>
  );
}

/** What htmx swaps into its target when a request fails. */
export function ErrorFragment(props: ErrorPageProps): JSX.Element {
  const copy = errorCopy(props);
  return (
    <Notice tone="error" title={copy.heading}>
      <p safe>{copy.text}</p>
    </Notice>
  );
}

/** The HtmlErrorRenderer the error handler is given. */
export function renderHtmlError(reply: FastifyReply, error: ErrorBody): FastifyReply {
  const props: ErrorPageProps = {
    status: error.status,
    code: error.code,
    message: error.message,
    retryAfter: error.retryAfter,
    requestId: reply.request.id,
  };
  const body: JSX.Element = wantsFragment(reply.request) ? ErrorFragment(props) : ErrorPage(props);
  // Both components are synchronous; a promise here would be a programming error.
  if (typeof body !== 'string') throw new TypeError('error pages must render synchronously');
  return sendPage(reply, { title: errorCopy(props).title, body, status: error.status });
}
