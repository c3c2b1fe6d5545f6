// Table types of refunds asked of the processor (migration 0029), merged into the table list.
import type { ColumnType, Generated } from 'kysely';

export type RefundIntentStatus = 'pending' | 'succeeded' | 'refused';
/** creator: the item's creator asked; item_removed: a late payment for a deleted item */
export type RefundReason = 'creator' | 'item_removed';

export interface OrderRefundsTable {
  id: Generated<string>;
  order_id: string;
  amount: number;
  status: ColumnType<RefundIntentStatus, RefundIntentStatus | undefined, RefundIntentStatus>;
  reason: RefundReason;
  /** the processor's idempotency key for this refund */
  processor_key: string;
  processor_refund_id: string | null;
  requested_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  settled_at: Date | null;
}

declare module '../../db/schema.js' {
  interface Tables {
    order_refunds: OrderRefundsTable;
  }
}
