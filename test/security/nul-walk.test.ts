// The NUL walk (issue 15): PostgreSQL cannot store U+0000, and a NUL that reached it once gave a
// 500 carrying PostgreSQL's message (tus Upload-Metadata). Every route the app registered —
// collected by an onRoute hook as buildApp adds them, so tomorrow's route is walked tomorrow —
// gets a NUL in every text field it takes, one field at a time: each path parameter, each query
// parameter (the OpenAPI document's, or the names of the GET forms that lead there), each JSON
// body field at its place in the body (from the OpenAPI document's schemas) and a key, each form
// field the app's own pages post there (read from the pages' forms), plain text, and each tus
// metadata value: every one must be refused with 400 INVALID_TEXT (the JSON error envelope, or
// the error page for pages). The session cookie, multipart fields and file names where a route
// takes multipart, and signed webhook bytes are the route's own to refuse or clean. No answer
// may be a 5xx or carry PostgreSQL's words, and under /api/ every refusal is the JSON error
// envelope. docs/security.md "Text input".
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import {
  makeItem,
  makeProject,
  signUpCreator,
  type Creator,
} from '../../src/modules/catalog/catalog.test-helpers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { recordRegisteredRoutes, type RegisteredRoute } from './registered-routes.js';

const log = (line: string) => console.log(`nul-walk: ${line}`);

const NUL = 'nul\u0000byte';
const NUL_URL = encodeURIComponent(NUL);
/** What PostgreSQL says about a NUL (text, jsonb) or about text it cannot read. */
const POSTGRES_WORDS =
  /invalid byte sequence for encoding|unsupported Unicode escape sequence|cannot be converted to text|invalid input syntax for|null character not permitted|SQLSTATE/i;
const BOGUS_ID = '00000000-0000-4000-8000-000000000000';
/** what the error page says (pages have no code to read) */
const NUL_WORDS = 'cannot contain the NUL character';
/** A route whose page posts no form the walk can read still gets these names. */
const FALLBACK_FIELDS = ['title', 'body', 'email', 'name', 'message'];
/** Routes that sign the walker out or take their account away go last. */
const DESTRUCTIVE = /logout|delete|deactivate|revoke|sessions|tokens|password|email|close/;

interface Actor {
  creator: Creator;
  cookie: string;
  bearer: string;
  projectId: string;
  projectSlug: string;
  itemId: string;
  itemSlug: string;
}

interface Probe {
  route: string;
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /**
   * The NUL sits in text the app parses (path, query, JSON, form, plain text, tus metadata), so
   * the answer must be 400 INVALID_TEXT. Cookies, multipart parts and bodies a route keeps as
   * bytes (signed webhooks) are the route's own to refuse or clean: they must only not break it.
   */
  refused: boolean;
}

interface Outcome {
  probe: Probe;
  status: number;
  problem?: string;
}

type Schema = Record<string, unknown>;
interface OpenApi {
  paths: Record<string, Record<string, Schema>>;
  components: { schemas?: Record<string, Schema> };
}

let t: TestApp;
let base: string;
let routes: RegisteredRoute[];
let doc: OpenApi;
let actor: Actor;

before(async () => {
  const recorder = recordRegisteredRoutes();
  try {
    t = await createTestApp();
  } finally {
    recorder.stop();
  }
  routes = recorder.routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as OpenApi;
  actor = await makeActor();
});
after(() => t.close());

const randomIp = () =>
  `10.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

async function makeActor(): Promise<Actor> {
  const creator = await signUpCreator(t.app);
  // room for uploads, so tus metadata is read
  await t.runtime.db
    .updateTable('users')
    .set({ creator_tier: 'big_files' })
    .where('id', '=', creator.id)
    .execute();
  const project = await makeProject(t.app, creator);
  const item = await makeItem(t.app, creator, project.id, { type: 'audio', title: 'Walked' });
  const res = await fetch(`${base}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() },
    body: JSON.stringify({ email: creator.email, password: creator.password, name: 'nul walk' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const slugs = await t.runtime.db
    .selectFrom('items')
    .innerJoin('projects', 'projects.id', 'items.project_id')
    .select(['items.slug as item', 'projects.slug as project'])
    .where('items.id', '=', item.id)
    .executeTakeFirstOrThrow();
  return {
    creator,
    cookie: [...creator.jar.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    bearer: ((await res.json()) as { token: string }).token,
    projectId: project.id,
    projectSlug: slugs.project,
    itemId: item.id,
    itemSlug: slugs.item,
  };
}

/** A value that gets the route past routing to its own checks, by the parameter's name. */
function realValue(name: string, before: string): string {
  if (name === 'handle') return actor.creator.handle;
  if (name === 'processor') return 'local';
  if (name === 'purpose') return 'cover';
  if (name === 'file') return 'cover.webp';
  if (name === 'token') return 'no-such-token';
  if (name === 'project') return actor.projectSlug;
  if (name === 'item' || name === 'slug') return actor.itemSlug;
  if (before === 'projects') return actor.projectId;
  if (['items', 'i', 'buy', 'play', 'poster'].includes(before)) return actor.itemId;
  return BOGUS_ID;
}

/** The route's URL with real values, except `nulIn` (a parameter name or '*'), which gets NUL. */
function fill(url: string, nulIn?: string): string {
  const parts = url.split('/');
  return parts
    .map((part, i) => {
      if (part === '*') return nulIn === '*' ? NUL_URL : 'no-such-page';
      if (!part.startsWith(':')) return part;
      const name = part.slice(1);
      return name === nulIn ? NUL_URL : encodeURIComponent(realValue(name, parts[i - 1] ?? ''));
    })
    .join('/');
}

const paramsOf = (url: string) =>
  url.split('/').flatMap((part) => (part === '*' ? ['*'] : part.startsWith(':') ? [part.slice(1)] : [])); // prettier-ignore

// ---------------------------------------------------------------- what the OpenAPI document says

function resolve(node: unknown): Schema | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const schema = node as Schema;
  if (typeof schema.$ref === 'string') {
    return doc.components.schemas?.[schema.$ref.split('/').pop() ?? ''];
  }
  return schema;
}

/** One body per leaf of the schema, that leaf NUL and the path to it built as the schema says. */
function nulBodies(node: unknown, depth = 0): unknown[] {
  const schema = resolve(node);
  if (!schema || depth > 6) return [NUL];
  const branches = [schema.anyOf, schema.oneOf, schema.allOf].flatMap((b): unknown[] =>
    Array.isArray(b) ? (b as unknown[]) : [],
  );
  if (branches.length > 0) return branches.flatMap((b) => nulBodies(b, depth + 1));
  if (schema.type === 'array' || schema.items !== undefined) {
    return nulBodies(schema.items, depth + 1).map((inner): unknown => [inner]);
  }
  const properties = schema.properties as Record<string, unknown> | undefined;
  if (properties && Object.keys(properties).length > 0) {
    return Object.entries(properties).flatMap(([name, inner]) =>
      nulBodies(inner, depth + 1).map((value) => ({ [name]: value })),
    );
  }
  return [NUL];
}

function operationOf(route: RegisteredRoute): Schema | undefined {
  if (!route.url.startsWith('/api/v1/')) return undefined;
  const path = route.url.slice('/api/v1'.length).replace(/:(\w+)/g, '{$1}');
  return doc.paths[path]?.[route.method.toLowerCase()];
}

function documentedQuery(route: RegisteredRoute): string[] {
  const parameters = (operationOf(route)?.parameters ?? []) as { in?: string; name?: string }[];
  return parameters.flatMap((p) => (p.in === 'query' && p.name ? [p.name] : []));
}

function documentedBodies(route: RegisteredRoute): unknown[] {
  const body = operationOf(route)?.requestBody as
    { content?: Record<string, { schema?: unknown }> } | undefined;
  const schema = body?.content?.['application/json']?.schema;
  return schema ? nulBodies(schema) : [];
}

const takesMultipart = (route: RegisteredRoute) => {
  const summary = operationOf(route)?.summary;
  return typeof summary === 'string' && summary.includes('multipart/form-data');
};

// ------------------------------------------------------------------ what the app's pages post

interface PageForm {
  method: string;
  action: string;
  multipart: boolean;
  names: Set<string>;
}

const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]?.replaceAll('&amp;', '&');

/** Forms in a page (plain, htmx and `form=` inputs outside them), with the fields they send. */
function formsOf(html: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const match of html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/g)) {
    const open = match[1] ?? '';
    const hx = ['post', 'put', 'patch', 'delete'].find((m) => attr(open, `hx-${m}`) !== undefined);
    const action = hx ? attr(open, `hx-${hx}`) : attr(open, 'action');
    if (action === undefined || !action.startsWith('/')) continue;
    const method = (hx ?? attr(open, 'method') ?? 'get').toUpperCase();
    const names = new Set<string>();
    const id = attr(open, 'id');
    const inner = match[2] ?? '';
    const outside = id
      ? [...html.matchAll(new RegExp(`<[^>]*\\sform="${id}"[^>]*>`, 'g'))].map((m) => m[0])
      : [];
    for (const tag of [...inner.matchAll(/<(?:input|select|textarea|button)\b[^>]*>/g)]
      .map((m) => m[0])
      .concat(outside)) {
      // prettier-ignore
      const name = attr(tag, 'name');
      if (name && name !== '_csrf') names.add(name);
    }
    const encoding = attr(open, 'enctype') ?? attr(open, 'hx-encoding') ?? '';
    forms.push({
      method,
      action: action.split('?')[0] ?? action,
      multipart: encoding === 'multipart/form-data',
      names,
    });
  }
  return forms;
}

const routePattern = (url: string) =>
  new RegExp(`^${url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+').replace('*', '.*')}$`); // prettier-ignore

/** Reads every page as the actor and gives each route the field names its forms send. */
async function harvestForms(): Promise<Map<string, { names: Set<string>; multipart: boolean }>> {
  const found = new Map<string, { names: Set<string>; multipart: boolean }>();
  const pages = routes.filter((r) => r.method === 'GET' && !r.url.startsWith('/api/'));
  const patterns = routes.map((r) => ({ route: r, pattern: routePattern(r.url) }));
  for (const page of pages) {
    const res = await fetch(`${base}${fill(page.url)}`, {
      headers: { cookie: actor.cookie, 'x-forwarded-for': randomIp() },
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    const type = res.headers.get('content-type') ?? '';
    if (!type.startsWith('text/html')) {
      await res.body?.cancel();
      continue;
    }
    for (const form of formsOf(await res.text())) {
      const target = patterns.find(
        (p) => p.route.method === form.method && p.pattern.test(form.action),
      );
      if (!target) continue;
      const key = `${target.route.method} ${target.route.url}`;
      const entry = found.get(key) ?? { names: new Set<string>(), multipart: false };
      for (const name of form.names) entry.names.add(name);
      entry.multipart ||= form.multipart;
      found.set(key, entry);
    }
  }
  return found;
}

// ----------------------------------------------------------------------------------- probes

function multipartBody(fields: string[]): { type: string; body: Buffer } {
  const boundary = 'nulwalk' + Math.random().toString(16).slice(2);
  const parts = fields.map(
    (name) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${NUL}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cover${NUL}.png"\r\n` +
      `Content-Type: image/png\r\n\r\n${NUL}\r\n--${boundary}--\r\n`,
  );
  return { type: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(parts.join('')) };
}

function probesFor(
  route: RegisteredRoute,
  forms: Map<string, { names: Set<string>; multipart: boolean }>,
): Probe[] {
  const api = route.url.startsWith('/api/');
  const key = `${route.method} ${route.url}`;
  const session = { cookie: actor.cookie, 'x-csrf-token': actor.creator.csrf };
  const url = fill(route.url);
  const probes: Probe[] = [];
  const rawJson = route.url.startsWith('/webhooks/'); // the signature covers the bytes
  const add = (kind: string, probe: Omit<Probe, 'route' | 'kind' | 'method' | 'refused'>) =>
    probes.push({
      route: key,
      kind,
      method: route.method,
      ...probe,
      refused: !['cookie', 'multipart'].includes(kind) && !(rawJson && kind.startsWith('json')),
    });

  for (const name of paramsOf(route.url)) {
    add(`param ${name}`, { url: fill(route.url, name), headers: session });
  }
  const gets = route.method === 'GET' ? [...(forms.get(key)?.names ?? [])] : [];
  const queryNames = new Set<string>([...documentedQuery(route), ...gets, 'q']);
  for (const name of queryNames) {
    add(`query ${name}`, { url: `${url}?${encodeURIComponent(name)}=${NUL_URL}`, headers: session }); // prettier-ignore
  }
  if (route.method === 'GET') {
    const cookie = actor.cookie.replace(/=([^;]*)/g, '=$1%00');
    add('cookie', { url, headers: { cookie } });
    return probes;
  }

  const json = { ...session, 'content-type': 'application/json' };
  const bodies = api ? documentedBodies(route) : [];
  const names = [...(forms.get(key)?.names ?? []), ...FALLBACK_FIELDS];
  const jsonBodies = bodies.length > 0 ? bodies : names.map((name) => ({ [name]: NUL }));
  jsonBodies.push({ [`key${NUL}`]: 'value' });
  for (const body of jsonBodies) {
    add(`json ${JSON.stringify(body).slice(0, 60)}`, { url, headers: json, body: JSON.stringify(body) }); // prettier-ignore
  }
  if (api) {
    const bearer = { authorization: `Bearer ${actor.bearer}`, 'content-type': 'application/json' };
    add('bearer json', { url, headers: bearer, body: JSON.stringify(jsonBodies[0]) });
  }
  const formHeaders = { ...session, 'content-type': 'application/x-www-form-urlencoded' };
  for (const name of new Set(names)) {
    const body = `${encodeURIComponent(name)}=${NUL_URL}&_csrf=${encodeURIComponent(actor.creator.csrf)}`; // prettier-ignore
    add(`form ${name}`, { url, headers: formHeaders, body });
  }
  add('text', { url, headers: { ...session, 'content-type': 'text/plain' }, body: NUL });
  if (takesMultipart(route) || forms.get(key)?.multipart) {
    const { type, body } = multipartBody([...new Set(names)].slice(0, 5));
    const auth = api ? { authorization: `Bearer ${actor.bearer}` } : session;
    add('multipart', { url, headers: { ...auth, 'content-type': type }, body });
  }
  return probes;
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** tus creation with a NUL in each metadata value in turn (base64: no hook can see it). */
function tusProbes(): Probe[] {
  const values: Record<string, string> = {
    item_id: actor.itemId,
    filename: 'walk.wav',
    filetype: 'audio/wav',
    note: 'any other key',
  };
  return Object.keys(values).map((nulKey) => {
    const metadata = Object.entries(values)
      .map(([k, v]) => `${k} ${b64(k === nulKey ? `${v}${NUL}` : v)}`)
      .join(',');
    return {
      route: 'POST /api/v1/uploads',
      kind: `tus metadata ${nulKey}`,
      method: 'POST',
      url: '/api/v1/uploads',
      refused: true,
      headers: {
        cookie: actor.cookie,
        'x-csrf-token': actor.creator.csrf,
        'tus-resumable': '1.0.0',
        'upload-length': '10',
        'upload-metadata': metadata,
      },
    };
  });
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
    const status = res.status;
    if (status >= 500) return { probe, status, problem: text.slice(0, 200) };
    const words = POSTGRES_WORDS.exec(text)?.[0];
    if (words) return { probe, status, problem: `PostgreSQL's words: ${words}` };
    const json = /^application\/json/.test(type);
    let code: unknown;
    if (json && status >= 400) {
      try {
        code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
      } catch {
        code = undefined;
      }
    }
    if (probe.url.startsWith('/api/') && status >= 400 && (!json || typeof code !== 'string')) {
      return { probe, status, problem: `not the JSON error envelope: ${type} ${text.slice(0, 80)}` }; // prettier-ignore
    }
    const invalidText = status === 400 && (json ? code === 'INVALID_TEXT' : text.includes(NUL_WORDS)); // prettier-ignore
    if (probe.refused && !invalidText) {
      return { probe, status, problem: `not refused as INVALID_TEXT: ${text.slice(0, 80)}` };
    }
    return { probe, status };
  } catch (error) {
    return { probe, status: 0, problem: `no answer: ${(error as Error).message}` };
  }
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

test('a NUL in every text field of every route: refused as INVALID_TEXT, never a 5xx or PostgreSQL’s words', async () => {
  const started = performance.now();
  assert.ok(routes.length > 150, `the app's routes were recorded (${routes.length})`);
  const forms = await harvestForms();
  const ordered = [...routes].sort(
    (a, b) => Number(DESTRUCTIVE.test(a.url)) - Number(DESTRUCTIVE.test(b.url)),
  );
  const probes = [...tusProbes(), ...ordered.flatMap((route) => probesFor(route, forms))];
  const walked = new Set(probes.map((p) => p.route));
  const outcomes = await runAll(probes, 8);
  const seconds = (performance.now() - started) / 1000;

  const histogram: Record<string, number> = {};
  for (const o of outcomes) histogram[o.status] = (histogram[o.status] ?? 0) + 1;
  const problems = outcomes.filter((o) => o.problem !== undefined);
  log(
    `${routes.length} routes (${walked.size} walked, forms read for ${forms.size}), ` +
      `${outcomes.length} requests in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(histogram)}, ` +
      `problems ${problems.length}`,
  );
  if (process.env.NUL_WALK_VERBOSE) {
    for (const o of outcomes.filter((o) => o.status !== 400)) {
      log(`${o.status} ${o.probe.route} [${o.probe.kind}]`);
    }
  }
  for (const p of problems.slice(0, 30)) {
    log(`problem: ${p.probe.route} [${p.probe.kind}] → ${p.status} ${p.problem ?? ''}`);
  }
  assert.equal(walked.size, routes.length, 'every route was walked');
  assert.ok(forms.size >= 20, `the pages' forms were read (${forms.size} routes)`);
  assert.ok(
    probes.filter((p) => p.refused).length > probes.length * 0.8,
    'most probes put NUL in parsed text',
  );
  assert.deepEqual(
    problems.map((p) => `${p.probe.route} [${p.probe.kind}] ${p.status}: ${p.problem ?? ''}`),
    [],
  );
});
