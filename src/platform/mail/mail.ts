// Mail is queued in the database inside the caller's transaction and delivered by a job:
// a message exists exactly when the change that caused it does, and SMTP being slow or
// down never fails a request.
import { z } from 'zod';
import type { Executor } from '../../db/database.js';
import { defineJob } from '../jobs/job.js';
import { insertMessage, insertMessages } from './outbox.repository.js';

export const mailMessageSchema = z.object({
  to: z.email().max(320),
  subject: z
    .string()
    .min(1)
    .max(200)
    .refine((s) => !/[\r\n]/.test(s), 'subject must be one line'),
  text: z.string().min(1).max(100_000),
  html: z.string().max(500_000).optional(),
});

export type MailMessage = z.infer<typeof mailMessageSchema>;

export const deliverMailJob = defineJob('mail:deliver', z.object({ messageId: z.uuid() }));

/** Queues a message for delivery; returns its id. */
export async function queueMail(executor: Executor, message: MailMessage): Promise<string> {
  const valid = mailMessageSchema.parse(message);
  const id = await insertMessage(executor, valid);
  await deliverMailJob.add(executor, { messageId: id }, { jobKey: `mail:${id}`, maxAttempts: 10 });
  return id;
}

/**
 * Queues several messages with two statements (one insert, one add_jobs) instead of two per
 * message: for work that mails many people in one transaction (receipts of a webhook batch).
 * `priority`: the queue's (lower runs first, 0 by default), for mail that may wait behind
 * other work when the queue is busy.
 */
export async function queueMails(
  executor: Executor,
  messages: readonly MailMessage[],
  options: { priority?: number } = {},
): Promise<string[]> {
  const valid = messages.map((message) => mailMessageSchema.parse(message));
  const ids = await insertMessages(executor, valid);
  await deliverMailJob.addMany(
    executor,
    ids.map((id) => ({ payload: { messageId: id }, jobKey: `mail:${id}` })),
    { maxAttempts: 10, ...(options.priority !== undefined && { priority: options.priority }) },
  );
  return ids;
}
