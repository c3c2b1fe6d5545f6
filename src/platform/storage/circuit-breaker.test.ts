// The breaker's rules, with a store double whose availability the test switches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreakerStore, type CircuitState } from './circuit-breaker.js';
import {
  StorageNotFoundError,
  StorageUnavailableError,
  type ObjectInfo,
  type ObjectStore,
} from './store.js';

/** An in-memory store that can be switched "down"; counts the calls that reached it. */
function switchableStore() {
  const state = { down: false, calls: 0 };
  const info = (key: string): ObjectInfo => ({
    key,
    size: 1,
    etag: 'e',
    contentType: 'text/plain',
    lastModified: new Date(0),
  });
  const reach = async () => {
    state.calls++;
    if (state.down) throw new StorageUnavailableError('test');
  };
  const store: ObjectStore = {
    driver: 'fs',
    put: async (key) => (await reach(), info(key)),
    get: async (key) => {
      await reach();
      throw new StorageNotFoundError(key);
    },
    head: async (key) => (await reach(), info(key)),
    delete: async () => reach(),
    async *list() {
      await reach();
      yield* [];
    },
    signedUrl: async () => ({ url: '/x', expiresAt: new Date(0) }),
    check: async () => reach(),
  };
  return { store, state };
}

test('three failures open the circuit; calls then fail at once with Retry-After', async () => {
  const { store, state } = switchableStore();
  let now = 0;
  const changes: CircuitState[] = [];
  const breaker = new CircuitBreakerStore(store, {
    now: () => now,
    openMs: 10_000,
    onStateChange: (s) => changes.push(s),
  });
  state.down = true;
  for (let i = 0; i < 3; i++) await assert.rejects(breaker.head('a'), StorageUnavailableError);
  assert.equal(breaker.state, 'open');
  assert.equal(state.calls, 3);
  now = 4_000;
  const fast = await breaker.head('a').catch((error: unknown) => error);
  assert.ok(fast instanceof StorageUnavailableError);
  assert.equal(fast.retryAfter, 6);
  await assert.rejects(breaker.signedUrl('a', { expiresInSeconds: 60 }), StorageUnavailableError);
  assert.equal(state.calls, 3, 'nothing reached the store while open');

  // after the open time one probe goes through; it fails, so the circuit opens again
  now = 10_000;
  await assert.rejects(breaker.check(), StorageUnavailableError);
  assert.equal(state.calls, 4);
  assert.equal(breaker.state, 'open');

  // the store is back: the next probe closes the circuit
  state.down = false;
  now = 20_000;
  await breaker.check();
  assert.equal(breaker.state, 'closed');
  assert.deepEqual(changes, ['open', 'half-open', 'open', 'half-open', 'closed']);
});

test('answers that are not unavailability (a missing object) never open the circuit', async () => {
  const { store, state } = switchableStore();
  const errors: string[] = [];
  const breaker = new CircuitBreakerStore(store, {
    onError: (operation) => errors.push(operation),
  });
  for (let i = 0; i < 5; i++) await assert.rejects(breaker.get('missing'), StorageNotFoundError);
  assert.equal(breaker.state, 'closed');
  assert.equal(state.calls, 5);
  assert.deepEqual(errors, [], 'a missing object is not a storage error');
  state.down = true;
  await assert.rejects(breaker.head('a'));
  assert.deepEqual(errors, ['head']);
});

test('a success in between resets the count', async () => {
  const { store, state } = switchableStore();
  const breaker = new CircuitBreakerStore(store);
  state.down = true;
  await assert.rejects(breaker.head('a'));
  await assert.rejects(breaker.head('a'));
  state.down = false;
  await breaker.head('a');
  state.down = true;
  await assert.rejects(breaker.head('a'));
  await assert.rejects(breaker.head('a'));
  assert.equal(breaker.state, 'closed');
});
