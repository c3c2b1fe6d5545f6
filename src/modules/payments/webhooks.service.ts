// Receiving processor events: verify the signature on the raw body, store the event id under its
// unique key and queue the job that applies it, all in one transaction. A re-delivered event
// inserts nothing and queues nothing; either way the processor hears 2xx at once.
import type { Db } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { addJob } from '../../platform/jobs/queue.js';
import type { Logger } from '../../platform/log.js';
import { eventEnvelopeSchema } from './payment-events.js';
import { insertEvent } from './payments.repository.js';
import { checkSignature } from './stripe-signature.js';

export type ProcessorName = 'local' | 'stripe';
export const APPLY_EVENT_TASK = 'payments:apply_event';

export interface ReceiveDeps {
  db: Db;
  /** the webhook secret of each processor whose events we accept */
  secrets: Partial<Record<ProcessorName, string>>;
  log: Logger;
}

export type ReceiveResult = 'accepted' | 'duplicate';

const badSignature = () =>
  new AppError('INVALID_SIGNATURE', 400, 'The event signature is missing or wrong.');

export async function receivePaymentEvent(
  deps: ReceiveDeps,
  processor: ProcessorName,
  rawBody: Buffer,
  signatureHeader: string | undefined,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<ReceiveResult> {
  const secret = deps.secrets[processor];
  if (secret === undefined) throw new AppError('NOT_FOUND', 404, 'No such processor here.');
  const problem = checkSignature(rawBody, signatureHeader, secret, nowSeconds);
  if (problem) {
    deps.log.warn({ processor, problem }, 'payment event refused: bad signature');
    throw badSignature();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new AppError('INVALID_EVENT', 400, 'The event is not JSON.');
  }
  const envelope = eventEnvelopeSchema.safeParse(parsed);
  if (!envelope.success) throw new AppError('INVALID_EVENT', 400, 'The event is malformed.');
  const event = envelope.data;
  return deps.db.transaction().execute(async (trx) => {
    const fresh = await insertEvent(trx, {
      id: event.id,
      processor,
      type: event.type,
      payload: rawBody.toString('utf8'),
    });
    if (!fresh) return 'duplicate';
    await addJob(trx, APPLY_EVENT_TASK, { eventId: event.id }, { jobKey: `event:${event.id}` });
    return 'accepted';
  });
}
