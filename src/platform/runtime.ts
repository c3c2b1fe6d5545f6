// Starts and stops the platform services one process needs: database (embedded or not),
// migrations, object storage, mail transport, metrics and, when asked, the job worker.
// The server, the worker and the tests all go through here.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { ConfigError, type Config } from '../config.js';
import { createDb, createPool, probeDatabase, type Db } from '../db/database.js';
import { ReadReplica } from '../db/read-replica.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded-postgres.js';
import { migrate } from '../db/migrate.js';
import { startJobRunner, type JobRunner } from './jobs/runner.js';
import type { TaskDefinition } from './jobs/task.js';
import type { Logger } from './log.js';
import { createMailTransport, type MailTransport } from './mail/transport.js';
import { createMetrics, type Metrics } from './metrics.js';
import { Notifications } from './notifications.js';
import { createObjectStore, type ObjectStore } from './storage/index.js';

export interface Runtime {
  config: Readonly<Config>;
  log: Logger;
  pool: pg.Pool;
  db: Db;
  storage: ObjectStore;
  mail: MailTransport;
  metrics: Metrics;
  /** local scratch space for in-flight work; never the source of truth */
  tempDir: string;
  /** LISTEN/NOTIFY across instances (one connection, opened on first use) */
  notifications: Notifications;
  jobs: JobRunner | undefined;
  /** DATABASE_READ_URL in a process that serves pages (RuntimeOptions.readReplica) */
  readReplica?: ReadReplica | undefined;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  migrate: boolean;
  /** start the job worker in this process */
  runJobs: boolean;
  /** how often the worker looks for jobs scheduled for later (tests: quicker than production) */
  jobPollIntervalMs?: number;
  /** the tasks the worker runs, given the services (see src/tasks.ts) */
  tasks?: (runtime: Omit<Runtime, 'jobs' | 'close'>) => {
    tasks: TaskDefinition[];
    crontab: string;
  };
  poolSize?: number;
  metrics?: Metrics;
  /** read anonymous public pages from DATABASE_READ_URL when it is set (the server does) */
  readReplica?: boolean;
}

function describeConnectError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return `cannot connect (${[e.code, e.message].filter(Boolean).join(': ')})`;
}

async function openDatabase(config: Config, log: Logger, poolSize: number | undefined) {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (url === undefined) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log });
    url = embedded.url;
  }
  const pool = createPool(url, poolSize === undefined ? {} : { max: poolSize });
  try {
    await probeDatabase(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    await embedded?.stop();
    throw new ConfigError('DATABASE_URL', describeConnectError(error));
  }
  return { pool, embedded, url };
}

export async function startRuntime(
  config: Readonly<Config>,
  log: Logger,
  options: RuntimeOptions,
): Promise<Runtime> {
  const tempDir = path.join(config.dataDir, 'tmp');
  await mkdir(tempDir, { recursive: true });
  const { pool, embedded, url } = await openDatabase(config, log, options.poolSize);
  const closeDatabase = async () => {
    await pool.end().catch(() => undefined);
    await embedded?.stop();
  };
  let readReplica: ReadReplica | undefined;
  try {
    if (options.migrate) {
      const applied = await migrate(pool);
      if (applied.length > 0) log.info({ applied }, 'database migrated');
    }
    const metrics = options.metrics ?? createMetrics();
    readReplica =
      options.readReplica === true && config.databaseReadUrl !== undefined
        ? new ReadReplica({
            primary: pool,
            replica: createPool(config.databaseReadUrl, {
              max: options.poolSize ?? 10,
              applicationName: 'makenot-replica',
              connectionTimeoutMillis: 2_000,
            }),
            maxLagMs: config.databaseReadMaxLagMs,
            log,
            registry: metrics.registry,
          })
        : undefined;
    // a replica that is down at start is no reason not to start: reads go to the primary
    await readReplica?.start();
    const services = {
      config,
      log,
      pool,
      db: createDb(pool, readReplica),
      readReplica,
      storage: createObjectStore(config, {
        onError: (operation) => metrics.storageErrors.inc({ operation }),
        onStateChange: (state) => {
          metrics.storageCircuitOpen.set(state === 'open' ? 1 : 0);
          if (state === 'open') log.warn('object storage unreachable: failing fast for a while');
          if (state === 'closed') log.info('object storage reachable again');
        },
      }),
      mail: createMailTransport(config),
      metrics,
      tempDir,
      notifications: new Notifications(url, log),
    };
    const work = options.tasks?.(services);
    // The queue's bookkeeping (taking, completing and failing jobs, its LISTEN connection) has
    // its own small pool whose commits do not wait for the disk: a database crash can only
    // forget that a job was taken or finished, and the job then runs again, which every task
    // must allow anyway (at-least-once). What a job does commits durably on the app's pool.
    // Without this, every job cost two extra WAL flushes, serialized with the durable ones.
    const queuePool =
      options.runJobs && work
        ? createPool(url, { max: 6, applicationName: 'makenot-queue', jobQueue: true })
        : undefined;
    const jobs =
      queuePool && work
        ? await startJobRunner({
            ...services,
            pool: queuePool,
            tasks: work.tasks,
            crontab: work.crontab,
            pollIntervalMs: options.jobPollIntervalMs,
          }).catch(async (error: unknown) => {
            await queuePool.end().catch(() => undefined);
            throw error;
          })
        : undefined;
    return {
      ...services,
      jobs,
      async close() {
        await jobs?.stop();
        await queuePool?.end();
        await services.notifications.close();
        await services.db.destroy(); // ends the pool
        await readReplica?.close(); // ends the replica's (db.destroy skips an unused db)
        services.mail.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await readReplica?.close();
    await closeDatabase();
    throw error;
  }
}
