// The access rule as a table: every kind of viewer against every kind of item.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideAccess, GRACE_DAYS, needsHoldings, type AccessItem } from './access.rule.js';

const creator = '00000000-0000-4000-8000-000000000001';
const fan = '00000000-0000-4000-8000-000000000002';
const now = new Date('2026-12-07T12:00:00Z');
const day = 24 * 60 * 60 * 1000;

function item(overrides: Partial<AccessItem> = {}): AccessItem {
  return {
    id: '00000000-0000-4000-8000-00000000000a',
    creator_id: creator,
    status: 'published',
    price_model: 'fixed',
    creator_status: 'active',
    creator_left_at: null,
    ...overrides,
  };
}

test('the creator has all of their own work, drafts included, even after leaving', () => {
  for (const status of ['draft', 'published', 'unlisted'] as const) {
    assert.deepEqual(decideAccess({ userId: creator }, item({ status }), false, now), {
      level: 'full',
      because: 'creator',
    });
  }
});

test('strangers: free work in full, paid and members-only work as a preview, drafts not at all', () => {
  assert.equal(decideAccess({}, item({ price_model: 'free' }), false, now).level, 'full');
  assert.equal(decideAccess({}, item({ price_model: 'fixed' }), false, now).level, 'preview');
  assert.equal(decideAccess({}, item({ price_model: 'pwyw' }), false, now).level, 'preview');
  assert.equal(decideAccess({}, item({ price_model: 'members' }), false, now).level, 'preview');
  assert.equal(decideAccess({}, item({ status: 'unlisted' }), false, now).level, 'preview');
  assert.equal(
    decideAccess({}, item({ status: 'draft', price_model: 'free' }), false, now).level,
    'none',
  );
});

test('buyers and members keep what they have when it is unpublished', () => {
  const access = decideAccess({ userId: fan }, item({ status: 'draft' }), true, now);
  assert.deepEqual(access, { level: 'full', because: 'holder' });
  assert.deepEqual(decideAccess({ claimOrderId: fan }, item(), true, now), {
    level: 'full',
    because: 'holder',
  });
});

test('a departed creator: holders keep it for 90 days, then nobody; strangers never', () => {
  const leftAt = new Date(now.getTime() - 10 * day);
  const gone = item({ creator_status: 'deactivated', creator_left_at: leftAt });
  const until = new Date(leftAt.getTime() + GRACE_DAYS * day);
  assert.deepEqual(decideAccess({ userId: fan }, gone, true, now), {
    level: 'full',
    because: 'holder',
    until,
  });
  assert.equal(decideAccess({ userId: fan }, gone, false, now).level, 'none');
  assert.equal(decideAccess({}, { ...gone, price_model: 'free' }, false, now).level, 'none');
  const later = new Date(until.getTime() + 1);
  assert.equal(decideAccess({ userId: fan }, gone, true, later).level, 'none');
  for (const status of ['suspended', 'deleted'] as const) {
    assert.equal(
      decideAccess({ userId: fan }, { ...gone, creator_status: status }, true, now).level,
      'full',
    );
  }
});

test('holdings are looked up only when they could change the answer', () => {
  assert.equal(needsHoldings({}, item()), false, 'a stranger holds nothing');
  assert.equal(needsHoldings({ userId: creator }, item()), false, 'the creator has it all');
  assert.equal(needsHoldings({ userId: fan }, item({ price_model: 'free' })), false);
  assert.equal(needsHoldings({ userId: fan }, item()), true);
  assert.equal(needsHoldings({ claimOrderId: fan }, item({ status: 'draft' })), true);
  assert.equal(
    needsHoldings({ userId: fan }, item({ price_model: 'free', creator_status: 'deleted' })),
    true,
  );
});
