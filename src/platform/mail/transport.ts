import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';
import type { MailMessage } from './mail.js';

export interface MailTransport {
  readonly name: 'outbox' | 'smtp';
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Without SMTP_URL the mail_messages table is the outbox: nothing leaves the machine. */
const outboxTransport: MailTransport = {
  name: 'outbox',
  send: () => Promise.resolve(),
  close: () => undefined,
};

export function createMailTransport(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): MailTransport {
  if (config.smtpUrl === undefined) return outboxTransport;
  const smtp = nodemailer.createTransport(config.smtpUrl);
  return {
    name: 'smtp',
    async send(message) {
      await smtp.sendMail({ from: config.mailFrom, ...message });
    },
    close: () => smtp.close(),
  };
}
