// The Stripe processor end to end against a fake of Stripe's API (test/fakes/): the real app
// with PAYMENTS=stripe and STRIPE_API_BASE pointing at the fake. Checkout creates a Stripe
// session, Stripe's signed event (signed with the SDK's own test helper) pays the order with the
// fee Stripe reports, refunds and transfers reach Stripe with their idempotency keys, a payout
// sends one transfer however often its job runs, and a refusing account fails the payout.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { createTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { send } from '../../../../test/helpers/http.js';
import {
  startFakeStripe,
  type FakeStripe,
  type Form,
} from '../../../../test/fakes/stripe-fake-server.js';
import {
  call,
  signUpCreator,
  signUpFan,
  type Creator,
} from '../../catalog/catalog.test-helpers.js';
import { balances } from '../../ledger/index.js';
import { availableNow } from '../../ledger/ledger.test-helpers.js';
import { schedulePayouts, sendPayout } from '../../payouts/index.js';
import { TransferRefused } from '../processor.js';
import { StripeProcessor } from './stripe-processor.js';
import {
  paymentJobsDrained,
  publishedItem,
  settledStatus,
  until,
  type CheckoutBody,
} from '../payments.test-helpers.js';

const WEBHOOK_SECRET = 'whsec_makenot_stripe_fake';
let fake: FakeStripe;
let t: TestApp;
let stripe: StripeProcessor;

before(async () => {
  fake = await startFakeStripe();
  t = await createTestApp({
    runJobs: true,
    env: {
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: fake.secretKey,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: fake.url,
    },
  });
  const settings = t.runtime.config.stripe;
  assert.ok(settings);
  stripe = new StripeProcessor(settings);
});
after(async () => {
  await t.close();
  await fake.close();
});

const db = () => t.runtime.db;
const sub = (form: Form, key: string): Form => {
  const value = form[key];
  assert.ok(value && typeof value === 'object' && !Array.isArray(value), `${key} is an object`);
  return value;
};

/** Posts an event to the Stripe webhook, signed as Stripe signs (the SDK's own test helper). */
function deliver(event: unknown, secret = WEBHOOK_SECRET, header?: string) {
  const payload = JSON.stringify(event);
  return t.app.inject({
    method: 'POST',
    url: '/webhooks/payments/stripe',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'stripe-signature': header ?? Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    },
    payload,
  });
}

async function usd(creator: Creator) {
  return (await balances(db(), creator.id)).find((b) => b.currency === 'USD');
}

async function paidOrder(creator: Creator, amount: number, fee: number) {
  const fan = await signUpFan(t.app);
  const item = await publishedItem(t.app, creator, { model: 'fixed', amount });
  const res = await call(t.app, fan, 'POST', '/checkout', { item_id: item.id });
  assert.equal(res.statusCode, 201, res.body);
  const { order, checkout_url } = res.json<CheckoutBody>();
  const session = fake.sessions.find((s) => sub(s.params, 'metadata').order_id === order.id);
  assert.ok(session, 'a Checkout Session at Stripe');
  assert.equal(checkout_url, session.object.url);
  const event = fake.completeCheckout(String(session.object.id), { fee });
  assert.equal((await deliver(event)).statusCode, 200);
  assert.equal(await settledStatus(db(), order.id), 'paid');
  return { order, session, event, fan };
}

test('checkout opens a Stripe session; its signed event pays the order once, with Stripe’s fee', async () => {
  const creator = await signUpCreator(t.app);
  const { order, session, event } = await paidOrder(creator, 2500, 111);

  assert.equal(session.idempotencyKey, `checkout:${order.id}`);
  assert.equal(session.params.mode, 'payment');
  const [line] = session.params.line_items as Form[];
  assert.ok(line);
  assert.deepEqual(
    { amount: sub(line, 'price_data').unit_amount, currency: sub(line, 'price_data').currency },
    { amount: '2500', currency: 'usd' },
  );
  const intentData = sub(session.params, 'payment_intent_data');
  assert.equal(intentData.transfer_group, `order:${order.id}`);
  assert.equal(sub(intentData, 'metadata').order_id, order.id);

  // the sale is in the ledger, less the fee Stripe reported on the charge
  assert.equal((await usd(creator))?.pending, 2500 - 111);

  // the same event again: accepted as a duplicate, nothing changes
  const again = await deliver(event);
  assert.equal(again.statusCode, 200);
  assert.equal(again.json<{ duplicate: boolean }>().duplicate, true);
  await paymentJobsDrained(db());
  assert.equal((await usd(creator))?.pending, 2500 - 111);

  // a forged signature, or a body changed after signing: 400 and no effect
  const forged = { ...event, id: `evt_forged_${randomUUID()}` };
  assert.equal((await deliver(forged, 'whsec_someone_else')).statusCode, 400);
  const signedOther = Stripe.webhooks.generateTestHeaderString({
    payload: JSON.stringify(event),
    secret: WEBHOOK_SECRET,
  });
  assert.equal((await deliver(forged, WEBHOOK_SECRET, signedOther)).statusCode, 400);
  const stored = await db()
    .selectFrom('payment_events')
    .select('id')
    .where('id', '=', forged.id)
    .executeTakeFirst();
  assert.equal(stored, undefined);
});

test('a refund reaches Stripe against the payment, under its idempotency key', async () => {
  const creator = await signUpCreator(t.app);
  const { order } = await paidOrder(creator, 3000, 117);
  const res = await call(t.app, creator, 'POST', `/orders/${order.id}/refund`, { amount: 1000 });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json<CheckoutBody>().order.status, 'partially_refunded');
  const refunds = fake.refunds.filter((r) => sub(r.params, 'metadata').order_id === order.id);
  assert.equal(refunds.length, 1);
  const [refund] = refunds;
  // the key of the refund's intent, recorded before Stripe was asked
  const ours = await db()
    .selectFrom('order_refunds')
    .selectAll()
    .where('order_id', '=', order.id)
    .executeTakeFirstOrThrow();
  assert.equal(refund?.idempotencyKey, `refund:${order.id}:${ours.id}`);
  assert.equal(ours.processor_key, refund.idempotencyKey);
  assert.equal(ours.status, 'succeeded');
  assert.equal(ours.processor_refund_id, refund.object.id);
  assert.equal(refund.params.amount, '1000');
  const intent = fake.paymentIntents.find((p) => p.object.id === refund.params.payment_intent);
  assert.ok(intent, 'against the order’s payment');
  assert.deepEqual(intent.object.metadata, { order_id: order.id });
});

/** A creator with `amount` available and a Stripe account onboarded through our API. */
async function creatorReadyForPayout(amount: number) {
  const creator = await signUpCreator(t.app);
  await availableNow(db(), creator.id, amount);
  const res = await call(t.app, creator, 'POST', '/me/payout-account/onboarding');
  assert.equal(res.statusCode, 200, res.body);
  const link = fake.accountLinks.at(-1);
  assert.ok(link);
  assert.equal(res.json<{ url: string }>().url, link.object.url);
  const accountId = link.params.account;
  assert.ok(typeof accountId === 'string');
  const account = fake.accounts.find((a) => a.object.id === accountId);
  assert.equal(account?.params.type, 'express');
  assert.equal(account.params.email, creator.email);
  assert.equal(sub(account.params, 'metadata').creator_id, creator.id);
  assert.equal(link.params.type, 'account_onboarding');
  assert.equal(link.params.return_url, 'http://localhost:3000/dashboard/payouts/account/return');

  // not paid while onboarding is unfinished
  assert.deepEqual(await payoutsOf(creator), []);
  fake.finishOnboarding(accountId);
  const back = await send(t.app, creator.jar, { url: '/dashboard/payouts/account/return' });
  assert.equal(back.statusCode, 303);
  assert.equal(back.headers.location, '/dashboard/payouts/account?done=ready');
  const mine = await call(t.app, creator, 'GET', '/me/payout-account');
  assert.deepEqual(mine.json(), { account: { destination: accountId, ready: true } });
  return { creator, accountId };
}

async function payoutsOf(creator: Creator): Promise<string[]> {
  const queued = await schedulePayouts({ db: db(), processor: stripe });
  const rows = await db()
    .selectFrom('payouts')
    .select('id')
    .where('creator_id', '=', creator.id)
    .execute();
  const mine = rows.map((row) => row.id);
  assert.ok(mine.every((id) => queued.includes(id)));
  return mine;
}

test('a payout sends exactly one transfer to the creator’s account, even when its job runs again', async () => {
  const { creator, accountId } = await creatorReadyForPayout(4200);
  const [payoutId, ...more] = await payoutsOf(creator);
  assert.ok(payoutId);
  assert.deepEqual(more, []);

  // A worker made the transfer and died before recording it; the job runs again, twice.
  const key = `payout:${payoutId}`;
  const request = { payoutId, idempotencyKey: key, destination: accountId, amount: 4200 };
  const first = await stripe.transfer({ ...request, currency: 'USD' });
  await sendPayout({ db: db(), processor: stripe }, payoutId);
  await sendPayout({ db: db(), processor: stripe }, payoutId);

  const transfers = fake.transfers.filter((tr) => tr.object.destination === accountId);
  assert.equal(transfers.length, 1);
  const [transfer] = transfers;
  assert.equal(transfer?.object.id, first.transferId);
  assert.equal(transfer.idempotencyKey, key);
  assert.deepEqual(
    {
      amount: transfer.params.amount,
      currency: transfer.params.currency,
      group: transfer.params.transfer_group,
      payout: sub(transfer.params, 'metadata').payout_id,
    },
    { amount: '4200', currency: 'usd', group: key, payout: payoutId },
  );
  const payout = await db()
    .selectFrom('payouts')
    .selectAll()
    .where('id', '=', payoutId)
    .executeTakeFirstOrThrow();
  assert.equal(payout.status, 'paid');
  assert.equal(payout.transfer_id, first.transferId);
  assert.equal((await usd(creator))?.paid_out, 4200);

  // reconciliation reads the transfer back under the payout's key
  const listed = await stripe.listTransfers(new Date(Date.now() - 60_000));
  assert.deepEqual(
    listed.filter((tr) => tr.transferId === first.transferId),
    [{ transferId: first.transferId, idempotencyKey: key, amount: 4200, currency: 'USD' }],
  );
});

test('an account that refuses transfers fails the payout with a reason the creator can act on', async () => {
  const { creator, accountId } = await creatorReadyForPayout(1800);
  fake.refuseTransfersTo(accountId);
  const [payoutId] = await payoutsOf(creator);
  assert.ok(payoutId);
  await sendPayout({ db: db(), processor: stripe }, payoutId);
  const payout = await db()
    .selectFrom('payouts')
    .selectAll()
    .where('id', '=', payoutId)
    .executeTakeFirstOrThrow();
  assert.equal(payout.status, 'failed');
  assert.match(payout.failure_reason ?? '', /finish setting it up/);
  assert.equal((await usd(creator))?.available, 1800);
  assert.equal(fake.transfers.filter((tr) => tr.object.destination === accountId).length, 0);
});

test('a Stripe outage fails the payout job for a retry; the retry sends the one transfer', async () => {
  // A long outage of transfers, from before the payout is queued: the worker's own runs of the
  // job fail too, meanwhile (onboarding, which the setup needs, still answers).
  fake.failNext(1_000_000, '/v1/transfers');
  const { creator, accountId } = await creatorReadyForPayout(2100);
  const [payoutId] = await payoutsOf(creator);
  assert.ok(payoutId);
  await assert.rejects(sendPayout({ db: db(), processor: stripe }, payoutId), (error) => {
    assert.ok(error instanceof Stripe.errors.StripeAPIError);
    return true;
  });
  const queued = await db()
    .selectFrom('payouts')
    .select('status')
    .where('id', '=', payoutId)
    .executeTakeFirstOrThrow();
  assert.equal(queued.status, 'queued', 'an outage is retried, not a refusal');
  fake.failNext(0); // Stripe is back: our retry and the queue's may race; one transfer either way
  await sendPayout({ db: db(), processor: stripe }, payoutId);
  await until(async () => {
    const row = await db()
      .selectFrom('payouts')
      .select('status')
      .where('id', '=', payoutId)
      .executeTakeFirst();
    return row?.status === 'paid' ? true : undefined;
  }, 'the payout to be recorded as paid');
  assert.equal(fake.transfers.filter((tr) => tr.object.destination === accountId).length, 1);
  assert.equal((await usd(creator))?.paid_out, 2100);
});

test('errors the creator cannot act on are thrown for the job to retry, not refusals', async () => {
  const settings = { secretKey: 'sk_test_wrong', webhookSecret: WEBHOOK_SECRET, apiBase: fake.url };
  const request = {
    payoutId: randomUUID(),
    idempotencyKey: `payout:${randomUUID()}`,
    destination: 'acct_whatever',
    amount: 100,
    currency: 'USD',
  };
  await assert.rejects(new StripeProcessor(settings).transfer(request), (error) => {
    assert.ok(!(error instanceof TransferRefused));
    assert.ok(error instanceof Stripe.errors.StripeAuthenticationError);
    return true;
  });
});

test('a subscription checkout carries the interval and the trial; cancelling reaches Stripe', async () => {
  const orderId = randomUUID();
  const session = await stripe.createCheckout({
    orderId,
    amount: 500,
    currency: 'USD',
    description: 'Supporter tier',
    successUrl: 'http://localhost:3000/thanks',
    cancelUrl: 'http://localhost:3000/',
    metadata: { tier_id: 'tier_1' },
    subscription: { interval: 'year', trialDays: 14 },
  });
  const stored = fake.sessions.find((s) => s.object.id === session.sessionId);
  assert.ok(stored);
  assert.equal(session.url, stored.object.url);
  assert.equal(stored.params.mode, 'subscription');
  assert.equal(stored.params.payment_intent_data, undefined);
  const [line] = stored.params.line_items as Form[];
  assert.ok(line);
  assert.equal(sub(sub(line, 'price_data'), 'recurring').interval, 'year');
  const data = sub(stored.params, 'subscription_data');
  assert.equal(data.trial_period_days, '14');
  assert.deepEqual(sub(data, 'metadata'), { tier_id: 'tier_1', order_id: orderId });
  assert.deepEqual(sub(stored.params, 'metadata'), { tier_id: 'tier_1', order_id: orderId });

  const event = fake.completeCheckout(session.sessionId);
  const subscriptionId = sub(event.data as Form, 'object').subscription;
  assert.ok(typeof subscriptionId === 'string');
  const subscription = fake.subscriptions.find((s) => s.object.id === subscriptionId)?.object;
  assert.equal(subscription?.status, 'trialing');
  await stripe.cancelSubscription(subscriptionId, { atPeriodEnd: true });
  assert.equal(subscription.cancel_at_period_end, true);
  await stripe.cancelSubscription(subscriptionId, { atPeriodEnd: false });
  assert.equal(subscription.status, 'canceled');
});

test('Stripe’s account.updated makes a connected account payable, or not, without the return link', async () => {
  const creator = await signUpCreator(t.app);
  const res = await call(t.app, creator, 'POST', '/me/payout-account/onboarding');
  assert.equal(res.statusCode, 200, res.body);
  const accountId = fake.accountLinks.at(-1)?.params.account;
  assert.ok(typeof accountId === 'string');
  const readiness = async () =>
    (await call(t.app, creator, 'GET', '/me/payout-account')).json<{
      account: { ready: boolean };
    }>().account.ready;
  assert.equal(await readiness(), false);
  const updated = (id: string, enabled: boolean) => ({
    id,
    object: 'event',
    type: 'account.updated',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: accountId,
        object: 'account',
        payouts_enabled: enabled,
        details_submitted: true,
      },
    },
  });
  assert.equal((await deliver(updated(`evt_${randomUUID()}`, true))).statusCode, 200);
  await until(async () => ((await readiness()) ? true : undefined), 'the account to be ready');
  assert.equal((await deliver(updated(`evt_${randomUUID()}`, false))).statusCode, 200);
  await until(async () => ((await readiness()) ? undefined : true), 'the account to be paused');
});
