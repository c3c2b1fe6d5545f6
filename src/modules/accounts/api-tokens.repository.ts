import type { Executor } from '../../db/database.js';
import { AUTH_USER_COLUMNS } from './auth-user.js';
import type { TokenScope } from '../../db/schema.js';

export async function insertApiToken(
  executor: Executor,
  values: { userId: string; name: string; tokenHash: Buffer; scopes: TokenScope[] },
): Promise<string> {
  const row = await executor
    .insertInto('api_tokens')
    .values({
      user_id: values.userId,
      name: values.name,
      token_hash: values.tokenHash,
      scopes: values.scopes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export function findActiveTokenWithUser(executor: Executor, tokenHash: Buffer) {
  return executor
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.scopes',
      'api_tokens.last_used_at',
      ...AUTH_USER_COLUMNS,
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchApiToken(executor: Executor, id: string): Promise<void> {
  await executor
    .updateTable('api_tokens')
    .set({ last_used_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export function listApiTokens(executor: Executor, userId: string) {
  return executor
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Revokes the user's live tokens but `exceptId`; returns how many. */
export async function revokeAllApiTokens(
  executor: Executor,
  userId: string,
  exceptId?: string,
): Promise<number> {
  let query = executor
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Revokes every live token of every account (the operator's `sessions end --all`). */
export async function revokeEveryApiToken(executor: Executor): Promise<number> {
  const result = await executor
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Revokes one of the user's live tokens and returns its name; undefined when not theirs. */
export async function revokeUserApiToken(
  executor: Executor,
  userId: string,
  id: string,
): Promise<{ name: string } | undefined> {
  return executor
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('name')
    .executeTakeFirst();
}
