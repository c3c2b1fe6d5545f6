// The storage limits say plainly what is over, and point to nothing that does not exist yet
// (there are no plan settings until billing arrives).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTierLimit, TIER_LIMITS } from './tier-limits.js';

const MB = 1024 * 1024;
const GB = 1024 * MB;

test('a file over the per-file limit: its size and the limit, nothing else', () => {
  const error = checkTierLimit('small_files', 600 * MB, 0);
  assert.ok(error);
  assert.equal(error.code, 'FILE_TOO_LARGE');
  assert.equal(error.status, 413);
  assert.equal(error.message, 'This file is 600 MB; files on your plan can be up to 500 MB.');
  assert.equal(checkTierLimit('small_files', TIER_LIMITS.small_files.perFile, 0), undefined);
});

test('a file that does not fit in the storage left: how much is stored and the total', () => {
  const error = checkTierLimit('big_files', 2 * GB, 499 * GB);
  assert.ok(error);
  assert.equal(error.code, 'STORAGE_FULL');
  assert.equal(
    error.message,
    'This file is 2 GB; with the 499 GB you already store, it would take you past the 500 GB of storage on your plan.',
  );
  assert.equal(checkTierLimit('big_files', GB, 499 * GB), undefined);
});

test('no message mentions settings or a larger tier', () => {
  for (const error of [
    checkTierLimit(null, 11 * MB, 0),
    checkTierLimit('big_files', 21 * GB, 0),
    checkTierLimit('everything', GB, 500 * GB),
  ]) {
    assert.ok(error);
    assert.doesNotMatch(error.message, /settings|tier/i);
  }
});
