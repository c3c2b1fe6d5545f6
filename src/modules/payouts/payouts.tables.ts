// Table types of the payouts module, merged into the database's table list.
import type { ColumnType, Generated } from 'kysely';

export type PayoutStatus = 'queued' | 'paid' | 'failed';

export interface PayoutAccountsTable {
  creator_id: string;
  processor: 'local' | 'stripe';
  destination: string;
  /** onboarding finished (the processor says it may receive transfers); payouts need it */
  ready: Generated<boolean>;
  checked_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Generated<Date>;
}

export interface PayoutsTable {
  id: Generated<string>;
  creator_id: string;
  amount: number;
  currency: string;
  status: Generated<PayoutStatus>;
  destination: string;
  idempotency_key: string;
  transfer_id: string | null;
  failure_reason: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Generated<Date>;
  settled_at: Date | null;
}

declare module '../../db/schema.js' {
  interface Tables {
    payout_accounts: PayoutAccountsTable;
    payouts: PayoutsTable;
  }
}
