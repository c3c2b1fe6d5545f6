// The webhook's refusals are API.md's JSON error envelope whatever the sender's Accept header
// says (processors send what they like, and an HTML error page is of no use to them).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { localWebhookSecret } from './local/local-processor.js';
import { signPayload } from './stripe/stripe-signature.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const signed = (body: string) =>
  signPayload(body, localWebhookSecret(t.runtime.config.appSecret), Math.floor(Date.now() / 1000));

test('webhook refusals are JSON errors with stable codes, for any Accept', async () => {
  const event = JSON.stringify({ id: 'evt_x', type: 'checkout.session.completed', data: {} });
  const cases = [
    { why: 'no signature', url: '/webhooks/payments/local', type: 'application/json', payload: event, status: 400, code: 'INVALID_SIGNATURE' }, // prettier-ignore
    { why: 'forged signature', url: '/webhooks/payments/local', type: 'application/json', payload: event, signature: 't=1,v1=00', status: 400, code: 'INVALID_SIGNATURE' }, // prettier-ignore
    { why: 'signed, not JSON', url: '/webhooks/payments/local', type: 'application/json', payload: 'nope', signature: signed('nope'), status: 400, code: 'INVALID_EVENT' }, // prettier-ignore
    { why: 'signed, no event', url: '/webhooks/payments/local', type: 'application/json', payload: '{}', signature: signed('{}'), status: 400, code: 'INVALID_EVENT' }, // prettier-ignore
    { why: 'unknown processor', url: '/webhooks/payments/paypal', type: 'application/json', payload: event, status: 404, code: 'NOT_FOUND' }, // prettier-ignore
    { why: 'unknown path', url: '/webhooks/elsewhere', type: 'application/json', payload: event, status: 404, code: 'NOT_FOUND' }, // prettier-ignore
    { why: 'a content type no processor sends', url: '/webhooks/payments/local', type: 'application/xml', payload: '<x/>', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }, // prettier-ignore
    { why: 'over the size limit', url: '/webhooks/payments/local', type: 'application/json', payload: `{"pad":"${'x'.repeat(300 * 1024)}"}`, status: 413, code: 'PAYLOAD_TOO_LARGE' }, // prettier-ignore
    { why: 'NUL in the path', url: '/webhooks/payments/lo%00cal', type: 'application/json', payload: event, status: 400, code: 'INVALID_TEXT' }, // prettier-ignore
  ];
  for (const c of cases) {
    for (const accept of [undefined, 'text/html', '*/*; q=0.5, application/xml']) {
      const res = await t.app.inject({
        method: 'POST',
        url: c.url,
        headers: {
          'content-type': c.type,
          ...(accept !== undefined && { accept }),
          ...(c.signature !== undefined && { 'stripe-signature': c.signature }),
        },
        payload: c.payload,
      });
      const what = `${c.why} (Accept: ${accept ?? 'none'})`;
      assert.equal(res.statusCode, c.status, `${what}: ${res.body.slice(0, 200)}`);
      assert.match(res.headers['content-type'] ?? '', /^application\/json/, what);
      assert.equal(res.json<{ error: { code: string } }>().error.code, c.code, what);
    }
  }
  const stored = await t.runtime.db.selectFrom('payment_events').select('id').execute();
  assert.deepEqual(stored, [], 'nothing refused was stored');
});
