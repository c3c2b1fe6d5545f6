import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { createDb, createPool, type Db } from '../../db/database.js';
import type { JobContext } from '../jobs/task.js';
import { deliverMailTask } from './mail.jobs.js';
import { queueMail, type MailMessage } from './mail.js';
import { findMessage } from './outbox.repository.js';
import type { MailTransport } from './transport.js';

let database: TestDatabase;
let db: Db;

before(async () => {
  database = await createTestDatabase();
  db = createDb(createPool(database.url));
});
after(async () => {
  await db.destroy();
  await database.drop();
});

const message: MailMessage = { to: 'fan@example.com', subject: 'Your receipt', text: 'Thanks!' };

function context(attempt = 1, maxAttempts = 3): JobContext {
  return {
    log: pino({ level: 'silent' }),
    jobId: '1',
    attempt,
    maxAttempts,
    signal: new AbortController().signal,
  };
}

function recordingTransport(fail = false): MailTransport & { sent: MailMessage[] } {
  const sent: MailMessage[] = [];
  return {
    name: 'smtp',
    sent,
    send: async (m) => {
      if (fail) throw new Error('connection refused');
      sent.push(m);
    },
    close: () => undefined,
  };
}

describe('mail', () => {
  test('queued mail is delivered once, even when the job runs twice', async () => {
    const id = await db.transaction().execute((trx) => queueMail(trx, message));
    assert.equal((await findMessage(db, id))?.status, 'queued');
    const transport = recordingTransport();
    const task = deliverMailTask(db, transport);
    await task.run({ messageId: id }, context());
    await task.run({ messageId: id }, context());
    assert.equal(transport.sent.length, 1);
    assert.equal(transport.sent[0]?.to, 'fan@example.com');
    const row = await findMessage(db, id);
    assert.equal(row?.status, 'sent');
    assert.equal(row.transport, 'smtp');
  });

  test('a failing transport is retried, and marked failed after the last attempt', async () => {
    const id = await queueMail(db, message);
    const task = deliverMailTask(db, recordingTransport(true));
    await assert.rejects(task.run({ messageId: id }, context(1, 3)), /connection refused/);
    assert.equal((await findMessage(db, id))?.status, 'queued');
    await assert.rejects(task.run({ messageId: id }, context(3, 3)), /connection refused/);
    const row = await findMessage(db, id);
    assert.equal(row?.status, 'failed');
    assert.match(row.error ?? '', /connection refused/);
  });

  test('header injection and bad addresses are refused before anything is stored', async () => {
    await assert.rejects(queueMail(db, { ...message, subject: 'Hi\r\nBcc: everyone@example.com' }));
    await assert.rejects(queueMail(db, { ...message, to: 'not an address' }));
    const count = await db
      .selectFrom('mail_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(count.n, 2);
  });
});
