import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalKey,
  createKeySealer,
  displayKey,
  generateCanonicalKey,
  keySuffix,
} from './licence-key.js';

test('keys are 25 Crockford characters, shown as MNW- and five groups', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const key = generateCanonicalKey();
    assert.match(key, /^[0-9A-HJKMNP-TV-Z]{25}$/);
    seen.add(key);
  }
  assert.equal(seen.size, 200);
  const shown = displayKey('0123456789ABCDEFGHJKMNPQR');
  assert.equal(shown, 'MNW-01234-56789-ABCDE-FGHJK-MNPQR');
  assert.equal(keySuffix('0123456789ABCDEFGHJKMNPQR'), 'MNPQR');
});

test('typed keys are read forgivingly, and anything else is no key', () => {
  const canonical = '0123456789ABCDEFGHJKMNPQR';
  for (const typed of [
    'MNW-01234-56789-ABCDE-FGHJK-MNPQR',
    'mnw 01234 56789 abcde fghjk mnpqr',
    'O1234-56789-ABCDE-FGHJK-MNPQR',
    '0I234-56789-ABCDE-FGHJK-MNPQR',
    '0l23456789abcdefghjkmnpqr',
  ]) {
    assert.equal(canonicalKey(typed), canonical, typed);
  }
  for (const bad of ['', 'MNW-', 'U'.repeat(25), '0'.repeat(24), '0'.repeat(26), 'MNW-\u0000']) {
    assert.equal(canonicalKey(bad), undefined, bad);
  }
});

test('a sealed key opens only with the same secret and the same order', () => {
  const sealer = createKeySealer('a-secret-long-enough-for-the-test');
  const sealed = sealer.seal('0123456789ABCDEFGHJKMNPQR', 'order-1');
  assert.equal(sealer.open(sealed, 'order-1'), '0123456789ABCDEFGHJKMNPQR');
  assert.throws(() => sealer.open(sealed, 'order-2'));
  assert.throws(() => createKeySealer('another-secret-long-enough').open(sealed, 'order-1'));
});
