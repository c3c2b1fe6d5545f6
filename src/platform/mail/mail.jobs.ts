import type { Db } from '../../db/database.js';
import { deliverMailJob, mailMessageSchema } from './mail.js';
import { findMessage, markFailed, markSent } from './outbox.repository.js';
import type { MailTransport } from './transport.js';

export function deliverMailTask(db: Db, transport: MailTransport) {
  return deliverMailJob.task(async ({ messageId }, { attempt, maxAttempts, log }) => {
    const row = await findMessage(db, messageId);
    // Already delivered (a repeated job) or gone: nothing to do.
    if (row === undefined || row.status === 'sent') return;
    const message = mailMessageSchema.parse({
      to: row.to_address,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body ?? undefined,
    });
    try {
      await transport.send(message);
    } catch (error) {
      if (attempt >= maxAttempts) await markFailed(db, messageId, String(error));
      throw error;
    }
    await markSent(db, messageId, transport.name);
    log.info({ messageId, transport: transport.name }, 'mail delivered');
  });
}
