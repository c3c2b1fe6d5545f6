// Table types of the licences module, merged into the database's table list.
import type { ColumnType, Generated } from 'kysely';

export interface LicenceSettingsTable {
  item_id: string;
  activation_limit: number;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: Generated<Date>;
}

export interface LicenceKeysTable {
  id: Generated<string>;
  order_id: string;
  item_id: string;
  key_hash: Buffer;
  key_suffix: string;
  key_sealed: Buffer;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface LicenceActivationsTable {
  id: Generated<string>;
  key_id: string;
  instance_id: string;
  label: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  last_seen_at: Generated<Date>;
}

declare module '../../db/schema.js' {
  interface Tables {
    licence_settings: LicenceSettingsTable;
    licence_keys: LicenceKeysTable;
    licence_activations: LicenceActivationsTable;
  }
}
