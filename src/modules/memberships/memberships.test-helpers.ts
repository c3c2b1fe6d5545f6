// Test helpers for memberships: a creator's project with a tier and a members-only audio item
// (its file stored and marked ready, so playback can be asked for), and joining through the
// local processor's real checkout page.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { csrfFor } from '../../../test/helpers/http.js';
import {
  call,
  makeItem,
  makeProject,
  type Creator,
  type ProjectBody,
} from '../catalog/catalog.test-helpers.js';
import {
  paymentJobsDrained,
  payOnLocalPage,
  settledStatus,
  until,
  type OrderBody,
} from '../payments/payments.test-helpers.js';
import type { MembershipJson, TierJson } from './memberships.schemas.js';

export async function makeTier(
  app: FastifyInstance,
  creator: Creator,
  projectId: string,
  body: Record<string, unknown> = {},
): Promise<TierJson> {
  const res = await call(app, creator, 'POST', `/projects/${projectId}/tiers`, {
    name: 'Supporter',
    description: 'Everything I make, first.',
    benefits: ['Every release', 'Early demos'],
    monthly_price: 500,
    yearly_price: 5000,
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`tier failed: ${res.statusCode} ${res.body}`);
  return res.json<{ tier: TierJson }>().tier;
}

/** A published members-only audio item whose (fake) file is stored and ready to play. */
export async function membersOnlyItem(
  app: FastifyInstance,
  db: Db,
  store: ObjectStore,
  creator: Creator,
  project: ProjectBody,
): Promise<string> {
  const item = await makeItem(app, creator, project.id, {
    type: 'audio',
    title: 'Members track',
    ai_disclosure: { tier: 'handmade' },
    price: { model: 'members' },
  });
  const key = `test/${randomUUID()}.mp3`;
  await store.put(key, Buffer.from('ID3 not really audio'), { contentType: 'audio/mpeg' });
  await db
    .insertInto('files')
    .values({
      item_id: item.id,
      creator_id: creator.id,
      status: 'ready',
      kind: 'audio',
      original_name: 'track.mp3',
      mime: 'audio/mpeg',
      original_key: key,
    })
    .execute();
  const res = await call(app, creator, 'POST', `/items/${item.id}/publish`);
  if (res.statusCode !== 200) throw new Error(`publish failed: ${res.statusCode} ${res.body}`);
  return item.id;
}

/** Joins the tier and pays on the local page; waits for the membership and the jobs. */
export async function join(
  app: FastifyInstance,
  db: Db,
  fan: Creator,
  tierId: string,
  body: Record<string, unknown> = {},
): Promise<{ order: OrderBody; membership: MembershipJson }> {
  const res = await call(app, fan, 'POST', '/memberships', {
    tier_id: tierId,
    interval: 'month',
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`join failed: ${res.statusCode} ${res.body}`);
  const { order, checkout_url } = res.json<{ order: OrderBody; checkout_url: string }>();
  await payOnLocalPage(app, fan.jar, checkout_url, 'succeeded', await csrfFor(app, fan.jar));
  await settledStatus(db, order.id);
  await until(
    () =>
      db
        .selectFrom('membership_orders')
        .select('membership_id')
        .where('order_id', '=', order.id)
        .where('membership_id', 'is not', null)
        .executeTakeFirst(),
    'the membership',
  );
  await paymentJobsDrained(db);
  const mine = await call(app, fan, 'GET', '/me/memberships');
  const membership = mine
    .json<{ items: MembershipJson[] }>()
    .items.find((m) => m.tier_id === tierId);
  if (!membership) throw new Error('no membership listed');
  return { order, membership };
}

export async function subscriptionOf(db: Db, membershipId: string): Promise<string> {
  const row = await db
    .selectFrom('memberships')
    .select('subscription_id')
    .where('id', '=', membershipId)
    .executeTakeFirstOrThrow();
  return row.subscription_id;
}

export { makeProject };
