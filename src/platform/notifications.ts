// PostgreSQL LISTEN/NOTIFY for the whole process: one dedicated connection, opened on the first
// subscription, that listens on every channel anyone subscribed to and hands each payload to
// the subscribers. Any instance can NOTIFY (`select pg_notify(channel, payload)`, usually in the
// transaction that made the change, so it is delivered only on commit) and every instance
// hears it: this is how upload locks and live file status cross instances.
//
// A lost connection (database restart) is reopened with backoff and every channel listened to
// again. Notifications sent while it was down are lost; subscribers must treat them as hints
// and re-read the database when it matters.
import pg from 'pg';
import type { Logger } from './log.js';

export type NotificationHandler = (payload: string) => void;

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

export class Notifications {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly connectionString: string,
    private readonly log?: Logger,
    /** called after each (re)connection has listened again on every channel */
    private readonly onConnect?: () => void,
  ) {}

  /** Subscribes to a channel; resolves once the LISTEN is in place. Returns the unsubscriber. */
  async subscribe(channel: string, handler: NotificationHandler): Promise<() => void> {
    if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
    let set = this.handlers.get(channel);
    const isNew = set === undefined;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    if (isNew) {
      const client = await this.connection();
      await client.query(`listen ${channel}`);
    } else {
      await this.connection();
    }
    return () => {
      const current = this.handlers.get(channel);
      current?.delete(handler);
      if (current?.size === 0) {
        this.handlers.delete(channel);
        this.client?.query(`unlisten ${channel}`).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    if (this.closed) throw new Error('notifications are closed');
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: 'makenot-listen',
    });
    client.on('notification', (message) => {
      const set = this.handlers.get(message.channel);
      for (const handler of set ?? []) {
        try {
          handler(message.payload ?? '');
        } catch (error) {
          this.log?.error({ err: error, channel: message.channel }, 'notification handler failed');
        }
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`listen ${channel}`);
    this.client = client;
    this.failures = 0;
    this.onConnect?.();
    return client;
  }

  private lost(client: pg.Client, error: unknown) {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    this.log?.warn({ err: error }, 'notification connection lost; reconnecting');
    this.reconnect();
  }

  private reconnect() {
    if (this.closed || this.handlers.size === 0) return;
    const delay = Math.min(5000, 100 * 2 ** this.failures);
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.connection().catch(() => this.reconnect());
    }, delay);
    this.retryTimer.unref();
  }
}
