// The token-scope walk (issue 15): every state-changing route the app registered — JSON API,
// pages, the developer payment panel, webhooks, whatever exists the day it runs — is sent a
// request carrying the owner's read-only token, with every id the fixtures made and a body that
// would work with the right credential. No answer may be a success (2xx/3xx) and nothing in the
// database may change. Routes meant to answer a read-only token are in ALLOWED with the reason
// and checked on their own. docs/security.md "Tokens and scopes".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { newJar, send } from '../helpers/http.js';
import {
  recordRegisteredRoutes,
  STATE_CHANGING,
  type RegisteredRoute,
} from './registered-routes.js';
import {
  changedTables,
  createToken,
  fingerprint,
  makeScopeFixtures,
  type ScopeFixtures,
} from './token-scope-fixtures.js';

const log = (line: string) => console.log(`token-scope-walk: ${line}`);

/**
 * "METHOD route" → why a read-only token may succeed there. Every other state-changing route
 * must refuse it. Routes that need no credential at all (sign-in, sign-up, licence keys, guest
 * checkout, webhooks) are not here: sent a token without the write scope they refuse it too.
 */
const ALLOWED: Record<string, string> = {
  'POST /api/v1/auth/logout':
    'gives up the calling token itself (it is revoked): less access, never more; checked below',
};

const BOGUS_ID = '00000000-0000-4000-8000-000000000000';
/** at most this many URLs per route (a route with two ids would otherwise square the list) */
const MAX_URLS_PER_ROUTE = 40;

interface Answer {
  route: string;
  url: string;
  status: number;
  code?: string;
}

let t: TestApp;
let f: ScopeFixtures;
let routes: RegisteredRoute[];
let walked: RegisteredRoute[];
const answers: Answer[] = [];
let changed: string[] = [];

function valuesFor(param: string): string[] {
  if (param === 'versionId') return [...f.versionIds, BOGUS_ID];
  if (param === 'handle') return [f.owner.handle];
  if (param === 'processor') return ['local'];
  if (param === 'purpose') return ['cover', 'avatar'];
  if (param === 'token') return ['no-such-token'];
  return [...f.ids, BOGUS_ID];
}

/** Every combination of the route's parameters, capped. */
function urlsOf(route: string): string[] {
  let urls = [''];
  for (const part of route.split(/(:\w+|\*)/).filter((p) => p !== '')) {
    const values = part === '*' ? ['no-such-page'] : part.startsWith(':') ? valuesFor(part.slice(1)) : [part]; // prettier-ignore
    urls = urls.flatMap((prefix) =>
      values.map((value) => prefix + (part === value ? value : encodeURIComponent(value))),
    );
    urls = urls.slice(0, MAX_URLS_PER_ROUTE);
  }
  return urls;
}

async function sendWithToken(method: string, url: string, token: string) {
  const api = url.startsWith('/api/');
  const body = api
    ? JSON.stringify(f.body)
    : new URLSearchParams(
        Object.entries(f.body).map(([k, v]): [string, string] => [
          k,
          typeof v === 'string' ? v : JSON.stringify(v),
        ]),
      ).toString();
  return t.app.inject({
    method: method as 'POST',
    url,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': api ? 'application/json' : 'application/x-www-form-urlencoded',
      // pages answer a refusal as JSON too when asked, so its code can be read
      accept: 'application/json',
      'x-forwarded-for': newJar().ip,
    },
    payload: body,
  });
}

before(async () => {
  const recorder = recordRegisteredRoutes();
  try {
    t = await createTestApp({ runJobs: true });
  } finally {
    recorder.stop();
  }
  routes = recorder.routes;
  const started = performance.now();
  f = await makeScopeFixtures(t);
  log(`fixtures in ${Math.round(performance.now() - started)} ms, ${f.ids.length} ids`);

  walked = routes.filter((r) => STATE_CHANGING.has(r.method) && !(`${r.method} ${r.url}` in ALLOWED)); // prettier-ignore
  const before = await fingerprint(t.runtime.db);
  const walkStarted = performance.now();
  for (const route of walked) {
    for (const url of urlsOf(route.url)) {
      const res = await sendWithToken(route.method, url, f.readToken);
      let code: string | undefined;
      try {
        code = res.json<{ error?: { code?: string } }>().error?.code;
      } catch {
        code = undefined; // not a JSON refusal
      }
      answers.push({ route: `${route.method} ${route.url}`, url, status: res.statusCode, code });
    }
  }
  log(`${answers.length} requests to ${walked.length} routes in ${Math.round(performance.now() - walkStarted)} ms`); // prettier-ignore
  changed = changedTables(before, await fingerprint(t.runtime.db));
});
after(() => t.close());

test('the walk covers every state-changing route the app registered', () => {
  assert.ok(walked.length > 80, `state-changing routes walked: ${walked.length}`);
  for (const needed of [
    'POST /dashboard/sales/:id/refund',
    'POST /settings/profile',
    'POST /logout',
    'POST /pay/local/dev/payments/:id/refund',
    'DELETE /api/v1/items/:id',
  ]) {
    assert.ok(
      walked.some((r) => `${r.method} ${r.url}` === needed),
      needed,
    );
  }
  const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
  assert.deepEqual(Object.keys(ALLOWED).filter((r) => !registered.has(r)), [], 'stale ALLOWED entries'); // prettier-ignore
});

test('a read-only token succeeds nowhere: every state-changing route refuses it', () => {
  const succeeded = answers.filter((a) => a.status < 400);
  assert.deepEqual(
    succeeded.map((a) => `${a.route} (${a.url}) → ${a.status}`),
    [],
    'routes that accepted a read-only token',
  );
  const broken = answers.filter((a) => a.status >= 500);
  assert.deepEqual(
    broken.map((a) => `${a.url} → ${a.status}`),
    [],
    'server errors',
  );
  // The refusal is the scope decision, not a side effect of a wrong parameter or body.
  const notRefusedForScope = answers.filter(
    (a) => a.code !== 'INSUFFICIENT_SCOPE' && a.code !== 'TOKEN_NOT_ACCEPTED',
  );
  assert.deepEqual(
    [...new Set(notRefusedForScope.map((a) => `${a.route} → ${a.status} ${a.code ?? ''}`))],
    [],
    'answers that did not refuse the token itself',
  );
});

test('nothing in the database changed', () => {
  assert.deepEqual(changed, [], 'tables the walk changed');
});

test('the token was live to the end, and a write token does write (the walk could fail)', async () => {
  const read = { authorization: `Bearer ${f.readToken}` };
  assert.equal((await send(t.app, newJar(), { url: '/api/v1/me', headers: read })).statusCode, 200);
  const write = await send(t.app, newJar(), {
    method: 'PATCH',
    url: '/api/v1/me',
    json: { display_name: 'Written with the write scope' },
    headers: { authorization: `Bearer ${f.writeToken}` },
  });
  assert.equal(write.statusCode, 200, write.body);
  const owner = await send(t.app, f.owner.jar, { url: '/api/v1/me' });
  assert.equal(owner.statusCode, 200, 'the owner is still signed in');
});

test('allowed: a read-only token signs itself out (it is revoked), nothing else', async () => {
  const { token } = await createToken(t, f.owner, ['read'], 'one-off');
  const headers = { authorization: `Bearer ${token}` };
  const before = await fingerprint(t.runtime.db);
  const res = await send(t.app, newJar(), { url: '/api/v1/auth/logout', json: {}, headers });
  assert.equal(res.statusCode, 204, res.body);
  assert.deepEqual(changedTables(before, await fingerprint(t.runtime.db)), [
    'api_tokens',
    'security_events',
  ]);
  assert.equal((await send(t.app, newJar(), { url: '/api/v1/me', headers })).statusCode, 401);
  const walker = { authorization: `Bearer ${f.readToken}` };
  assert.equal((await send(t.app, newJar(), { url: '/api/v1/me', headers: walker })).statusCode, 200); // prettier-ignore
});

test('pages are for browsers: a write token is refused on a page form, and a page read ignores it', async () => {
  const headers = { authorization: `Bearer ${f.writeToken}` };
  const form = await send(t.app, newJar(), {
    url: '/settings/profile',
    form: { display_name: 'Through a page with a token' },
    headers: { ...headers, accept: 'application/json' },
  });
  assert.equal(form.statusCode, 403);
  assert.equal(form.json<{ error: { code: string } }>().error.code, 'TOKEN_NOT_ACCEPTED');
  const page = await send(t.app, newJar(), { url: '/dashboard', headers });
  assert.equal(page.statusCode, 303, 'a page read with a token is anonymous: sign in first');
  assert.match(String(page.headers.location), /^\/login/);
});
