// One handler per URL: a page route answers a normal request with the whole page and an htmx
// request with just its body, which htmx swaps into the target. Requests that replace the whole
// <body> (boosted links, history restores, hx-select) still get the full document.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Layout, type PageMeta } from './layout.js';
import { getViewContext } from './view-context.js';

/**
 * Every request header the choice between page and fragment depends on. Caches must key on
 * them, or a fragment could be served to a browser that asked for the page.
 */
export const VARY_ON = 'HX-Request, HX-Request-Type, HX-Boosted, HX-History-Restore-Request';

export interface PageOptions {
  /** the page's title; the layout appends the site name */
  title: string;
  description?: string;
  body: JSX.Element;
  status?: number;
  /** sharing and search metadata: canonical URL, OpenGraph, Twitter card, JSON-LD */
  meta?: PageMeta | undefined;
}

/**
 * htmx 4 marks its requests with `HX-Request: true`; it adds `HX-Boosted: true` for hx-boost,
 * `HX-History-Restore-Request: true` when it refetches a page on back/forward, and
 * `HX-Request-Type: full` whenever it will swap the whole body or pick parts with hx-select.
 */
export function wantsFragment(request: FastifyRequest): boolean {
  const headers = request.headers;
  return (
    headers['hx-request'] === 'true' &&
    headers['hx-boosted'] !== 'true' &&
    headers['hx-history-restore-request'] !== 'true' &&
    headers['hx-request-type'] !== 'full'
  );
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?', 1)[0] ?? '/';
}

function mergeVary(existing: unknown, add: string): string {
  if (typeof existing !== 'string' || existing === '') return add;
  const have = new Set(existing.split(',').map((name) => name.trim().toLowerCase()));
  const missing = add.split(', ').filter((name) => !have.has(name.toLowerCase()));
  return [existing, ...missing].join(', ');
}

/** Wraps an already rendered body in the layout unless htmx asked for a fragment. */
export function renderHtml(request: FastifyRequest, page: PageOptions & { body: string }): string {
  if (wantsFragment(request)) return page.body;
  const context = getViewContext(request);
  const html: JSX.Element = Layout({
    title: page.title,
    description: page.description,
    csrfToken: context.csrfToken,
    user: context.user,
    currentPath: pathOf(request),
    meta: page.meta,
    children: page.body,
  });
  // The layout itself never awaits anything, so its result is a string whenever the body is.
  if (typeof html !== 'string') throw new TypeError('the layout must render synchronously');
  return html;
}

/** Sends a page whose body is already a string; the error handler needs this synchronous form. */
export function sendPage(reply: FastifyReply, page: PageOptions & { body: string }): FastifyReply {
  const html = renderHtml(reply.request, page);
  if (page.status !== undefined) reply.status(page.status);
  // Pages carry the CSRF token and maybe the signed-in user: no shared caches.
  if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'private, no-cache');
  return reply
    .header('vary', mergeVary(reply.getHeader('vary'), VARY_ON))
    .type('text/html; charset=utf-8')
    .send(html);
}

/** The helper page routes use: `return render(reply, { title, body: <Page /> })`. */
export async function render(reply: FastifyReply, page: PageOptions): Promise<FastifyReply> {
  const body = await page.body;
  return sendPage(reply, { ...page, body });
}
