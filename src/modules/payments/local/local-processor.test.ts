import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { LOCAL_REFUSED_DESTINATION, LocalProcessor, localProcessorFee } from './local-processor.js';
import { TransferRefused } from '../processor.js';

let t: TestApp;
let processor: LocalProcessor;

before(async () => {
  t = await createTestApp();
  processor = new LocalProcessor(t.runtime.db, t.runtime.config);
});
after(() => t.close());

test('a transfer is made once per idempotency key, and listed for reconciliation', async () => {
  const since = new Date(Date.now() - 1000);
  const key = `payout:${randomUUID()}`;
  const request = {
    payoutId: randomUUID(),
    idempotencyKey: key,
    destination: 'acct_local_1',
    amount: 2500,
    currency: 'USD',
  };
  const first = await processor.transfer(request);
  const again = await processor.transfer(request);
  assert.equal(again.transferId, first.transferId);
  const listed = await processor.listTransfers(since);
  assert.deepEqual(listed, [
    { transferId: first.transferId, idempotencyKey: key, amount: 2500, currency: 'USD' },
  ]);
  await assert.rejects(
    processor.transfer({
      ...request,
      idempotencyKey: 'payout:x',
      destination: LOCAL_REFUSED_DESTINATION,
    }),
    TransferRefused,
  );
});

test('a refund is recorded once per idempotency key', async () => {
  const request = {
    orderId: randomUUID(),
    paymentId: 'pi_local_1',
    amount: 500,
    currency: 'USD',
    idempotencyKey: 'refund:1',
  };
  const first = await processor.refund(request);
  assert.equal((await processor.refund(request)).refundId, first.refundId);
  assert.notEqual(
    (await processor.refund({ ...request, idempotencyKey: 'refund:2' })).refundId,
    first.refundId,
  );
});

test('the local fee is 2.9% + 30 and never more than the payment', () => {
  assert.equal(localProcessorFee(1500), 74);
  assert.equal(localProcessorFee(20), 20);
  assert.ok(processor.webhookSecret.startsWith('whsec_'));
});
