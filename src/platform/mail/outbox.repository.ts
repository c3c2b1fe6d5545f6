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
