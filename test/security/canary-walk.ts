// The canary walk's requests: every filled route as each viewer, in the ways a client asks for
// it (plainly, as htmx asks for a fragment, asking for JSON, with an empty and a full query
// string), following same-origin redirects and the signed links an answer hands out, and
// looking for the markers in every body and every header. Requests go through app.inject, eight
// at a time.
import type { FastifyInstance } from 'fastify';
import { findNeedles, type Needle } from './canary-detect.js';
import type { Viewer } from './canary-fixtures.js';

const ORIGIN = 'http://localhost:3000';
const MAX_REDIRECTS = 5;
const CONCURRENCY = 8;
/** Links in an answer that hand out content: followed as the same viewer. */
const CONTENT_LINK =
  /(?:http:\/\/localhost:3000)?(\/(?:storage|download|play|poster)\/[^"'\s<>\\]+)/g;

export interface Probe {
  viewer: Viewer;
  route: string;
  url: string;
  variant: string;
  headers?: Record<string, string>;
}

export interface Hop {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Leak {
  viewer: string;
  route: string;
  url: string;
  variant: string;
  where: string;
  found: string[];
}

export interface WalkResult {
  requests: number;
  /** viewer → route → requests */
  perViewer: Map<string, Map<string, number>>;
  leaks: Leak[];
  serverErrors: string[];
  rateLimited: string[];
  /** viewer → requests whose answer showed the free item's marker */
  sawFree: Map<string, string[]>;
}

const randomIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

function sameOrigin(location: string): string | undefined {
  if (location.startsWith('/') && !location.startsWith('//')) return location;
  if (location.startsWith(`${ORIGIN}/`)) return location.slice(ORIGIN.length);
  return undefined;
}

/** The request and its redirects, each answer kept. */
export async function fetchHops(app: FastifyInstance, probe: Probe): Promise<Hop[]> {
  const hops: Hop[] = [];
  let url = probe.url;
  for (let i = 0; i <= MAX_REDIRECTS; i++) {
    const res = await app.inject({
      method: 'GET',
      url,
      headers: { 'x-forwarded-for': randomIp(), ...probe.viewer.headers, ...probe.headers },
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) headers[name] = String(value);
    hops.push({ url, status: res.statusCode, headers, body: res.body });
    const next = res.statusCode >= 300 && res.statusCode < 400 ? sameOrigin(headers.location ?? '') : undefined; // prettier-ignore
    if (next === undefined) break;
    url = next;
  }
  return hops;
}

export async function inBatches<T>(items: readonly T[], run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++];
        if (item !== undefined) await run(item);
      }
    }),
  );
}

/** The variants of a request worth asking once it answered something other than "no". */
export function variantsOf(probe: Probe, richQuery: string): Probe[] {
  const api = probe.url.startsWith('/api/');
  const join = (query: string) => `${probe.url}${probe.url.includes('?') ? '&' : '?'}${query}`;
  return [
    ...(api ? [] : [{ ...probe, variant: 'htmx', headers: { 'hx-request': 'true' } }]),
    { ...probe, variant: 'accept json', headers: { accept: 'application/json' } },
    {
      ...probe,
      variant: 'empty query',
      url: probe.url.includes('?') ? probe.url : `${probe.url}?`,
    },
    { ...probe, variant: 'full query', url: join(richQuery) },
  ];
}

export class Walk {
  readonly result: WalkResult = {
    requests: 0,
    perViewer: new Map(),
    leaks: [],
    serverErrors: [],
    rateLimited: [],
    sawFree: new Map(),
  };
  private readonly followed = new Set<string>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly needles: readonly Needle[],
    private readonly freeNeedle: Needle,
  ) {}

  /**
   * Requests each probe; returns those that answered something other than "no" (not 401, 403
   * or 404, and not a redirect to sign in), whose variants are worth asking too.
   */
  async run(probes: readonly Probe[]): Promise<Probe[]> {
    const answered: Probe[] = [];
    await inBatches(probes, async (probe) => {
      const hops = await fetchHops(this.app, probe);
      this.record(probe, hops);
      const last = hops.at(-1);
      const refused = [401, 403, 404].includes(last?.status ?? 0) || last?.url.startsWith('/login?') === true; // prettier-ignore
      if (!refused) answered.push(probe);
      const links = this.contentLinks(probe, hops);
      if (links.length > 0) await this.run(links);
    });
    return answered;
  }

  private record(probe: Probe, hops: Hop[]) {
    const name = probe.viewer.name;
    const routes = this.result.perViewer.get(name) ?? new Map<string, number>();
    this.result.perViewer.set(name, routes);
    routes.set(probe.route, (routes.get(probe.route) ?? 0) + hops.length);
    this.result.requests += hops.length;
    const at = (url: string) => `${name} GET ${url} (${probe.variant})`;
    for (const [index, hop] of hops.entries()) {
      const url = index === 0 ? hop.url : `${probe.url} → ${hop.url}`;
      if (hop.status >= 500) this.result.serverErrors.push(`${at(url)} → ${hop.status}`);
      if (hop.status === 429) this.result.rateLimited.push(at(url));
      const leak = (where: string, found: string[]) => {
        if (found.length === 0) return;
        this.result.leaks.push({ viewer: name, route: probe.route, url, variant: probe.variant, where, found }); // prettier-ignore
      };
      leak(`body (${hop.status})`, findNeedles(hop.body, this.needles, hop.url));
      for (const [header, value] of Object.entries(hop.headers)) {
        leak(`header ${header}`, findNeedles(value, this.needles, hop.url));
      }
      if (findNeedles(hop.body, [this.freeNeedle]).length > 0) {
        const seen = this.result.sawFree.get(name) ?? [];
        seen.push(hop.url);
        this.result.sawFree.set(name, seen);
      }
    }
  }

  /** Signed storage URLs, downloads and players an answer points at, not yet followed. */
  private contentLinks(probe: Probe, hops: Hop[]): Probe[] {
    const links: Probe[] = [];
    for (const hop of hops) {
      const text = hop.body.replace(/\\\//g, '/').replace(/&amp;/g, '&');
      for (const match of text.matchAll(CONTENT_LINK)) {
        const url = match[1] ?? '';
        const key = `${probe.viewer.name} ${url}`;
        if (this.followed.has(key)) continue;
        this.followed.add(key);
        links.push({ viewer: probe.viewer, route: `${probe.route} → link`, url, variant: `link in ${hop.url}` }); // prettier-ignore
      }
    }
    return links;
  }
}

/** "Paid essay: marker", "Paid essay: paid word" → "Paid essay (marker, paid word)". */
function compact(labels: readonly string[]): string {
  const byItem = new Map<string, string[]>();
  for (const label of labels) {
    const [item = label, what = ''] = label.split(': ');
    byItem.set(item, [...(byItem.get(item) ?? []), what]);
  }
  // the run's shared prefix says more only when no item's own marker was found
  if (byItem.size > 1) for (const item of byItem.keys()) if (item.startsWith('CANARY-')) byItem.delete(item); // prettier-ignore
  return [...byItem]
    .map(([item, what]) => (what.some((w) => w !== '') ? `${item} (${what.join(', ')})` : item))
    .join('; ');
}

/** One line per leak, grouped by route first so the summary reads at a glance. */
export function describeLeaks(leaks: readonly Leak[]): string {
  const byRoute = new Map<string, number>();
  for (const leak of leaks) byRoute.set(leak.route, (byRoute.get(leak.route) ?? 0) + 1);
  const summary = [...byRoute].map(([route, n]) => `  ${route}: ${n}`).join('\n');
  const lines = leaks.map(
    (l) => `  ${l.viewer} GET ${l.url} [${l.variant}] ${l.where}: ${compact(l.found)}`,
  );
  return `${leaks.length} answers show paid text.\nBy route:\n${summary}\nEvery one:\n${lines.join('\n')}`;
}
