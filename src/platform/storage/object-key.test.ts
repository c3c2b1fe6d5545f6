import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertValidKey, assertValidPrefix, isValidKey } from './object-key.js';
import { InvalidStorageKeyError } from './store.js';

test('generated keys, unicode and spaces are valid', () => {
  for (const key of [
    'originals/2026/ab/0b7f1d2e-uuid.mp3',
    'a',
    'exports/Ünïcødé fïle (1).zip',
    '.hidden/x',
    'a/...',
    'x'.repeat(200),
    `${'abcd/'.repeat(204)}abcd`, // 1024 bytes
  ]) {
    assert.equal(isValidKey(key), true, key);
  }
});

test('unsafe or unportable keys are refused', () => {
  for (const key of [
    '',
    '/etc/passwd',
    '../x',
    'a/../b',
    'a/..',
    './a',
    'a//b',
    'a/',
    'a\\b',
    'a\u0000b',
    'a\nb',
    'a\u007fb',
    'a\u0085b',
    '\ud800',
    'x'.repeat(201),
    `${'abcd/'.repeat(204)}abcde`, // 1025 bytes
    `${'é'.repeat(100)}/${'é'.repeat(100)}/${'é'.repeat(100)}/${'é'.repeat(100)}/${'é'.repeat(100)}/${'é'.repeat(100)}`,
  ]) {
    assert.equal(isValidKey(key), false, JSON.stringify(key));
    assert.throws(() => assertValidKey(key), InvalidStorageKeyError);
  }
});

test('prefixes may be empty, partial or end with a slash', () => {
  for (const prefix of ['', 'a', 'a/', 'originals/2026/a']) assertValidPrefix(prefix);
  for (const prefix of ['/', '../', 'a//', 'a/../', 'a\\']) {
    assert.throws(() => assertValidPrefix(prefix), InvalidStorageKeyError, prefix);
  }
});
