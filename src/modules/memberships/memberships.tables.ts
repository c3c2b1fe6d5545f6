// Table types of the memberships module, merged into the database's table list.
import type { ColumnType, Generated } from 'kysely';

export type TierStatus = 'active' | 'archived';
export type MembershipStatus = 'trialing' | 'active' | 'past_due' | 'canceled' | 'ended';
export type BillingInterval = 'month' | 'year';

export interface MembershipTiersTable {
  id: Generated<string>;
  project_id: string;
  creator_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  benefits: ColumnType<string[], string | undefined, string>;
  monthly_price: number | null;
  yearly_price: number | null;
  currency: string;
  position: ColumnType<number, number | undefined, number>;
  status: ColumnType<TierStatus, TierStatus | undefined, TierStatus>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface MembershipsTable {
  id: Generated<string>;
  tier_id: string;
  project_id: string;
  creator_id: string;
  member_id: string | null;
  member_email: string | null;
  interval: BillingInterval;
  status: MembershipStatus;
  processor: 'local' | 'stripe';
  subscription_id: string;
  current_period_end: Date;
  cancel_at_period_end: ColumnType<boolean, boolean | undefined, boolean>;
  past_due_since: Date | null;
  started_at: ColumnType<Date, Date | undefined, Date>;
  canceled_at: Date | null;
  ended_at: Date | null;
  /** when the newest event that set the state was made (the processor's clock) */
  state_event_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface MembershipOrdersTable {
  order_id: string;
  tier_id: string;
  interval: BillingInterval;
  trial_days: number | null;
  membership_id: string | null;
  invoice_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

declare module '../../db/schema.js' {
  interface Tables {
    membership_tiers: MembershipTiersTable;
    memberships: MembershipsTable;
    membership_orders: MembershipOrdersTable;
  }
}
