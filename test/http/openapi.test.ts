// The OpenAPI document describes exactly the API the app serves: no route undocumented, no
// documented route missing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

interface Doc {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { responses: object }>>;
}

test('GET /api/v1/openapi.json is an OpenAPI 3.1 document of every API route', async () => {
  const res = await t.app.inject('/api/v1/openapi.json');
  assert.equal(res.statusCode, 200);
  const doc = res.json<Doc>();
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.servers[0]?.url, 'http://localhost:3000/api/v1');

  const documented = Object.entries(doc.paths)
    .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`))
    .sort();
  const served = [...new Set(t.app.registeredApiRoutes.map((r) => `${r.method} ${r.path}`))].sort();
  assert.deepEqual(
    served.filter((r) => !documented.includes(r)),
    [],
    'routes served but not documented',
  );
  assert.deepEqual(
    documented.filter((r) => !served.includes(r)),
    [],
    'routes documented but not served',
  );
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      assert.ok(Object.keys(op.responses).length > 0, `${method} ${path} has responses`);
    }
  }
});
