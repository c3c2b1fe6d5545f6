import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isNotModified, selectRange } from './http-conditions.js';

const validators = { etag: '"abc"', lastModified: new Date('2026-01-02T03:04:05.678Z') };
const httpDate = 'Fri, 02 Jan 2026 03:04:05 GMT';

test('byte ranges of a 100-byte object', () => {
  const cases: [string, ReturnType<typeof selectRange>][] = [
    ['bytes=0-9', { kind: 'partial', start: 0, end: 9 }],
    ['bytes=90-', { kind: 'partial', start: 90, end: 99 }],
    ['bytes=90-500', { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-10', { kind: 'partial', start: 90, end: 99 }],
    ['bytes=-1000', { kind: 'partial', start: 0, end: 99 }],
    ['bytes=100-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=5-1', { kind: 'full' }],
    ['bytes=-', { kind: 'full' }],
    ['bytes=0-1,4-5', { kind: 'full' }],
    ['items=0-1', { kind: 'full' }],
  ];
  for (const [range, expected] of cases) {
    assert.deepEqual(selectRange({ range }, 100, validators), expected, range);
  }
  assert.deepEqual(selectRange({ range: 'bytes=0-' }, 0, validators), { kind: 'unsatisfiable' });
  assert.deepEqual(selectRange({}, 100, validators), { kind: 'full' });
});

test('If-Range keeps the range only for the current version', () => {
  const range = 'bytes=0-9';
  const partial = { kind: 'partial', start: 0, end: 9 };
  assert.deepEqual(selectRange({ range, 'if-range': '"abc"' }, 100, validators), partial);
  assert.deepEqual(selectRange({ range, 'if-range': httpDate }, 100, validators), partial);
  assert.deepEqual(selectRange({ range, 'if-range': 'W/"abc"' }, 100, validators), {
    kind: 'full',
  });
  assert.deepEqual(selectRange({ range, 'if-range': '"old"' }, 100, validators), { kind: 'full' });
});

test('If-None-Match and If-Modified-Since', () => {
  assert.equal(isNotModified({ 'if-none-match': '"abc"' }, validators), true);
  assert.equal(isNotModified({ 'if-none-match': 'W/"abc"' }, validators), true);
  assert.equal(isNotModified({ 'if-none-match': '"x", "abc"' }, validators), true);
  assert.equal(isNotModified({ 'if-none-match': '*' }, validators), true);
  assert.equal(isNotModified({ 'if-none-match': '"x"' }, validators), false);
  assert.equal(isNotModified({ 'if-modified-since': httpDate }, validators), true);
  assert.equal(
    isNotModified({ 'if-modified-since': 'Fri, 02 Jan 2026 03:04:04 GMT' }, validators),
    false,
  );
  assert.equal(isNotModified({ 'if-modified-since': 'yesterday' }, validators), false);
  const both = { 'if-none-match': '"x"', 'if-modified-since': httpDate };
  assert.equal(isNotModified(both, validators), false);
  assert.equal(isNotModified({}, validators), false);
});
