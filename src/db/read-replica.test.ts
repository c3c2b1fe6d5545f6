import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLsn, stalenessMs } from './read-replica.js';

describe('read replica lag', () => {
  test('WAL positions order as numbers', () => {
    assert.equal(parseLsn('0/0'), 0n);
    assert.equal(parseLsn('0/16B3748'), 0x16b3748n);
    assert.ok(parseLsn('1/0') > parseLsn('0/FFFFFFFF'));
  });

  test('staleness: now minus the newest recorded time whose position was replayed', () => {
    const samples = [
      { at: 1_000, lsn: 100n },
      { at: 2_000, lsn: 200n },
      { at: 3_000, lsn: 300n },
    ];
    // everything replayed: as fresh as the last sample
    assert.equal(stalenessMs(samples, 300n, 3_050), 50);
    assert.equal(stalenessMs(samples, 350n, 3_050), 50);
    // between two samples: it holds what the primary had at the older one
    assert.equal(stalenessMs(samples, 250n, 3_050), 1_050);
    // behind every sample: unknown, so more than any bound
    assert.equal(stalenessMs(samples, 50n, 3_050), Number.POSITIVE_INFINITY);
    assert.equal(stalenessMs([], 50n, 3_050), Number.POSITIVE_INFINITY);
  });
});
