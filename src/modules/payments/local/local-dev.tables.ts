// Table types of the local processor's developer panel, merged into the database's table list.
import type { ColumnType } from 'kysely';

export interface LocalDisputesTable {
  id: string;
  payment_id: string;
  order_id: string;
  amount: number;
  currency: string;
  fee: number;
  status: ColumnType<'needs_response' | 'won' | 'lost', 'needs_response' | undefined>;
  created_at: ColumnType<Date, Date | undefined, never>;
  closed_at: Date | null;
}

export interface LocalRefusingDestinationsTable {
  destination: string;
  reason: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

declare module '../../../db/schema.js' {
  interface Tables {
    local_disputes: LocalDisputesTable;
    local_refusing_destinations: LocalRefusingDestinationsTable;
  }
}
