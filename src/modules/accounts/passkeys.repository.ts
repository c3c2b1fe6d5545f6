// Passkeys (WebAuthn credentials). Every query that names a passkey by its id also names its
// owner, so one account can never read or change another's.
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { PasskeysTable } from '../../db/schema.js';

export type PasskeyRow = Selectable<PasskeysTable>;

export function listPasskeysOf(executor: Executor, userId: string): Promise<PasskeyRow[]> {
  return executor
    .selectFrom('passkeys')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

export async function countPasskeysOf(executor: Executor, userId: string): Promise<number> {
  const row = await executor
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Holds the account's row until the transaction ends, so two registrations count in turn. */
export async function lockPasskeysOf(executor: Executor, userId: string): Promise<void> {
  await executor.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
}

export function findPasskeyByCredentialId(
  executor: Executor,
  credentialId: string,
): Promise<PasskeyRow | undefined> {
  return executor
    .selectFrom('passkeys')
    .selectAll()
    .where('credential_id', '=', credentialId)
    .executeTakeFirst();
}

export function insertPasskey(
  executor: Executor,
  values: {
    userId: string;
    credentialId: string;
    publicKey: Uint8Array;
    counter: number;
    transports: string[];
    deviceType: string;
    backedUp: boolean;
    name: string;
  },
): Promise<PasskeyRow> {
  return executor
    .insertInto('passkeys')
    .values({
      user_id: values.userId,
      credential_id: values.credentialId,
      public_key: Buffer.from(values.publicKey),
      counter: values.counter,
      transports: values.transports,
      device_type: values.deviceType,
      backed_up: values.backedUp,
      name: values.name,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function renamePasskeyOf(
  executor: Executor,
  userId: string,
  id: string,
  name: string,
): Promise<PasskeyRow | undefined> {
  return executor
    .updateTable('passkeys')
    .set({ name })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

export function deletePasskeyOf(
  executor: Executor,
  userId: string,
  id: string,
): Promise<PasskeyRow | undefined> {
  return executor
    .deleteFrom('passkeys')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}

export async function recordPasskeyUse(
  executor: Executor,
  id: string,
  values: { counter: number; backedUp: boolean },
): Promise<void> {
  await executor
    .updateTable('passkeys')
    .set({ counter: values.counter, backed_up: values.backedUp, last_used_at: new Date() })
    .where('id', '=', id)
    .execute();
}
