// Table types of the promos module, merged into the database's table list.
import type { ColumnType, Generated } from 'kysely';

export type PromoKind = 'percent' | 'fixed' | 'free' | 'trial';
export type PromoScope = 'all' | 'project' | 'item' | 'tier';

export interface PromoCodesTable {
  id: Generated<string>;
  creator_id: string;
  /** upper-case: codes match case-insensitively */
  code: string;
  kind: PromoKind;
  percent_off: number | null;
  /** minor units, with currency */
  amount_off: number | null;
  currency: string | null;
  trial_days: number | null;
  scope: PromoScope;
  project_id: string | null;
  item_id: string | null;
  /** a membership tier (migration 0012): a plain uuid, no foreign key */
  tier_id: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  max_redemptions: number | null;
  active: Generated<boolean>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Generated<Date>;
}

export interface PromoRedemptionsTable {
  id: Generated<string>;
  promo_code_id: string;
  order_id: string;
  amount_before: number;
  discount: number;
  created_at: ColumnType<Date, Date | undefined, never>;
}

declare module '../../db/schema.js' {
  interface Tables {
    promo_codes: PromoCodesTable;
    promo_redemptions: PromoRedemptionsTable;
  }
}
