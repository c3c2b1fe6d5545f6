import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { checkSignature, signPayload } from './stripe-signature.js';

const secret = 'whsec_test_secret';
const body = Buffer.from('{"id":"evt_1","type":"checkout.session.completed"}');

test('a signature we made verifies; the same scheme as Stripe (HMAC of "t.body")', () => {
  const header = signPayload(body, secret, 1_800_000_000);
  const expected = createHmac('sha256', secret)
    .update(`1800000000.${body.toString()}`)
    .digest('hex');
  assert.equal(header, `t=1800000000,v1=${expected}`);
  assert.equal(checkSignature(body, header, secret, 1_800_000_100), undefined);
});

test('every way a signature can be wrong is refused, and says why', () => {
  const now = 1_800_000_000;
  const good = signPayload(body, secret, now);
  assert.equal(checkSignature(body, undefined, secret, now), 'missing');
  assert.equal(checkSignature(body, 'nonsense', secret, now), 'malformed');
  assert.equal(checkSignature(body, `t=${now}`, secret, now), 'malformed');
  assert.equal(checkSignature(body, good, secret, now + 301), 'too_old');
  assert.equal(checkSignature(body, good, secret, now - 301), 'too_old');
  assert.equal(checkSignature(body, good, 'another secret', now), 'mismatch');
  const altered = Buffer.from(body.toString().replace('evt_1', 'evt_2'));
  assert.equal(checkSignature(altered, good, secret, now), 'mismatch');
});

test('one matching v1 among several is enough (secret rollover)', () => {
  const now = 1_800_000_000;
  const good = signPayload(body, secret, now);
  const other = signPayload(body, 'old secret', now).split(',')[1];
  assert.equal(checkSignature(body, `${good},${other}`, secret, now), undefined);
  assert.equal(checkSignature(body, `t=${now},${other}`, secret, now), 'mismatch');
});
