// The per-account security log: what happened to the account, from where. Users read it in
// settings; it is never edited, only added to (and removed with the account).
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../../db/database.js';

export type SecurityEventType =
  | 'signed_up'
  | 'signed_in'
  | 'sign_in_failed'
  | 'signed_out'
  | 'account_locked'
  | 'account_unlocked'
  | 'email_verified'
  | 'email_change_requested'
  | 'email_changed'
  | 'password_changed'
  | 'password_reset'
  | 'session_revoked'
  | 'other_sessions_revoked'
  | 'token_created'
  | 'token_revoked'
  | 'passkey_added'
  | 'passkey_renamed'
  | 'passkey_removed'
  | 'totp_enabled'
  | 'totp_disabled'
  | 'backup_code_used'
  | 'backup_codes_renewed'
  | 'became_creator'
  | 'admin_granted'
  | 'deactivated'
  | 'reactivated';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  const agent = request.headers['user-agent'];
  return {
    ip: request.ip || null,
    userAgent: typeof agent === 'string' ? agent.slice(0, 400) : null,
  };
}

export async function recordEvent(
  executor: Executor,
  userId: string,
  type: SecurityEventType,
  meta: RequestMeta,
  details: Record<string, unknown> = {},
): Promise<void> {
  await executor
    .insertInto('security_events')
    .values({
      user_id: userId,
      type,
      ip: meta.ip,
      user_agent: meta.userAgent,
      details: JSON.stringify(details),
    })
    .execute();
}

export function listEvents(executor: Executor, userId: string, limit = 100) {
  return executor
    .selectFrom('security_events')
    .select(['id', 'type', 'ip', 'user_agent', 'details', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
