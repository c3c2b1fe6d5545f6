// Fault injection: malformed input against every route the running app registered (read from
// Fastify's own route table), over real HTTP: wrong types, huge values, deep JSON, unicode edge
// cases, injection strings, bodies over the limit and wrong content types, anonymously and
// signed in (session cookie with its CSRF token for forms and JSON, a bearer token for the API),
// with real and bogus route parameters. Field names come from the OpenAPI document (every
// property and query parameter it names) plus the names the HTML forms use. No answer may be a
// 5xx, hang, or carry an injection string unescaped in anything but a JSON body (JSON is data:
// an API that stores a title returns it as given, and the pages escape it when they show it —
// those pages are fetched after the writes, so stored values are checked where they render).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { csrfFor } from '../helpers/http.js';
import {
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
} from '../../src/modules/catalog/catalog.test-helpers.js';

const log = (line: string) => console.log(`malformed-input: ${line}`);

let t: TestApp;
let base: string;
before(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
after(() => t.close());

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const INJECTIONS = [SCRIPT, IMG, "' or 1=1 --", '{{7*7}}', '../../etc/passwd'];
const UNICODE = [
  '\u202Egnp.exe\u202C', // RTL override
  'nul\u0000byte',
  'zero\u200B\u200C\u200Dwidth\uFEFF',
  'Z' + '\u0351\u0352\u0353\u0354\u0355\u0356'.repeat(40), // combining marks
  'lone \uD800 surrogate',
  '\uDFFF',
  '🙂\uFE0F👩‍👩‍👧',
];
const WRONG_TYPES: unknown[] = [123, -1, 0, 1.5, true, null, [], {}, ['a', 1], { nested: 1 }];
const HUGE: unknown[] = ['x'.repeat(20_000), 1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2];
/** leaked into a page as-is, these would run */
const DANGEROUS = [SCRIPT, '<img src=x onerror'];

/** Names the HTML forms post (the API's come from the OpenAPI document). */
const FORM_FIELDS = [
  'title', 'body', 'description', 'email', 'password', 'current_password', 'new_password',
  'handle', 'display_name', 'bio', 'name', 'amount', 'price_model', 'price_amount', 'currency',
  'code', 'token', 'type', 'status', 'slug', 'tags', 'project_id', 'item_id', 'tier_id',
  'percent_off', 'amount_off', 'outcome', 'next', 'return_to', 'label', 'message', 'q', 'reason',
  'interval', 'trial_days', 'visibility', 'ai_tier', 'ai_statement', 'position', 'links', 'website',
]; // prettier-ignore
const QUERY_FIELDS = ['q', 'page', 'cursor', 'limit', 'sort', 'tag', 'type', 'next', 'status', 'done', 'from', 'to', 'token', 'currency', 'lang']; // prettier-ignore

interface Route {
  method: string;
  path: string;
}

/** Fastify's route tree (printRoutes without common prefixes), flattened to method + path. */
function parseRoutes(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (depth > 0 ? (stack[depth - 1] ?? '') : '') + (match[2] ?? '');
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(', ')) {
      if (method !== '' && method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, path });
    }
  }
  return routes;
}

/** The property names and query parameters the OpenAPI document gives an operation. */
function openApiNames(doc: unknown, route: Route): { body: string[]; query: string[] } {
  const body = new Set<string>();
  const query = new Set<string>();
  const root = doc as { paths?: Record<string, Record<string, unknown>> };
  const openApiPath = route.path.replace(/:(\w+)/g, '{$1}');
  const operation = root.paths?.[openApiPath]?.[route.method.toLowerCase()];
  const seen = new Set<unknown>();
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record.$ref === 'string') {
      // #/components/schemas/Name
      let target: unknown = doc;
      for (const part of record.$ref.slice(2).split('/')) {
        target = (target as Record<string, unknown> | undefined)?.[part];
      }
      walk(target);
    }
    if (record.in === 'query' && typeof record.name === 'string') query.add(record.name);
    if (typeof record.properties === 'object' && record.properties !== null) {
      for (const name of Object.keys(record.properties)) body.add(name);
    }
    Object.values(record).forEach(walk);
  };
  walk(operation);
  return { body: [...body], query: [...query] };
}

interface Actor {
  creator: Creator;
  cookie: string;
  csrf: string;
  bearer: string;
  projectId: string;
  itemId: string;
  tokenId: string;
}

async function makeActor(): Promise<Actor> {
  const creator = await signUpCreator(t.app);
  const project = await makeProject(t.app, creator);
  const item = await makeItem(t.app, creator, project.id, { title: 'Plain title' });
  const res = await fetch(`${base}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() },
    body: JSON.stringify({ email: creator.email, password: creator.password, name: 'fuzz' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const token = (await res.json()) as { token: string; id: string };
  return {
    creator,
    cookie: cookieOf(creator),
    csrf: creator.csrf,
    bearer: token.token,
    projectId: project.id,
    itemId: item.id,
    tokenId: token.id,
  };
}

const cookieOf = (user: Creator) => [...user.jar.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
const randomIp = () =>
  `10.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

const BOGUS_UUID = '00000000-0000-4000-8000-000000000000';
const BOGUS_PARAMS = [BOGUS_UUID, encodeURIComponent(SCRIPT), 'x'.repeat(3000), '%00..%2F..%2Fetc%2Fpasswd']; // prettier-ignore

function realParam(name: string, before: string, actor: Actor): string {
  if (name === 'handle') return actor.creator.handle;
  if (name === 'processor') return 'local';
  if (name === 'purpose') return 'cover';
  if (name === 'file') return 'cover.webp';
  if (before === 'projects') return actor.projectId;
  if (before === 'tokens') return actor.tokenId;
  if (before === 'items' || before === 'download') return actor.itemId;
  return BOGUS_UUID;
}

function fill(path: string, actor: Actor, bogus?: string): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      if (segment === '*') return bogus ?? 'no-such-page';
      if (!segment.startsWith(':')) return segment;
      return bogus ?? realParam(segment.slice(1), segments[i - 1] ?? '', actor);
    })
    .join('/');
}

/** A body for `fields`, each one given values[(i + shift) % length]. */
function objectOf(fields: string[], values: readonly unknown[], shift = 0) {
  return Object.fromEntries(fields.map((f, i) => [f, values[(i + shift) % values.length]]));
}

/** URL-encoded, where a lone surrogate goes as the invalid UTF-8 a broken client would send. */
function formOf(record: Record<string, unknown>, csrf?: string): string {
  const encode = (value: unknown) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.replace(
      /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]|[^\uD800-\uDFFF]+/g,
      (part) => (/^[\uD800-\uDFFF]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)),
    );
  };
  const pairs = Object.entries(record).map(([k, v]) => `${encodeURIComponent(k)}=${encode(v)}`);
  if (csrf !== undefined) pairs.push(`_csrf=${encodeURIComponent(csrf)}`);
  return pairs.join('&');
}

/**
 * The page without its double-quoted attribute values. Inside one, `<script>` is inert text
 * (the HTML parser ends the value only at an unescaped `"`), so an echo there is safe as long as
 * `"` was escaped; had it not been, `"><img src=x onerror…` ends the value early and is found.
 */
const outsideAttributes = (html: string) => html.replace(/="[^"]*"/g, '=""');

interface Probe {
  method: string;
  url: string;
  kind: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

interface Outcome {
  probe: Probe;
  status: number;
  problem?: string;
}

async function fire(probe: Probe): Promise<Outcome> {
  try {
    const res = await fetch(`${base}${probe.url}`, {
      method: probe.method,
      headers: { 'x-forwarded-for': randomIp(), ...probe.headers },
      ...(probe.body !== undefined && { body: probe.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(20_000),
    });
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream')) {
      await res.body?.cancel();
      return { probe, status: res.status };
    }
    const text = await res.text();
    if (res.status >= 500) return { probe, status: res.status, problem: text.slice(0, 300) };
    const json = /^application\/(problem\+)?json/.test(type);
    const leaked = DANGEROUS.find((d) => outsideAttributes(text).includes(d));
    if (leaked !== undefined && !json) {
      return { probe, status: res.status, problem: `unescaped ${leaked} in ${type}` };
    }
    return { probe, status: res.status };
  } catch (error) {
    return { probe, status: 0, problem: `no answer: ${(error as Error).message}` };
  }
}

function mutatingProbes(route: Route, actor: Actor, fields: string[]): Probe[] {
  const api = route.path.startsWith('/api/');
  const url = fill(route.path, actor);
  const json = { 'content-type': 'application/json' };
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const session = { cookie: actor.cookie, 'x-csrf-token': actor.csrf };
  const bearer = { authorization: `Bearer ${actor.bearer}` };
  const bodies: { kind: string; record: Record<string, unknown> }[] = [
    { kind: 'empty', record: {} },
    { kind: 'injection0', record: objectOf(fields, INJECTIONS) },
    { kind: 'injection1', record: objectOf(fields, INJECTIONS, 2) },
    { kind: 'unicode', record: objectOf(fields, UNICODE) },
    { kind: 'types0', record: objectOf(fields, WRONG_TYPES) },
    { kind: 'types1', record: objectOf(fields, WRONG_TYPES, 5) },
    { kind: 'huge', record: objectOf(fields, HUGE) },
  ];
  const probes: Probe[] = [];
  const m = route.method;
  for (const { kind, record } of bodies) {
    // signed in: JSON to the API, the form encoding to pages (both carry the CSRF token)
    probes.push(
      api
        ? { method: m, url, kind, headers: { ...json, ...session }, body: JSON.stringify(record) }
        : { method: m, url, kind, headers: { ...form, cookie: actor.cookie }, body: formOf(record, actor.csrf) },
    ); // prettier-ignore
    if (api && (kind === 'injection0' || kind === 'types0' || kind === 'huge')) {
      probes.push({ method: m, url, kind: `bearer-${kind}`, headers: { ...json, ...bearer }, body: JSON.stringify(record) }); // prettier-ignore
    }
  }
  // anonymous
  for (const { kind, record } of bodies.slice(0, 2).concat(bodies.slice(4, 5))) {
    probes.push(
      api
        ? { method: m, url, kind: `anon-${kind}`, headers: json, body: JSON.stringify(record) }
        : { method: m, url, kind: `anon-${kind}`, headers: form, body: formOf(record) },
    );
  }
  const signed = api ? session : { cookie: actor.cookie, 'x-csrf-token': actor.csrf };
  const raw = (kind: string, type: string, body: string | Buffer): Probe => ({
    method: m,
    url,
    kind,
    headers: { ...signed, 'content-type': type },
    body,
  });
  const first = fields[0] ?? 'title';
  probes.push(
    raw('infinity', 'application/json', `{"${first}": 1e400, "amount": -1e400}`),
    raw('deep-json', 'application/json', '['.repeat(20_000) + ']'.repeat(20_000)),
    raw('deep-object', 'application/json', `{"${first}":`.repeat(5_000) + '1' + '}'.repeat(5_000)),
    raw('bad-json', 'application/json', '{"title": "unterminated'),
    raw('json-array', 'application/json', JSON.stringify([SCRIPT])),
    raw('proto', 'application/json', `{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}, "${first}": "${SCRIPT.replace(/"/g, '\\"')}"}`), // prettier-ignore
    raw('text-plain', 'text/plain', SCRIPT),
    raw('xml', 'application/xml', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`), // prettier-ignore
    raw('multipart-garbage', 'multipart/form-data; boundary=zzz', `--zzz\r\nContent-Disposition: form-data; name="${SCRIPT}"\r\n\r\n${SCRIPT}\r\n--zz`), // prettier-ignore
    raw('charset', 'application/json; charset=utf-7', '{}'),
    raw('form-as-json-type', 'application/json', formOf({ title: SCRIPT }, actor.csrf)),
    api
      ? raw('oversized-json', 'application/json', JSON.stringify({ [first]: 'x'.repeat(1_100_000) }))
      : raw('oversized-form', 'application/x-www-form-urlencoded', `${first}=${'x'.repeat(300_000)}&_csrf=${actor.csrf}`), // prettier-ignore
  );
  // bogus route parameters
  if (route.path.includes(':') || route.path.includes('*')) {
    for (const bogus of BOGUS_PARAMS) {
      const bad = fill(route.path, actor, bogus);
      probes.push(
        api
          ? { method: m, url: bad, kind: 'param', headers: { ...json, ...session }, body: JSON.stringify(objectOf(fields, INJECTIONS)) } // prettier-ignore
          : { method: m, url: bad, kind: 'param', headers: { ...form, cookie: actor.cookie }, body: formOf(objectOf(fields, INJECTIONS), actor.csrf) }, // prettier-ignore
      );
    }
  }
  return probes;
}

function getProbes(route: Route, actor: Actor, queryNames: string[]): Probe[] {
  const api = route.path.startsWith('/api/');
  const url = fill(route.path, actor);
  const query = (values: readonly unknown[], shift: number) =>
    '?' + formOf(objectOf(queryNames, values, shift));
  const signedIn: Record<string, string> = api
    ? { authorization: `Bearer ${actor.bearer}` }
    : { cookie: actor.cookie };
  const probes: Probe[] = [
    { method: 'GET', url, kind: 'plain', headers: signedIn },
    { method: 'GET', url: url + query(INJECTIONS, 0), kind: 'q-injection0', headers: signedIn },
    { method: 'GET', url: url + query(INJECTIONS, 1), kind: 'q-injection1', headers: { cookie: actor.cookie, accept: SCRIPT, 'accept-language': SCRIPT } }, // prettier-ignore
    { method: 'GET', url: url + query([...UNICODE, ...WRONG_TYPES, 1e308, -1], 0), kind: 'q-unicode-types', headers: signedIn }, // prettier-ignore
    { method: 'GET', url: `${url}?q[]=1&q[x]=2&page=1&page=2&limit=${'9'.repeat(400)}`, kind: 'q-repeated', headers: signedIn }, // prettier-ignore
    { method: 'GET', url, kind: 'anon', headers: {} },
    { method: 'GET', url: url + query(INJECTIONS, 2), kind: 'anon-q-injection', headers: {} },
  ];
  if (route.path.includes(':') || route.path.includes('*')) {
    for (const bogus of BOGUS_PARAMS) {
      const bad = fill(route.path, actor, bogus);
      probes.push({ method: 'GET', url: bad, kind: 'param', headers: signedIn });
      probes.push({ method: 'GET', url: bad, kind: 'anon-param', headers: {} });
    }
  }
  return probes;
}

/** Signing out, deleting or revoking may end the actor's session: those routes go last. */
const DESTRUCTIVE =
  /delete|deactivate|logout|revoke|cancel|password|email|two-factor|sessions|tokens/;

async function alive(actor: Actor): Promise<boolean> {
  const [session, token] = await Promise.all([
    fetch(`${base}/api/v1/me`, { headers: { cookie: actor.cookie } }),
    fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${actor.bearer}` } }),
  ]);
  await Promise.all([session.arrayBuffer(), token.arrayBuffer()]);
  return session.status === 200 && token.status === 200;
}

async function runAll(probes: Probe[], concurrency: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < probes.length) {
        const probe = probes[next++];
        if (probe) outcomes.push(await fire(probe));
      }
    }),
  );
  return outcomes;
}

test('malformed input on every route: no 5xx, no hang, no unescaped echo', async () => {
  const started = performance.now();
  const routes = parseRoutes(t.app.printRoutes({ commonPrefix: false }));
  assert.ok(routes.length > 100, `the route table lists the app's routes (${routes.length})`);
  const doc: unknown = await (await fetch(`${base}/api/v1/openapi.json`)).json();
  const mutating = routes
    .filter((r) => r.method !== 'GET')
    .sort((a, b) => Number(DESTRUCTIVE.test(a.path) || a.method === 'DELETE') - Number(DESTRUCTIVE.test(b.path) || b.method === 'DELETE')); // prettier-ignore
  const reads = routes.filter((r) => r.method === 'GET');
  log(
    `injected into ${routes.length} routes (${mutating.length} mutating, ${reads.length} GET) ` +
      '(field names from the OpenAPI document, else those the forms use)',
  );

  let actor = await makeActor();
  let rebuilt = 0;
  const outcomes: Outcome[] = [];
  // Writes first, then reads: pages then show whatever the writes managed to store.
  for (const route of [...mutating, ...reads]) {
    if (!(await alive(actor))) {
      actor = await makeActor();
      rebuilt++;
    }
    actor.csrf = await csrfFor(t.app, actor.creator.jar);
    const names = openApiNames(doc, route);
    const probes =
      route.method === 'GET'
        ? getProbes(route, actor, names.query.length > 0 ? names.query : QUERY_FIELDS)
        : mutatingProbes(route, actor, names.body.length > 0 ? names.body : FORM_FIELDS);
    outcomes.push(...(await runAll(probes, 12)));
    if (process.env.FUZZ_VERBOSE)
      log(
        `${route.method} ${route.path}: ${probes.length} (${Math.round(performance.now() - started)} ms)`,
      );
  }
  const seconds = (performance.now() - started) / 1000;

  const histogram: Record<string, number> = {};
  for (const o of outcomes) histogram[o.status] = (histogram[o.status] ?? 0) + 1;
  const problems = outcomes.filter((o) => o.problem !== undefined);
  log(
    `observed: ${routes.length} routes covered, ${outcomes.length} requests in ` +
      `${seconds.toFixed(1)} s, status histogram ${JSON.stringify(histogram)}, ` +
      `actor rebuilt ${rebuilt} times after destructive routes, problems ${problems.length}`,
  );
  for (const p of problems.slice(0, 30)) {
    log(`problem: ${p.probe.method} ${p.probe.url.slice(0, 120)} [${p.probe.kind}] → ${p.status} ${p.problem ?? ''}`); // prettier-ignore
  }
  assert.deepEqual(
    problems.map(
      (p) => `${p.probe.method} ${p.probe.url.slice(0, 120)} [${p.probe.kind}] ${p.status}`,
    ),
    [],
  );
});
