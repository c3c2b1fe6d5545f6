// Webhook events that arrive together are stored together (group commit, webhooks.service.ts):
// every genuine event is stored once with one job, a re-delivery in the same batch or a later
// one is answered as a duplicate, a forged one is refused without touching its batchmates.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { signPayload } from './stripe/stripe-signature.js';

const SECRET = 'whsec_batch_test';
let t: TestApp;

before(async () => {
  t = await createTestApp({
    env: {
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_unused_here',
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_API_BASE: 'http://127.0.0.1:9',
    },
  });
});
after(() => t.close());

function deliver(id: string, secret = SECRET) {
  const payload = JSON.stringify({
    id,
    type: 'customer.created',
    created: 1,
    data: { object: { id: `cus_${id}` } },
  });
  return t.app.inject({
    method: 'POST',
    url: '/webhooks/payments/stripe',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': signPayload(payload, secret, Math.floor(Date.now() / 1000)),
    },
    payload,
  });
}

test('80 concurrent deliveries with duplicates and forgeries: each genuine event stored once', async () => {
  const ids = Array.from({ length: 40 }, (_, i) => `evt_batch_${i}`);
  // every id twice, the copies interleaved, plus forgeries of ids that are never genuine
  const sends = [
    ...ids.flatMap((id) => [deliver(id), deliver(id)]),
    ...Array.from({ length: 5 }, (_, i) => deliver(`evt_forged_${i}`, 'whsec_wrong')),
  ];
  const answers = await Promise.all(sends);
  const genuine = answers.slice(0, ids.length * 2);
  assert.ok(
    genuine.every((a) => a.statusCode === 200),
    'every genuine delivery is acknowledged',
  );
  const fresh = genuine.filter((a) => !a.json<{ duplicate: boolean }>().duplicate).length;
  assert.equal(fresh, ids.length, 'exactly one delivery of each event is the first');
  assert.ok(answers.slice(ids.length * 2).every((a) => a.statusCode === 400));

  const stored = await t.runtime.db
    .selectFrom('payment_events')
    .select('id')
    .where('id', 'like', 'evt_%')
    .execute();
  assert.deepEqual(stored.map((r) => r.id).sort(), [...ids].sort());
  const { rows } = await sql<{ key: string }>`
    select key from graphile_worker.jobs where task_identifier = 'payments:apply_event'`.execute(
    t.runtime.db,
  );
  assert.deepEqual(rows.map((r) => r.key).sort(), ids.map((id) => `event:${id}`).sort());

  // a later re-delivery is still a duplicate
  const again = await deliver(ids[0] ?? '');
  assert.equal(again.json<{ duplicate: boolean }>().duplicate, true);
});
