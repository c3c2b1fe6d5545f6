import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { MailMessage } from './mail.js';

export async function insertMessage(executor: Executor, message: MailMessage): Promise<string> {
  const row = await executor
    .insertInto('mail_messages')
    .values({
      to_address: message.to,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Several messages with one statement; their ids in the order given. */
export async function insertMessages(
  executor: Executor,
  messages: readonly MailMessage[],
): Promise<string[]> {
  if (messages.length === 0) return [];
  // ids made here, so which id is whose does not rest on the order RETURNING gives them in
  const ids = messages.map(() => randomUUID());
  await executor
    .insertInto('mail_messages')
    .values(
      messages.map((message, i) => ({
        id: ids[i],
        to_address: message.to,
        subject: message.subject,
        text_body: message.text,
        html_body: message.html ?? null,
      })),
    )
    .execute();
  return ids;
}

export function findMessage(executor: Executor, id: string) {
  return executor.selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listMessages(executor: Executor, limit: number) {
  return executor
    .selectFrom('mail_messages')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function markSent(executor: Executor, id: string, transport: string): Promise<void> {
  await executor
    .updateTable('mail_messages')
    .set({ status: 'sent', transport, sent_at: new Date(), error: null })
    .where('id', '=', id)
    .execute();
}

export async function markFailed(executor: Executor, id: string, error: string): Promise<void> {
  await executor
    .updateTable('mail_messages')
    .set({ status: 'failed', error: error.slice(0, 2000) })
    .where('id', '=', id)
    .execute();
}

/** Forgets every message to an address (account deletion). */
export async function deleteMailTo(executor: Executor, address: string): Promise<void> {
  await executor
    .deleteFrom('mail_messages')
    .where(sql<string>`lower(to_address)`, '=', address.toLowerCase())
    .execute();
}

/** Delivered or failed messages older than the cutoff (the outbox keeps no mail forever). */
export async function deleteOldMessages(executor: Executor, cutoff: Date): Promise<number> {
  const result = await executor
    .deleteFrom('mail_messages')
    .where('status', '<>', 'queued')
    .where('created_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
