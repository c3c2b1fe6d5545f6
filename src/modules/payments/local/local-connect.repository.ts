// The local processor's connected accounts (Kysely only): made by onboarding, finished on its
// page, asked whether they may receive transfers.
import type { Executor } from '../../../db/database.js';
import './local-connect.tables.js';

export interface LocalConnectAccountInput {
  id: string;
  creator_id: string;
  email: string;
  return_url: string;
  refresh_url: string;
}

/** A new account, or new return/refresh URLs for one made before (a second onboarding link). */
export async function upsertLocalConnectAccount(
  db: Executor,
  row: LocalConnectAccountInput,
): Promise<void> {
  await db
    .insertInto('local_connect_accounts')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ return_url: row.return_url, refresh_url: row.refresh_url }),
    )
    .execute();
}

export async function findLocalConnectAccount(db: Executor, id: string) {
  return db
    .selectFrom('local_connect_accounts')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Marks the account's onboarding finished; finishing it again changes nothing. */
export async function completeLocalConnectAccount(db: Executor, id: string): Promise<void> {
  await db
    .updateTable('local_connect_accounts')
    .set({ completed_at: new Date() })
    .where('id', '=', id)
    .where('completed_at', 'is', null)
    .execute();
}
