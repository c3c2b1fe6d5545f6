// A membership payment that goes back for good (issue 15): a full refund of the first period's
// order or of a renewal's, or a lost dispute, ends the membership at once (members-only work no
// longer plays) and cancels the subscription at the (local) processor, so nothing more is
// charged; a partial refund changes nothing. The buyer hears it once: in the refund's mail, or
// (a dispute) in the membership's end mail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import {
  call,
  signUpCreator,
  signUpFan,
  type Creator,
  type ProjectBody,
} from '../catalog/catalog.test-helpers.js';
import { renewLocalSubscription } from '../payments/index.js';
import { closeLocalDispute, openLocalDispute } from '../payments/local/local-dev.service.js';
import { paymentJobsDrained, until } from '../payments/payments.test-helpers.js';
import type { MembershipJson, TierJson } from './memberships.schemas.js';
import {
  join,
  makeProject,
  makeTier,
  membersOnlyItem,
  subscriptionOf,
} from './memberships.test-helpers.js';

let t: TestApp;
let creator: Creator;
let project: ProjectBody;
let tier: TierJson;
let itemId: string;
const db = () => t.runtime.db;

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  project = await makeProject(t.app, creator, { title: 'Tape Loops' });
  tier = await makeTier(t.app, creator, project.id, { name: 'Listener' });
  itemId = await membersOnlyItem(t.app, db(), t.runtime.storage, creator, project);
});
after(() => t.close());

const stream = (fan: Creator) => call(t.app, fan, 'GET', `/items/${itemId}/stream`);

async function membershipOf(fan: Creator): Promise<MembershipJson> {
  const res = await call(t.app, fan, 'GET', '/me/memberships');
  const found = res.json<{ items: MembershipJson[] }>().items.find((m) => m.tier_id === tier.id);
  assert.ok(found);
  return found;
}

async function localSubscription(id: string) {
  return db()
    .selectFrom('local_subscriptions')
    .select(['status', 'cancel_at_period_end'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Waits until the local processor has canceled the subscription (the cancel job ran). */
async function canceledAtProcessor(subscriptionId: string) {
  await until(async () => {
    const sub = await localSubscription(subscriptionId);
    return sub.status === 'canceled' ? true : undefined;
  }, 'the subscription to be canceled at the processor');
  await paymentJobsDrained(db());
}

async function mailsTo(to: string, subject: string) {
  return db()
    .selectFrom('mail_messages')
    .select('text_body')
    .where('to_address', '=', to)
    .where('subject', 'like', `${subject}%`)
    .orderBy('created_at')
    .execute();
}

function refund(orderId: string, amount?: number) {
  return call(t.app, creator, 'POST', `/orders/${orderId}/refund`, amount ? { amount } : {});
}

test('a partial refund keeps the membership; refunding the rest ends it and cancels the subscription', async () => {
  const fan = await signUpFan(t.app);
  const { order, membership } = await join(t.app, db(), fan, tier.id);
  const subscriptionId = await subscriptionOf(db(), membership.id);

  const part = await refund(order.id, 200);
  assert.equal(part.statusCode, 200, part.body);
  await paymentJobsDrained(db());
  const kept = await membershipOf(fan);
  assert.equal(kept.status, 'active');
  assert.equal(kept.has_access, true);
  assert.equal((await stream(fan)).statusCode, 200);
  assert.equal((await localSubscription(subscriptionId)).status, 'active', 'still renewing');
  const [partMail] = await mailsTo(fan.email, 'Your refund');
  assert.match(partMail?.text_body ?? '', /partial refund: your membership goes on as before/);

  const rest = await refund(order.id);
  assert.equal(rest.statusCode, 200, rest.body);
  const ended = await membershipOf(fan);
  assert.equal(ended.status, 'ended');
  assert.equal(ended.has_access, false);
  assert.equal((await stream(fan)).statusCode, 403, 'members-only work no longer plays');
  await canceledAtProcessor(subscriptionId);
  // the processor's own report of the end (customer.subscription.deleted) changes nothing
  assert.equal((await membershipOf(fan)).status, 'ended');
  const refundMails = await mailsTo(fan.email, 'Your refund');
  assert.equal(refundMails.length, 2);
  assert.match(refundMails[1]?.text_body ?? '', /the membership has ended/);
  assert.equal((await mailsTo(fan.email, 'Your membership has ended')).length, 0, 'one mail');
  // nothing more is charged: the hourly renewal finds it canceled
  assert.equal(await renewLocalSubscription(db(), subscriptionId, 'succeeded'), 'not_found');
});

test("a full refund of a renewal's order ends the membership", async () => {
  const fan = await signUpFan(t.app);
  const { membership } = await join(t.app, db(), fan, tier.id);
  const subscriptionId = await subscriptionOf(db(), membership.id);
  assert.equal(await renewLocalSubscription(db(), subscriptionId, 'succeeded'), 'renewed');
  const renewal = await until(
    () =>
      db()
        .selectFrom('membership_orders')
        .select('order_id')
        .where('membership_id', '=', membership.id)
        .where('invoice_id', 'is not', null)
        .executeTakeFirst(),
    'the renewal order',
  );
  await paymentJobsDrained(db());
  const res = await refund(renewal.order_id);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal((await membershipOf(fan)).status, 'ended');
  await canceledAtProcessor(subscriptionId);
});

test('a lost dispute of a membership payment ends it, and the member hears why', async () => {
  const fan = await signUpFan(t.app);
  const { order, membership } = await join(t.app, db(), fan, tier.id);
  const subscriptionId = await subscriptionOf(db(), membership.id);
  const payment = await db()
    .selectFrom('orders')
    .select('processor_payment_id')
    .where('id', '=', order.id)
    .executeTakeFirstOrThrow();
  assert.ok(payment.processor_payment_id);
  const disputeId = await openLocalDispute(db(), payment.processor_payment_id);
  await until(async () => {
    const row = await db()
      .selectFrom('orders')
      .select('status')
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow();
    return row.status === 'disputed' ? true : undefined;
  }, 'the dispute to be recorded');
  await paymentJobsDrained(db());
  assert.equal((await membershipOf(fan)).status, 'active', 'an open dispute is not decided');

  await closeLocalDispute(db(), disputeId, 'lost');
  await until(
    async () => ((await membershipOf(fan)).status === 'ended' ? true : undefined),
    'the membership to end',
  );
  await canceledAtProcessor(subscriptionId);
  assert.equal((await stream(fan)).statusCode, 403);
  const mails = await mailsTo(fan.email, 'Your membership has ended');
  assert.equal(mails.length, 1);
  assert.match(mails[0]?.text_body ?? '', /disputed with your bank and taken back/);
  assert.equal((await mailsTo(fan.email, 'Your refund')).length, 0, 'a dispute is no refund');
});
