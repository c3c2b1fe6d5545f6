// Request helpers the join, sign-in and recovery pages share: reading a form body, the one
// rule for where a sign-in may send the browser next, and redirects that also work for htmx.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors.js';

export type FormFields = Partial<Record<string, string>>;

/** The string fields of a urlencoded body; repeated or non-string values are dropped. */
export function formFields(body: unknown): FormFields {
  const fields: FormFields = {};
  if (body === null || typeof body !== 'object') return fields;
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}

/** One query-string parameter, when it was given once. */
export function queryValue(request: FastifyRequest, name: string): string | undefined {
  const query = request.query;
  if (query === null || typeof query !== 'object') return undefined;
  const value: unknown = (query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

const PROBE_ORIGIN = 'http://same-site.invalid';

/**
 * Where to go after signing in: a path on this site, or "/". Refused: other origins,
 * protocol-relative `//host` and `/\host` (browsers read `\` as `/`), and any control or
 * whitespace character (browsers drop tabs and newlines, so `/\t/host` would become `//host`).
 */
export function safeNextPath(value: string | undefined): string {
  if (value === undefined || value.length === 0 || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//')) return '/';
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\\\u0000-\u0020\u007f]/.test(value)) return '/';
  if (!URL.canParse(value, PROBE_ORIGIN)) return '/';
  return new URL(value, PROBE_ORIGIN).origin === PROBE_ORIGIN ? value : '/';
}

/**
 * Sends the browser on after a form: 303 for a plain request. htmx's fetch would follow a 303
 * and swap the next page into the form's target, so htmx gets HX-Redirect instead.
 */
export function seeOther(request: FastifyRequest, reply: FastifyReply, url: string): FastifyReply {
  if (request.headers['hx-request'] === 'true') {
    return reply.header('hx-redirect', url).status(204).send();
  }
  return reply.redirect(url, 303);
}

/** The AppError with one of these codes, for the failures a page answers itself. */
export function appErrorWith(error: unknown, ...codes: string[]): AppError | undefined {
  return error instanceof AppError && codes.includes(error.code) ? error : undefined;
}

/** A page that answers 429 itself still sends Retry-After, as the error handler would. */
export function markRateLimited(reply: FastifyReply, error: AppError): number | undefined {
  if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
  return error.retryAfter;
}

/** Pages that carry a one-time token in their URL: never cached, never sent on as a Referer. */
export function protectTokenPage(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store');
  reply.header('referrer-policy', 'no-referrer');
}
