// A member hears once when a membership ends: canceled and the paid period over, or a renewal
// that failed past its grace. The mail names the tier and project, the day access ended and
// where to join again; the processor repeating its end event sends nothing more.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { formatDate } from '../../platform/dates.js';
import {
  call,
  signUpCreator,
  signUpFan,
  type Creator,
  type ProjectBody,
} from '../catalog/catalog.test-helpers.js';
import { localWebhookSecret, renewLocalSubscription } from '../payments/index.js';
import { paymentJobsDrained, until } from '../payments/payments.test-helpers.js';
import { signPayload } from '../payments/stripe/stripe-signature.js';
import type { TierJson } from './memberships.schemas.js';
import { join, makeProject, makeTier, subscriptionOf } from './memberships.test-helpers.js';

const APP_SECRET = 'test-secret-that-is-long-enough-for-hmac-keys';
const DAY_MS = 86_400_000;
let t: TestApp;
let creator: Creator;
let project: ProjectBody;
let tier: TierJson;
const db = () => t.runtime.db;

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  project = await makeProject(t.app, creator, { title: 'Night Shifts' });
  tier = await makeTier(t.app, creator, project.id, { name: 'Night Owl' });
});
after(() => t.close());

async function endedMails(to: string): Promise<{ subject: string; text_body: string }[]> {
  return db()
    .selectFrom('mail_messages')
    .select(['subject', 'text_body'])
    .where('to_address', '=', to)
    .where('subject', 'like', 'Your membership has ended%')
    .orderBy('created_at')
    .execute();
}

async function membershipEnded(membershipId: string) {
  await until(async () => {
    const row = await db()
      .selectFrom('memberships')
      .select('status')
      .where('id', '=', membershipId)
      .executeTakeFirstOrThrow();
    return row.status === 'ended' ? true : undefined;
  }, 'the membership to end');
  await paymentJobsDrained(db());
}

function deliver(body: string) {
  return t.app.inject({
    method: 'POST',
    url: '/webhooks/payments/local',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': signPayload(
        Buffer.from(body),
        localWebhookSecret(APP_SECRET),
        Math.floor(Date.now() / 1000),
      ),
    },
    payload: body,
  });
}

const rejoinUrl = () =>
  `http://localhost:3000/@${creator.handle}/${project.slug}/membership`.replace(/\//g, '\\/');

test('a canceled membership whose period is over mails the member once; a repeated end event mails nothing', async () => {
  const fan = await signUpFan(t.app);
  const { membership } = await join(t.app, db(), fan, tier.id);
  const canceled = await call(t.app, fan, 'POST', `/memberships/${membership.id}/cancel`);
  assert.equal(canceled.statusCode, 200, canceled.body);
  await paymentJobsDrained(db());
  assert.equal((await endedMails(fan.email)).length, 0, 'canceling is not the end yet');

  const sub = await subscriptionOf(db(), membership.id);
  assert.equal(await renewLocalSubscription(db(), sub, 'succeeded'), 'ended');
  await membershipEnded(membership.id);
  const { ended_at: endedAt } = await db()
    .selectFrom('memberships')
    .select('ended_at')
    .where('id', '=', membership.id)
    .executeTakeFirstOrThrow();
  assert.ok(endedAt);

  const [mail, ...more] = await endedMails(fan.email);
  assert.ok(mail, 'the member was mailed');
  assert.equal(more.length, 0);
  assert.equal(mail.subject, 'Your membership has ended: Night Shifts');
  assert.match(mail.text_body, /Your "Night Owl" membership of Night Shifts by .+ has ended\./);
  assert.match(mail.text_body, /It was canceled, and the period paid for is over\./);
  assert.ok(
    mail.text_body.includes(`members-only work ended on ${formatDate(endedAt)}`),
    mail.text_body,
  );
  assert.match(mail.text_body, new RegExp(`To join again: ${rejoinUrl()}$`, 'm'));

  // the processor says it again: the same event, and the same end under a new event id
  const stored = await db()
    .selectFrom('payment_events')
    .select(['id', 'payload'])
    .where('type', '=', 'customer.subscription.deleted')
    .where(sql<boolean>`payload->'data'->'object'->>'id' = ${sub}`)
    .executeTakeFirstOrThrow();
  assert.equal((await deliver(JSON.stringify(stored.payload))).statusCode, 200);
  const again = { ...stored.payload, id: `${stored.id}_again` };
  assert.equal((await deliver(JSON.stringify(again))).statusCode, 200);
  await until(
    () =>
      db()
        .selectFrom('payment_events')
        .select('id')
        .where('id', '=', again.id)
        .where('applied_at', 'is not', null)
        .executeTakeFirst(),
    'the repeated end event to be applied',
  );
  await paymentJobsDrained(db());
  assert.equal((await endedMails(fan.email)).length, 1);
});

test('a renewal that failed past its grace ends the membership: the mail gives the day the grace ran out', async () => {
  const fan = await signUpFan(t.app);
  const { membership } = await join(t.app, db(), fan, tier.id);
  const sub = await subscriptionOf(db(), membership.id);
  assert.equal(await renewLocalSubscription(db(), sub, 'failed'), 'failed');
  await until(async () => {
    const row = await db()
      .selectFrom('memberships')
      .select('status')
      .where('id', '=', membership.id)
      .executeTakeFirstOrThrow();
    return row.status === 'past_due' ? true : undefined;
  }, 'past due');
  await paymentJobsDrained(db());

  // ten days later (the grace is seven) the processor gives up and ends the subscription
  const since = new Date(Date.now() - 10 * DAY_MS);
  await db()
    .updateTable('memberships')
    .set({ past_due_since: since })
    .where('id', '=', membership.id)
    .execute();
  await db()
    .updateTable('local_subscriptions')
    .set({ past_due_since: since })
    .where('id', '=', sub)
    .execute();
  assert.equal(await renewLocalSubscription(db(), sub, 'succeeded'), 'ended');
  await membershipEnded(membership.id);

  const [mail, ...more] = await endedMails(fan.email);
  assert.ok(mail);
  assert.equal(more.length, 0);
  assert.match(mail.text_body, /Its renewal payment did not go through\./);
  const graceEnd = new Date(since.getTime() + 7 * DAY_MS);
  assert.ok(
    mail.text_body.includes(`members-only work ended on ${formatDate(graceEnd)}`),
    mail.text_body,
  );
  assert.match(mail.text_body, new RegExp(`To join again: ${rejoinUrl()}$`, 'm'));
});
