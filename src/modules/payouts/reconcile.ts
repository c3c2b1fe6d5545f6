// Daily payout reconciliation: the processor's transfers over the last 35 days against our
// payouts and the ledger's payout postings. Every difference is kept in a report; any difference
// is logged as an error and shows in /metrics (payout_reconciliation_differences), where an
// alert can watch it. Read-only apart from its report, so running it twice is harmless: each run
// writes its own report of the same findings.
import { Counter, Gauge, type Registry } from 'prom-client';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { TaskDefinition } from '../../platform/jobs/task.js';
import type { Logger } from '../../platform/log.js';
import type { PaymentProcessor } from '../payments/index.js';
import {
  failReport,
  finishReport,
  insertRunningReport,
  listLedgerPayouts,
  listPayoutsToCheck,
} from './reconcile.repository.js';
import { comparePayouts, DIFFERENCE_KINDS, type Difference } from './reconcile.rules.js';

export const reconcileJob = defineJob('payouts:reconcile', z.looseObject({}));
/** graphile-worker crontab line: daily at 04:23 UTC, away from the weekly payout run */
export const RECONCILE_CRONTAB = reconcileJob.cron('23 4 * * *');

const DAY_MS = 24 * 3600 * 1000;
export const RECONCILE_WINDOW_DAYS = 35;
/** a queued payout this recently touched may simply be between its transfer and its record */
export const QUEUED_GRACE_MS = 3600 * 1000;

export interface ReconcileMetrics {
  differences: Gauge<'kind'>;
  runs: Counter<'outcome'>;
}

/** The reconciliation metrics on a registry (reused when already there). */
export function reconcileMetrics(registry: Registry): ReconcileMetrics {
  const differences = registry.getSingleMetric('payout_reconciliation_differences');
  const runs = registry.getSingleMetric('payout_reconciliation_runs_total');
  return {
    differences:
      differences instanceof Gauge
        ? differences
        : new Gauge({
            name: 'payout_reconciliation_differences',
            help: 'Differences between processor transfers, payouts and the ledger in the last run',
            labelNames: ['kind'],
            registers: [registry],
          }),
    runs:
      runs instanceof Counter
        ? runs
        : new Counter({
            name: 'payout_reconciliation_runs_total',
            help: 'Payout reconciliation runs by outcome (clean, differences, failed)',
            labelNames: ['outcome'],
            registers: [registry],
          }),
  };
}

export interface ReconcileDeps {
  db: Db;
  processor: PaymentProcessor;
  log: Logger;
  metrics?: ReconcileMetrics | undefined;
}

export interface ReconcileResult {
  reportId: string;
  differences: Difference[];
}

export async function reconcilePayouts(
  deps: ReconcileDeps,
  options: { now?: Date; windowDays?: number } = {},
): Promise<ReconcileResult> {
  const now = options.now ?? new Date();
  const windowStart = new Date(
    now.getTime() - (options.windowDays ?? RECONCILE_WINDOW_DAYS) * DAY_MS,
  );
  const reportId = await insertRunningReport(deps.db, {
    processor: deps.processor.name,
    window_start: windowStart,
    window_end: now,
  });
  try {
    // The processor first, with no transaction open; then our side, read after it, so a payout
    // settled meanwhile shows as paid with its transfer rather than as a false difference.
    const transfers = await deps.processor.listTransfers(windowStart);
    const keys = [...new Set(transfers.map((t) => t.idempotencyKey))];
    const payouts = await listPayoutsToCheck(deps.db, windowStart, keys);
    const ledger = await listLedgerPayouts(
      deps.db,
      payouts.map((p) => p.id),
    );
    const differences = comparePayouts({
      transfers,
      payouts,
      ledger,
      windowStart,
      queuedBefore: new Date(now.getTime() - QUEUED_GRACE_MS),
    });
    await finishReport(deps.db, reportId, {
      transfers: transfers.length,
      payouts: payouts.length,
      differences,
    });
    record(deps, reportId, differences);
    return { reportId, differences };
  } catch (error) {
    deps.metrics?.runs.inc({ outcome: 'failed' });
    await failReport(deps.db, reportId, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

function record(deps: ReconcileDeps, reportId: string, differences: Difference[]): void {
  const counts = new Map<string, number>(DIFFERENCE_KINDS.map((kind) => [kind, 0]));
  for (const d of differences) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
  for (const [kind, count] of counts) deps.metrics?.differences.set({ kind }, count);
  deps.metrics?.runs.inc({ outcome: differences.length === 0 ? 'clean' : 'differences' });
  if (differences.length === 0) {
    deps.log.info({ reportId }, 'payout reconciliation: processor, payouts and ledger agree');
    return;
  }
  deps.log.error(
    { reportId, differences: Object.fromEntries(counts), first: differences.slice(0, 5) },
    'payout reconciliation found differences between the processor, payouts and the ledger',
  );
}

export function reconcileTasks(deps: {
  db: Db;
  processor: PaymentProcessor;
  registry: Registry;
}): TaskDefinition[] {
  const metrics = reconcileMetrics(deps.registry);
  return [
    reconcileJob.task(async (_payload, context) => {
      await reconcilePayouts({ ...deps, log: context.log, metrics });
    }),
  ] as TaskDefinition[];
}
