// One request id from the web request to the job it queued: the job's payload carries it and
// the worker's log lines name it (see platform/request-scope.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

test('a job queued while serving a request carries that request id', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    headers: { 'x-request-id': 'trace-0123456789', 'x-forwarded-for': '10.1.2.3' },
    payload: {
      email: 'traced@example.com',
      password: 'a long and private passphrase',
      handle: 'traced',
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.headers['x-request-id'], 'trace-0123456789');
  const jobs = await sql<{ task_identifier: string; payload: Record<string, unknown> }>`
    select k.identifier as task_identifier, j.payload
    from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
  `.execute(t.runtime.db);
  const mail = jobs.rows.find((job) => job.task_identifier === 'mail:deliver');
  assert.ok(mail, 'the confirmation mail was queued');
  assert.equal(mail.payload._requestId, 'trace-0123456789');

  // and a request without a given id gets a fresh one, different for each request
  const other = await t.app.inject({ method: 'GET', url: '/healthz' });
  assert.match(String(other.headers['x-request-id']), /^[0-9a-f-]{36}$/);
});
