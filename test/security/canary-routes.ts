// Which GET routes the canary walk requests, and with which parameters. The routes come from the
// app itself: an onRoute hook installed the moment Fastify creates the instance (its
// `fastify.initialization` diagnostics channel), before buildApp registers anything, so a route
// added tomorrow is walked tomorrow. Its path parameters are filled from PARAM_VALUES by name
// and its wildcard from WILDCARD_VALUES by route; a route neither can fill fails the walk.
import diagnostics from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';

export interface GetRoute {
  /** as registered, with its prefix: /api/v1/items/:id */
  url: string;
}

/** Starts recording the GET routes of the next Fastify instance created in this process. */
export function recordRoutes(): { routes: GetRoute[]; stop(): void } {
  const routes: GetRoute[] = [];
  const seen = new Set<string>();
  let hooked = false;
  const onInit = (message: unknown) => {
    if (hooked) return;
    hooked = true;
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      if (!methods.includes('GET') || seen.has(route.url)) return;
      seen.add(route.url);
      routes.push({ url: route.url });
    });
  };
  diagnostics.subscribe('fastify.initialization', onInit);
  return { routes, stop: () => diagnostics.unsubscribe('fastify.initialization', onInit) };
}

/**
 * Routes not walked, each with the reason. Everything else registered for GET is walked.
 * (/dev/outbox is checked instead by reading the mail sent to the walk's viewers.)
 */
export const EXCLUDED: Record<string, string> = {
  '/dev/outbox':
    "development-only list of everyone's mail (the buyer's receipts included); never in production; the viewers' own mail is checked from the outbox table",
  '/dev/outbox/:id': 'one message of the development-only outbox above',
  '/api/v1/me/files/events':
    "an SSE stream that never ends; it carries only the caller's own file status events (ids and states, no text)",
};

/** What the walk knows, for filling parameters. */
export interface Known {
  /** every id made for the walk: items, projects, files, images, tiers, orders, memberships, users, posts */
  ids: string[];
  /** checkout session ids (/pay/local/:id) and other non-uuid ids */
  otherIds: string[];
  handles: string[];
  projectSlugs: string[];
  itemSlugs: string[];
  /** post slugs, once posts exist */
  postSlugs: string[];
  /** /claim/:token values a stranger may hold (none opens a canary purchase) */
  claimTokens: string[];
  imageFiles: string[];
  tagPaths: string[];
  assetPaths: string[];
  storageKeys: string[];
}

export const BOGUS_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Path parameter → the values to try. A new route with a parameter not listed here fails the
 * walk: add the parameter's name with the values it should take.
 */
export const PARAM_VALUES: Record<string, (k: Known) => string[]> = {
  id: (k) => [...k.ids, ...k.otherIds, BOGUS_ID],
  handle: (k) => k.handles,
  project: (k) => k.projectSlugs,
  item: (k) => k.itemSlugs,
  post: (k) => k.postSlugs,
  slug: (k) => [...k.itemSlugs, ...k.postSlugs],
  token: (k) => k.claimTokens,
  file: (k) => k.imageFiles,
  fileId: (k) => [...k.ids, BOGUS_ID],
};

/** Wildcard route → what the `*` stands for. A new wildcard route not listed fails the walk. */
export const WILDCARD_VALUES: Record<string, (k: Known) => string[]> = {
  '/assets/*': (k) => k.assetPaths,
  '/tags/*': (k) => k.tagPaths,
  // unsigned: must be refused; the signed URLs a viewer is given are followed from its answers
  '/storage/*': (k) => k.storageKeys,
};

export interface Filled {
  route: string;
  urls: string[];
  /** parameters the tables cannot fill */
  missing: string[];
}

/** Every combination of the route's parameters from the tables. */
export function fillRoute(route: string, known: Known): Filled {
  const missing: string[] = [];
  let urls = [''];
  const parts = route.split(/(:\w+|\*)/).filter((part) => part !== '');
  for (const part of parts) {
    let values: string[];
    if (part === '*') {
      const fill = WILDCARD_VALUES[route];
      values = fill ? fill(known) : [];
      if (values.length === 0) missing.push(`* of ${route}`);
    } else if (part.startsWith(':')) {
      const fill = PARAM_VALUES[part.slice(1)];
      values = (fill ? fill(known) : []).map((v) => encodeURIComponent(v));
      if (values.length === 0) missing.push(part);
    } else {
      values = [part];
    }
    urls = urls.flatMap((prefix) => values.map((value) => prefix + value));
  }
  return { route, urls: missing.length > 0 ? [] : urls, missing };
}

/** /api/v1/items/:id → /items/{id}, as the OpenAPI document spells paths. */
export function openApiPathOf(route: string): string | undefined {
  if (!route.startsWith('/api/v1/')) return undefined;
  return route.slice('/api/v1'.length).replace(/:(\w+)/g, '{$1}');
}
