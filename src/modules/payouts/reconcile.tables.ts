// Table types of payout reconciliation, merged into the database's table list.
import type { ColumnType, Generated } from 'kysely';

export type ReconciliationStatus = 'running' | 'clean' | 'differences' | 'failed';

export interface ReconciliationReportsTable {
  id: Generated<string>;
  processor: 'local' | 'stripe';
  window_start: Date;
  window_end: Date;
  started_at: ColumnType<Date, Date | undefined, never>;
  finished_at: Date | null;
  status: Generated<ReconciliationStatus>;
  transfers_checked: Generated<number>;
  payouts_checked: Generated<number>;
  difference_count: Generated<number>;
  differences: ColumnType<unknown[], string | undefined, string>;
  error: string | null;
}

declare module '../../db/schema.js' {
  interface Tables {
    reconciliation_reports: ReconciliationReportsTable;
  }
}
