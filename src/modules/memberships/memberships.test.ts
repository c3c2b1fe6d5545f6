// Memberships end to end on the local processor: joining through its checkout page, members-only
// playback, renewals (and their re-delivery), a failed renewal's grace period, and cancelling at
// the period end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfFor, send } from '../../../test/helpers/http.js';
import {
  call,
  signUpCreator,
  signUpFan,
  type Creator,
  type Err,
  type ProjectBody,
} from '../catalog/catalog.test-helpers.js';
import { localWebhookSecret, renewLocalSubscription } from '../payments/index.js';
import { paymentJobsDrained, until } from '../payments/payments.test-helpers.js';
import { signPayload } from '../payments/stripe/stripe-signature.js';
import { renewLocalJob } from './memberships.jobs.js';
import type { MembershipJson, TierJson } from './memberships.schemas.js';
import {
  join,
  makeProject,
  makeTier,
  membersOnlyItem,
  subscriptionOf,
} from './memberships.test-helpers.js';

const APP_SECRET = 'test-secret-that-is-long-enough-for-hmac-keys';
let t: TestApp;
let creator: Creator;
let project: ProjectBody;
let tier: TierJson;
let itemId: string;

const db = () => t.runtime.db;

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  project = await makeProject(t.app, creator, { title: 'Night Shifts' });
  tier = await makeTier(t.app, creator, project.id);
  itemId = await membersOnlyItem(t.app, db(), t.runtime.storage, creator, project);
});
after(() => t.close());

const stream = (user: Creator) => call(t.app, user, 'GET', `/items/${itemId}/stream`);

async function membership(user: Creator): Promise<MembershipJson | undefined> {
  const res = await call(t.app, user, 'GET', '/me/memberships');
  assert.equal(res.statusCode, 200);
  return res.json<{ items: MembershipJson[] }>().items[0];
}

async function sales(orderId: string) {
  return db()
    .selectFrom('ledger_transactions')
    .select(['id', 'metadata'])
    .where('kind', '=', 'sale')
    .where('order_id', '=', orderId)
    .execute();
}

async function membershipOrders(membershipId: string) {
  return db()
    .selectFrom('membership_orders')
    .innerJoin('orders', 'orders.id', 'membership_orders.order_id')
    .select(['orders.id', 'orders.status', 'orders.amount', 'membership_orders.invoice_id'])
    .where('membership_orders.membership_id', '=', membershipId)
    .orderBy('orders.created_at')
    .execute();
}

test('joining on the local checkout makes a paid order, an active membership and full playback', async () => {
  const fan = await signUpFan(t.app);
  const outsider = await signUpFan(t.app);
  // before joining: the members-only track is refused (it has no preview clip)
  const refused = await stream(fan);
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json<Err>().error.code, 'PURCHASE_REQUIRED');

  const { order, membership: joined } = await join(t.app, db(), fan, tier.id);
  assert.equal(joined.status, 'active');
  assert.equal(joined.has_access, true);
  assert.equal(joined.interval, 'month');
  const paid = await call(t.app, fan, 'GET', `/orders/${order.id}`);
  assert.equal(paid.json<{ order: { status: string; kind: string } }>().order.status, 'paid');
  assert.equal(paid.json<{ order: { kind: string } }>().order.kind, 'membership');
  // one sale for the first period, though invoice.paid (subscription_create) also arrived
  assert.equal((await sales(order.id)).length, 1);
  const firstInvoices = await db()
    .selectFrom('payment_events')
    .select('applied_at')
    .where('type', '=', 'invoice.paid')
    .where(
      sql<boolean>`payload->'data'->'object'->>'subscription' = ${await subscriptionOf(db(), joined.id)}`,
    )
    .execute();
  assert.equal(firstInvoices.length, 1);
  assert.notEqual(firstInvoices[0]?.applied_at, null);
  const periodEnd = new Date(joined.current_period_end).getTime();
  assert.ok(periodEnd > Date.now() + 27 * 86_400_000 && periodEnd < Date.now() + 32 * 86_400_000);

  const full = await stream(fan);
  assert.equal(full.statusCode, 200);
  assert.equal(full.json<{ preview: boolean }>().preview, false);
  assert.equal((await stream(outsider)).statusCode, 403);
  // joining twice is refused while the membership lasts
  const again = await call(t.app, fan, 'POST', '/memberships', {
    tier_id: tier.id,
    interval: 'year',
  });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json<Err>().error.code, 'ALREADY_MEMBER');
});

test('a renewal makes a new paid order and sale and extends the period; re-delivery changes nothing', async () => {
  const fan = await signUpFan(t.app);
  const { membership: joined } = await join(t.app, db(), fan, tier.id);
  const sub = await subscriptionOf(db(), joined.id);

  assert.equal(await renewLocalSubscription(db(), sub, 'succeeded'), 'renewed');
  const renewal = await until(async () => {
    const orders = await membershipOrders(joined.id);
    return orders.length === 2 ? orders[1] : undefined;
  }, 'the renewal order');
  await paymentJobsDrained(db());
  assert.equal(renewal.status, 'paid');
  assert.equal(renewal.amount, 500);
  assert.match(renewal.invoice_id ?? '', /^in_local_/);
  const sale = await sales(renewal.id);
  assert.equal(sale.length, 1);
  // the period now ends where the processor's subscription says: a month after the first one
  const renewed = await membership(fan);
  const local = await db()
    .selectFrom('local_subscriptions')
    .select('current_period_end')
    .where('id', '=', sub)
    .executeTakeFirstOrThrow();
  const end = new Date(renewed?.current_period_end ?? 0).getTime();
  assert.equal(Math.floor(end / 1000), Math.floor(local.current_period_end.getTime() / 1000));
  const gained = end - new Date(joined.current_period_end).getTime();
  assert.ok(gained > 27 * 86_400_000 && gained < 32 * 86_400_000, `gained ${gained} ms`);
  assert.equal(renewed?.status, 'active');

  // the same event again (200, duplicate), and the same invoice under another event id
  const stored = await db()
    .selectFrom('payment_events')
    .select('payload')
    .where('type', '=', 'invoice.paid')
    .where(sql<boolean>`payload->'data'->'object'->>'id' = ${renewal.invoice_id}`)
    .executeTakeFirstOrThrow();
  const secret = localWebhookSecret(APP_SECRET);
  const post = (body: string) =>
    t.app.inject({
      method: 'POST',
      url: '/webhooks/payments/local',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signPayload(Buffer.from(body), secret, Math.floor(Date.now() / 1000)),
      },
      payload: body,
    });
  const payload = stored.payload;
  assert.equal((await post(JSON.stringify(payload))).statusCode, 200);
  assert.equal((await post(JSON.stringify({ ...payload, id: 'evt_local_again' }))).statusCode, 200);
  await until(
    () =>
      db()
        .selectFrom('payment_events')
        .select('id')
        .where('id', '=', 'evt_local_again')
        .where('applied_at', 'is not', null)
        .executeTakeFirst(),
    'the second delivery to be applied',
  );
  await paymentJobsDrained(db());
  assert.equal((await membershipOrders(joined.id)).length, 2);
  assert.equal((await membership(fan))?.current_period_end, renewed.current_period_end);
});

test('a failed renewal makes the membership past due with access for 7 days, mails both, then access ends', async () => {
  const fan = await signUpFan(t.app);
  const { membership: joined } = await join(t.app, db(), fan, tier.id);
  const sub = await subscriptionOf(db(), joined.id);

  assert.equal(await renewLocalSubscription(db(), sub, 'failed'), 'failed');
  await until(async () => {
    const m = await membership(fan);
    return m?.status === 'past_due' ? m : undefined;
  }, 'past due');
  await paymentJobsDrained(db());
  assert.equal((await membership(fan))?.has_access, true);
  assert.equal((await stream(fan)).statusCode, 200);
  const mail = await db()
    .selectFrom('mail_messages')
    .select(['to_address', 'subject'])
    .where('subject', 'like', '%membership payment failed%')
    .where('to_address', 'in', [fan.email, creator.email])
    .execute();
  assert.deepEqual(new Set(mail.map((m) => m.to_address)), new Set([fan.email, creator.email]));
  assert.equal((await membershipOrders(joined.id)).length, 1);

  // eight days later (the grace is seven) the access is gone
  await db()
    .updateTable('memberships')
    .set({ past_due_since: new Date(Date.now() - 8 * 86_400_000) })
    .where('id', '=', joined.id)
    .execute();
  assert.equal((await membership(fan))?.has_access, false);
  assert.equal((await stream(fan)).statusCode, 403);
});

test('cancelling keeps access until the period ends, then the membership ends', async () => {
  const fan = await signUpFan(t.app);
  const other = await signUpFan(t.app);
  const { membership: joined } = await join(t.app, db(), fan, tier.id);

  const notYours = await call(t.app, other, 'POST', `/memberships/${joined.id}/cancel`);
  assert.equal(notYours.statusCode, 404);

  const canceled = await call(t.app, fan, 'POST', `/memberships/${joined.id}/cancel`);
  assert.equal(canceled.statusCode, 200);
  const body = canceled.json<{ membership: MembershipJson }>().membership;
  assert.equal(body.status, 'canceled');
  assert.equal(body.cancel_at_period_end, true);
  assert.equal(body.has_access, true);
  await paymentJobsDrained(db()); // customer.subscription.updated confirms it
  assert.equal((await membership(fan))?.status, 'canceled');
  assert.equal((await stream(fan)).statusCode, 200);
  const twice = await call(t.app, fan, 'POST', `/memberships/${joined.id}/cancel`);
  assert.equal(twice.statusCode, 409);

  // the period end arrives: the processor ends the subscription instead of charging
  const sub = await subscriptionOf(db(), joined.id);
  assert.equal(await renewLocalSubscription(db(), sub, 'succeeded'), 'ended');
  await until(async () => {
    const m = await membership(fan);
    return m?.status === 'ended' ? m : undefined;
  }, 'the membership to end');
  assert.equal((await membership(fan))?.has_access, false);
  assert.equal((await stream(fan)).statusCode, 403);
  assert.equal((await membershipOrders(joined.id)).length, 1);
});

test('a trial code starts a trialing membership that costs nothing now and full price at renewal', async () => {
  const code = await call(t.app, creator, 'POST', '/promo-codes', {
    code: 'TRYIT14',
    kind: 'trial',
    trial_days: 14,
    scope: 'tier',
    tier_id: tier.id,
  });
  assert.equal(code.statusCode, 201, code.body);
  const fan = await signUpFan(t.app);
  const wrong = await call(t.app, fan, 'POST', '/memberships', {
    tier_id: tier.id,
    interval: 'month',
    promo_code: 'NOPE',
  });
  assert.equal(wrong.statusCode, 422);
  assert.ok(wrong.json<Err>().error.fields?.promo_code);

  const { order, membership: joined } = await join(t.app, db(), fan, tier.id, {
    promo_code: 'tryit14',
  });
  assert.equal(order.amount, 0);
  assert.equal(joined.status, 'trialing');
  assert.equal(joined.has_access, true);
  const days = (new Date(joined.current_period_end).getTime() - Date.now()) / 86_400_000;
  assert.ok(days > 13.9 && days <= 14, `${days} days`);
  assert.equal((await sales(order.id)).length, 0);
  assert.equal((await stream(fan)).statusCode, 200);

  const sub = await subscriptionOf(db(), joined.id);
  assert.equal(await renewLocalSubscription(db(), sub, 'succeeded'), 'renewed');
  const renewal = await until(async () => {
    const orders = await membershipOrders(joined.id);
    return orders.length === 2 ? orders[1] : undefined;
  }, 'the first charge after the trial');
  await paymentJobsDrained(db());
  assert.equal(renewal.amount, 500);
  assert.equal((await sales(renewal.id)).length, 1);
  assert.equal((await membership(fan))?.status, 'active');
});

test('the hourly job renews local subscriptions whose period is over', async () => {
  const fan = await signUpFan(t.app);
  const { membership: joined } = await join(t.app, db(), fan, tier.id);
  const sub = await subscriptionOf(db(), joined.id);
  await db()
    .updateTable('local_subscriptions')
    .set({ current_period_end: new Date(Date.now() - 60_000) })
    .where('id', '=', sub)
    .execute();
  await renewLocalJob.add(db(), {});
  const renewal = await until(async () => {
    const orders = await membershipOrders(joined.id);
    return orders.length === 2 ? orders[1] : undefined;
  }, 'the scheduled renewal');
  await paymentJobsDrained(db());
  assert.equal(renewal.status, 'paid');
  const local = await db()
    .selectFrom('local_subscriptions')
    .select('current_period_end')
    .where('id', '=', sub)
    .executeTakeFirstOrThrow();
  assert.ok(local.current_period_end.getTime() > Date.now() + 27 * 86_400_000);
});

test("the local processor's developer panel charges and declines renewals", async () => {
  const admin = await signUpFan(t.app);
  await db().updateTable('users').set({ is_admin: true }).where('id', '=', admin.id).execute();
  const fan = await signUpFan(t.app);
  const { membership: joined } = await join(t.app, db(), fan, tier.id);
  const sub = await subscriptionOf(db(), joined.id);
  const panel = await send(t.app, admin.jar, { url: '/pay/local/dev' });
  assert.equal(panel.statusCode, 200);
  assert.ok(panel.body.includes(sub), 'the subscription is listed');

  const renew = async (outcome: string) => {
    const res = await send(t.app, admin.jar, {
      url: `/pay/local/dev/subscriptions/${sub}/renew`,
      form: { outcome, _csrf: await csrfFor(t.app, admin.jar) },
    });
    await paymentJobsDrained(db());
    return res;
  };
  const charged = await renew('succeeded');
  assert.equal(charged.statusCode, 303);
  assert.equal(charged.headers.location, '/pay/local/dev?done=renewed');
  await until(
    async () => ((await membershipOrders(joined.id)).length === 2 ? true : undefined),
    'renewal order',
  );
  assert.equal((await membership(fan))?.status, 'active');

  const declined = await renew('failed');
  assert.equal(declined.headers.location, '/pay/local/dev?done=failed');
  assert.equal((await membership(fan))?.status, 'past_due');
  const unknown = await send(t.app, admin.jar, {
    url: '/pay/local/dev/subscriptions/sub_local_nope/renew',
    form: { outcome: 'succeeded', _csrf: await csrfFor(t.app, admin.jar) },
  });
  assert.equal(unknown.statusCode, 404);
});

test('events arriving out of order: an older "payment failed" or "keep renewing" changes nothing', async () => {
  const fan = await signUpFan(t.app);
  const { membership: joined } = await join(t.app, db(), fan, tier.id);
  const sub = await subscriptionOf(db(), joined.id);
  assert.equal(await renewLocalSubscription(db(), sub, 'succeeded'), 'renewed');
  await until(
    async () => ((await membershipOrders(joined.id)).length === 2 ? true : undefined),
    'the renewal order',
  );
  await paymentJobsDrained(db());

  const secret = localWebhookSecret(APP_SECRET);
  const deliver = async (type: string, object: Record<string, unknown>, created: number) => {
    const body = JSON.stringify({ id: `evt_old_${type}_${sub}`, type, created, data: { object } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/webhooks/payments/local',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signPayload(Buffer.from(body), secret, Math.floor(Date.now() / 1000)),
      },
      payload: body,
    });
    assert.equal(res.statusCode, 200);
    await paymentJobsDrained(db());
  };
  // made an hour ago, before the renewal that was just applied
  const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
  const invoice = { id: `in_old_${sub}`, subscription: sub, currency: 'usd', amount_paid: 0 };
  await deliver('invoice.payment_failed', invoice, anHourAgo);
  assert.equal((await membership(fan))?.status, 'active', 'the late failure is stale');

  // a cancel now, then an older "not cancelling" arrives late: still cancelled
  const cancelled = await call(t.app, fan, 'POST', `/memberships/${joined.id}/cancel`);
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  await paymentJobsDrained(db());
  assert.equal((await membership(fan))?.status, 'canceled');
  await deliver(
    'customer.subscription.updated',
    { id: sub, object: 'subscription', cancel_at_period_end: false },
    anHourAgo,
  );
  assert.equal((await membership(fan))?.status, 'canceled', 'the late update is stale');
});
