import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../platform/errors.js';
import { normaliseTag, normaliseTags, tagWithAncestors } from './tags.js';

test('tags are normalised into lowercase paths', () => {
  const cases: [string, string][] = [
    ['Music / Electronic/Ambient ', 'music/electronic/ambient'],
    ['music', 'music'],
    ['  Hip Hop ', 'hip-hop'],
    ['Field_Recordings', 'field-recordings'],
    ['a/b/c/d/e', 'a/b/c/d/e'],
    ['ＭＵＳＩＣ', 'music'],
    ['x'.repeat(40), 'x'.repeat(40)],
  ];
  for (const [input, path] of cases)
    assert.deepEqual(normaliseTag(input), { ok: true, path }, input);
});

test('bad tags are refused', () => {
  for (const input of [
    '',
    '   ',
    '/',
    'a//b',
    '/a',
    'a/',
    'a/b/c/d/e/f',
    'x'.repeat(41),
    'bad!',
    'café',
    '-a',
    'a--b',
    '<b>',
  ]) {
    assert.equal(normaliseTag(input).ok, false, input);
  }
});

test('a list is deduplicated, limited to 10, and errors name each index', () => {
  assert.deepEqual(normaliseTags(['A', 'a', ' a ']), ['a']);
  assert.throws(
    () => normaliseTags(['ok', 'bad!', '']),
    (e: unknown) =>
      e instanceof AppError &&
      e.code === 'INVALID_TAG' &&
      Object.keys(e.fields ?? {}).join() === 'tags.1,tags.2',
  );
  assert.throws(
    () => normaliseTags(Array.from({ length: 11 }, (_, i) => `t${i}`)),
    (e: unknown) => e instanceof AppError && e.code === 'TOO_MANY_TAGS',
  );
  assert.equal(normaliseTags(Array.from({ length: 10 }, (_, i) => `t${i}`)).length, 10);
});

test('ancestors of a path', () => {
  assert.deepEqual(tagWithAncestors('music/electronic/ambient'), [
    'music',
    'music/electronic',
    'music/electronic/ambient',
  ]);
  assert.deepEqual(tagWithAncestors('music'), ['music']);
});
