import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

export async function isKnownDevice(
  executor: Executor,
  userId: string,
  deviceId: string,
): Promise<boolean> {
  const row = await executor
    .selectFrom('known_devices')
    .select('device_id')
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records the device; returns true when it was new for this account. */
export async function rememberDevice(
  executor: Executor,
  userId: string,
  deviceId: string,
): Promise<boolean> {
  const inserted = await executor
    .insertInto('known_devices')
    .values({ user_id: userId, device_id: deviceId })
    .onConflict((oc) => oc.columns(['user_id', 'device_id']).doNothing())
    .returning('device_id')
    .executeTakeFirst();
  if (inserted) return true;
  await executor
    .updateTable('known_devices')
    .set({ last_seen_at: new Date() })
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .execute();
  return false;
}

/**
 * Whether the device has signed in to the account with this email: one query whether or not
 * the email has an account, so the answer's timing tells nothing about who is registered.
 */
export async function isKnownDeviceOfEmail(
  executor: Executor,
  email: string,
  deviceId: string,
): Promise<boolean> {
  const row = await executor
    .selectFrom('known_devices')
    .innerJoin('users', 'users.id', 'known_devices.user_id')
    .select('known_devices.device_id')
    .where(sql<string>`lower(users.email)`, '=', email.toLowerCase())
    .where('users.status', '<>', 'deleted')
    .where('known_devices.device_id', '=', deviceId)
    .executeTakeFirst();
  return row !== undefined;
}
