// Table types of the local processor's connected accounts, merged into the database's table list.
import type { ColumnType } from 'kysely';

export interface LocalConnectAccountsTable {
  id: string;
  creator_id: string;
  email: string;
  return_url: string;
  refresh_url: string;
  completed_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

declare module '../../../db/schema.js' {
  interface Tables {
    local_connect_accounts: LocalConnectAccountsTable;
  }
}
