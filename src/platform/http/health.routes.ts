// /healthz (the process serves), /readyz (can it do useful work?) and /metrics (Prometheus).
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import type { Metrics } from '../metrics.js';
import type { ObjectStore } from '../storage/index.js';
import {
  countLiveWorkers,
  pingDatabase,
  readPayoutStates,
  readQueueDepth,
} from './health.repository.js';

export interface HealthOptions {
  db: Db;
  storage: ObjectStore;
  metrics: Metrics;
  checkTimeoutMs?: number;
  /** a worker is alive if it beat within this window */
  workerWindowSeconds?: number;
  /** whether the worker has its tools (ffmpeg); without them it is `degraded` */
  workerTools?: () => Promise<boolean>;
}

type CheckState = 'ok' | 'degraded' | 'down';

async function check(run: () => Promise<void>, timeoutMs: number): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
  });
  try {
    await Promise.race([run(), timeout]);
    return 'ok';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

export async function healthRoutes(app: FastifyInstance, opts: HealthOptions) {
  const timeoutMs = opts.checkTimeoutMs ?? 2_000;
  const window = opts.workerWindowSeconds ?? 30;

  app.get('/healthz', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );

  app.get('/readyz', async (_request, reply) => {
    const [database, storage] = await Promise.all([
      check(() => pingDatabase(opts.db), timeoutMs),
      check(() => opts.storage.check(), timeoutMs),
    ]);
    let worker: CheckState =
      database === 'ok'
        ? await check(async () => {
            if ((await countLiveWorkers(opts.db, window)) === 0) throw new Error('no live worker');
          }, timeoutMs)
        : 'down';
    if (worker === 'ok' && opts.workerTools && !(await opts.workerTools())) worker = 'degraded';
    const allOk = database === 'ok' && storage === 'ok' && worker === 'ok';
    reply.header('cache-control', 'no-store');
    // The database is the one dependency without which nothing works: only it makes us unready.
    if (database !== 'ok') reply.status(503).header('retry-after', '5');
    return { status: allOk ? 'ready' : 'degraded', checks: { database, storage, worker } };
  });

  app.get('/metrics', async (_request, reply) => {
    try {
      const depth = await readQueueDepth(opts.db);
      for (const state of ['ready', 'scheduled', 'locked', 'failed'] as const) {
        opts.metrics.jobQueueDepth.set({ state }, depth[state]);
      }
      for (const row of await readPayoutStates(opts.db)) {
        const labels = { status: row.status, currency: row.currency };
        opts.metrics.payouts.set(labels, row.count);
        opts.metrics.payoutAmount.set(labels, row.amount);
      }
    } catch {
      // The database may be down; the rest of the metrics are still worth scraping.
    }
    return reply
      .header('cache-control', 'no-store')
      .type(opts.metrics.registry.contentType)
      .send(await opts.metrics.registry.metrics());
  });
}
