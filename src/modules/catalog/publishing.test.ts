import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ItemType } from '../../db/schema.js';
import { findUnmetRules, noFilesYet, publishingError, type PublishableItem } from './publishing.js';

const base: PublishableItem = {
  id: '00000000-0000-0000-0000-000000000001',
  type: 'text',
  body: 'Words',
  ai_tier: 'handmade',
  ai_statement: null,
  currency: 'USD',
  price_model: 'free',
  price_amount: null,
  price_minimum: null,
  price_suggested: null,
};
const codes = async (item: Partial<PublishableItem>, hasFile = noFilesYet) =>
  (await findUnmetRules({ ...base, ...item }, 'USD', hasFile)).map((r) => r.code);

test('a complete text item meets every rule', async () => {
  assert.deepEqual(await codes({}), []);
  assert.equal(publishingError([]), undefined);
});

test('each rule reports its own code', async () => {
  assert.deepEqual(await codes({ ai_tier: null, body: ' ' }), [
    'AI_DISCLOSURE_REQUIRED',
    'BODY_REQUIRED',
  ]);
  assert.deepEqual(await codes({ ai_tier: 'assisted' }), ['AI_STATEMENT_REQUIRED']);
  assert.deepEqual(await codes({ ai_tier: 'assisted', ai_statement: 'Used for mastering.' }), []);
  assert.deepEqual(await codes({ price_model: 'fixed', price_amount: 0 }), ['PRICE_INVALID']);
  assert.deepEqual(await codes({ currency: 'EUR', price_model: 'fixed', price_amount: 10 }), [
    'PRICE_INVALID',
  ]);
});

test('file types need a ready file, supplied by a pluggable check', async () => {
  const fileTypes: ItemType[] = ['audio', 'video', 'image', 'digital', 'software'];
  for (const type of fileTypes) {
    assert.deepEqual(await codes({ type, body: '' }), ['FILE_REQUIRED'], type);
    assert.deepEqual(await codes({ type, body: '' }, () => Promise.resolve(true)), [], type);
  }
  assert.deepEqual(await codes({ type: 'bundle', body: '', bundle_size: 2 }), []);
});

test('a course needs at least one ready lesson file, whatever its text says', async () => {
  assert.deepEqual(await codes({ type: 'course', body: '' }), ['COURSE_EMPTY']);
  assert.deepEqual(await codes({ type: 'course', body: 'Week one: scales.' }), ['COURSE_EMPTY']);
  const asked: string[] = [];
  const ready = (itemId: string) => {
    asked.push(itemId);
    return Promise.resolve(true);
  };
  assert.deepEqual(await codes({ type: 'course', body: '' }, ready), []);
  assert.deepEqual(asked, [base.id]);
});

test('a bundle needs at least one item', async () => {
  assert.deepEqual(await codes({ type: 'bundle', body: '' }), ['BUNDLE_EMPTY']);
  assert.deepEqual(await codes({ type: 'bundle', body: '', bundle_size: 0 }), ['BUNDLE_EMPTY']);
});

test('the error carries the first code and every unmet rule in fields', () => {
  const error = publishingError([
    { code: 'AI_DISCLOSURE_REQUIRED', message: 'a' },
    { code: 'FILE_REQUIRED', message: 'b' },
  ]);
  assert.ok(error);
  assert.equal(error.code, 'AI_DISCLOSURE_REQUIRED');
  assert.equal(error.status, 422);
  assert.deepEqual(error.fields, { AI_DISCLOSURE_REQUIRED: 'a', FILE_REQUIRED: 'b' });
});
