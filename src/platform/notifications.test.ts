import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { Notifications } from './notifications.js';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(() => t.close());

const url = () => (t.runtime.pool.options as { connectionString: string }).connectionString;

function nextPayload(hub: Notifications, channel: string): Promise<string> {
  return new Promise((resolve) => {
    let stop: (() => void) | undefined;
    void hub
      .subscribe(channel, (payload) => {
        stop?.();
        resolve(payload);
      })
      .then((unsubscribe) => {
        stop = unsubscribe;
      });
  });
}

test('a notification sent in a committed transaction reaches a listener on another connection', async () => {
  const hub = new Notifications(url());
  try {
    const received: string[] = [];
    await hub.subscribe('test_channel', (payload) => received.push(payload));
    const next = nextPayload(hub, 'test_channel');
    await t.runtime.db.transaction().execute(async (trx) => {
      await sql`select pg_notify('test_channel', ${'hello'})`.execute(trx);
    });
    assert.equal(await next, 'hello');
    assert.deepEqual(received, ['hello']);
  } finally {
    await hub.close();
  }
});

test('after its connection is killed, the hub reconnects and listens again', async () => {
  let connected = 0;
  let reconnected: () => void = () => undefined;
  const again = new Promise<void>((resolve) => {
    reconnected = resolve;
  });
  const hub = new Notifications(url(), undefined, () => {
    connected++;
    if (connected === 2) reconnected();
  });
  try {
    await hub.subscribe('test_reconnect', () => undefined);
    await t.runtime.pool.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'makenot-listen' and datname = current_database()",
    );
    await again;
    const next = nextPayload(hub, 'test_reconnect');
    await t.runtime.pool.query("select pg_notify('test_reconnect', 'back')");
    assert.equal(await next, 'back');
  } finally {
    await hub.close();
  }
});
