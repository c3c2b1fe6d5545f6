// A small TCP proxy a test starts in front of a real service (PostgreSQL, s3rver) to inject
// faults on the wire: latency per chunk and per connection, every current connection reset,
// new connections refused (nothing listening, or accepted and dropped at once), and back to
// normal. Bytes are forwarded untouched and in order; only their timing and fate change.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface Latency {
  /** added before each chunk is forwarded, in either direction: a random value in [min, max] */
  minMs: number;
  maxMs: number;
}

/** How new connections are refused: nothing listening (ECONNREFUSED), or accepted and reset. */
export type RefuseMode = 'stop-listening' | 'accept-and-reset';

export interface ProxyStats {
  accepted: number;
  /** connections reset by resetAll() or refused by accept-and-reset */
  reset: number;
  /** bytes read from either side so far, and bytes written on (received minus in flight) */
  bytesReceived: number;
  bytesForwarded: number;
}

export interface TcpProxy {
  readonly port: number;
  readonly stats: Readonly<ProxyStats>;
  /** connections open right now */
  readonly open: number;
  /** delay every chunk by this much (0/0 for none) */
  setLatency(latency: Latency): void;
  /** delay each new connection's link to the target by this many ms */
  setConnectDelay(ms: number): void;
  /** resets (RST) every open connection on both sides; returns how many there were */
  resetAll(): number;
  refuse(mode: RefuseMode): Promise<void>;
  /** undoes refuse(), latency and connect delay */
  resume(): Promise<void>;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  targetPort: number;
  targetHost?: string;
  /** listen here (a fixed port survives refuse('stop-listening')); default: a free one */
  port?: number;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });
}

/**
 * Forwards chunks from one socket to the other, each after the current latency, in order.
 * One queue and one timer per direction: a timer per chunk could fire out of order, since
 * Node dates timers from the event loop's cached clock, and a busy loop iteration would then
 * swap bytes of the stream (a protocol error the app did not cause).
 */
function pipeWithLatency(from: Socket, to: Socket, latency: () => Latency, stats: ProxyStats) {
  const queue: { chunk: Buffer; due: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const forward = (chunk: Buffer) => {
    if (to.destroyed) return;
    stats.bytesForwarded += chunk.length;
    to.write(chunk);
  };
  const drain = () => {
    timer = undefined;
    for (let head = queue[0]; head !== undefined && head.due <= Date.now(); head = queue[0]) {
      queue.shift();
      forward(head.chunk);
    }
    const next = queue[0];
    if (next !== undefined) timer = setTimeout(drain, Math.max(1, next.due - Date.now()));
    else if (ended) to.end();
  };
  from.on('data', (chunk: Buffer) => {
    stats.bytesReceived += chunk.length;
    const { minMs, maxMs } = latency();
    if (maxMs <= 0 && queue.length === 0) {
      forward(chunk);
      return;
    }
    // Each chunk is due no sooner than the one before it.
    const due = Math.max(
      queue.at(-1)?.due ?? 0,
      Date.now() + (maxMs <= 0 ? 0 : minMs + Math.random() * (maxMs - minMs)),
    );
    queue.push({ chunk, due });
    timer ??= setTimeout(drain, Math.max(1, due - Date.now()));
  });
  from.on('end', () => {
    ended = true;
    if (queue.length === 0) to.end();
  });
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  const stats: ProxyStats = { accepted: 0, reset: 0, bytesReceived: 0, bytesForwarded: 0 };
  const pairs = new Set<[Socket, Socket]>();
  let latency: Latency = { minMs: 0, maxMs: 0 };
  let connectDelayMs = 0;
  let mode: 'forward' | 'accept-and-reset' = 'forward';

  const onConnection = (client: Socket) => {
    if (mode === 'accept-and-reset') {
      stats.reset++;
      client.resetAndDestroy();
      return;
    }
    stats.accepted++;
    client.pause();
    const upstream = connect({ host: targetHost, port: options.targetPort });
    upstream.pause();
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    // An error on one side (a reset) resets the other, as a real network path would.
    client.on('error', () => {
      if (!upstream.destroyed) upstream.resetAndDestroy();
      drop();
    });
    upstream.on('error', () => {
      if (!client.destroyed) client.resetAndDestroy();
      drop();
    });
    client.on('close', drop);
    upstream.on('close', drop);
    pipeWithLatency(client, upstream, () => latency, stats);
    pipeWithLatency(upstream, client, () => latency, stats);
    const start = () => {
      client.resume();
      upstream.resume();
    };
    upstream.once('connect', () => {
      if (connectDelayMs > 0) setTimeout(start, connectDelayMs);
      else start();
    });
  };

  // A fresh listening socket per listen: a closed net.Server waits for its old connections.
  let server: Server | undefined = createServer(onConnection);
  const port = await listen(server, options.port ?? 0);

  const resetAll = () => {
    const count = pairs.size;
    for (const [client, upstream] of [...pairs]) {
      stats.reset++;
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    }
    pairs.clear();
    return count;
  };

  /** Stops accepting at once; the connections already open stay. */
  const stopListening = () => {
    const current = server;
    server = undefined;
    if (current === undefined) return Promise.resolve();
    const closed = new Promise<void>((resolve) => current.once('close', () => resolve()));
    current.close();
    return closed;
  };

  return {
    port,
    stats,
    get open() {
      return pairs.size;
    },
    setLatency(next) {
      latency = next;
    },
    setConnectDelay(ms) {
      connectDelayMs = ms;
    },
    resetAll,
    async refuse(how) {
      if (how === 'accept-and-reset') {
        mode = 'accept-and-reset';
        return;
      }
      // The 'close' event waits for the open connections, which stay: do not wait for it.
      void stopListening();
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    async resume() {
      mode = 'forward';
      latency = { minMs: 0, maxMs: 0 };
      connectDelayMs = 0;
      if (server === undefined) {
        server = createServer(onConnection);
        await listen(server, port);
      }
    },
    async close() {
      resetAll();
      await stopListening(); // with every connection reset, 'close' comes at once
    },
  };
}
