// Prometheus metrics, one registry per app instance (tests build many apps in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  jobDuration: Histogram<'task' | 'outcome'>;
  jobsFailed: Counter<'task' | 'reason'>;
  storageErrors: Counter<'operation'>;
  /** 1 while the object store's circuit breaker is open */
  storageCircuitOpen: Gauge;
  /** set on scrape from the database */
  jobQueueDepth: Gauge<'state'>;
  /** set on scrape from the database: payouts by status, and the money each status holds */
  payouts: Gauge<'status' | 'currency'>;
  payoutAmount: Gauge<'status' | 'currency'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route template',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'job_duration_seconds',
      help: 'Job run time by task and outcome',
      labelNames: ['task', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    jobsFailed: new Counter({
      name: 'jobs_failed_total',
      help: 'Job runs that failed, by task and reason',
      labelNames: ['task', 'reason'],
      registers: [registry],
    }),
    storageErrors: new Counter({
      name: 'storage_errors_total',
      help: 'Object storage operations that failed',
      labelNames: ['operation'],
      registers: [registry],
    }),
    storageCircuitOpen: new Gauge({
      name: 'storage_circuit_open',
      help: '1 while calls to object storage fail fast because it is unreachable',
      registers: [registry],
    }),
    jobQueueDepth: new Gauge({
      name: 'job_queue_depth',
      help: 'Jobs in the queue by state',
      labelNames: ['state'],
      registers: [registry],
    }),
    payouts: new Gauge({
      name: 'payouts',
      help: 'Payouts by status (queued, paid, failed) and currency',
      labelNames: ['status', 'currency'],
      registers: [registry],
    }),
    payoutAmount: new Gauge({
      name: 'payout_amount_minor_units',
      help: 'Money in payouts by status and currency, in minor units (cents)',
      labelNames: ['status', 'currency'],
      registers: [registry],
    }),
  };
}
