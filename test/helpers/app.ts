// Builds the real app on a fresh database for one test file: the same buildApp and runtime as
// the server, with a temporary DATA_DIR and the job worker off unless a test asks for it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/platform/log.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { startRuntime, type Runtime } from '../../src/platform/runtime.js';
import { appTasks } from '../../src/tasks.js';
import { createTestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  runtime: Runtime;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** extra environment, as a deployment would set it */
  env?: Record<string, string>;
  runJobs?: boolean;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'makenot-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    PUBLIC_URL: 'http://localhost:3000',
    APP_SECRET: 'test-secret-that-is-long-enough-for-hmac-keys',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...options.env,
  });
  const log = createLogger(config, 'test');
  const runtime = await startRuntime(config, log, {
    migrate: false, // the template database is migrated already
    runJobs: options.runJobs ?? false,
    // delayed jobs (the local processor's events) are picked up within 100 ms, not 2 s
    jobPollIntervalMs: 100,
    tasks: appTasks,
    metrics: createMetrics({ defaultMetrics: false }),
    poolSize: 5,
  });
  const app = await buildApp(runtime);
  await app.ready();
  return {
    app,
    runtime,
    dataDir,
    async close() {
      await app.close();
      await runtime.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
