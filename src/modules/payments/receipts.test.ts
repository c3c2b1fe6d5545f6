// Receipts tell the truth: what the processor kept and what the creator receives, a short order
// number, the licence key of a software purchase and how many devices it activates, a
// membership's tier, billing, renewal date and where to manage it, and the signed link that
// opens the purchase. A free claim has no fee line.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { formatDate } from '../../platform/dates.js';
import {
  call,
  makeItem,
  makeProject,
  signUpCreator,
  signUpFan,
  type Creator,
  type ItemBody,
} from '../catalog/catalog.test-helpers.js';
import type { BuyerKeyJson } from '../licences/licences.schemas.js';
import { join, makeTier } from '../memberships/memberships.test-helpers.js';
import { localProcessorFee } from './local/local-processor.js';
import {
  payOnLocalPage,
  publishedItem,
  settledStatus,
  type CheckoutBody,
} from './payments.test-helpers.js';
import { orderNumber } from './purchase-facts.js';
import { claimToken } from './receipts.js';

const APP_SECRET = 'test-secret-that-is-long-enough-for-hmac-keys';
let t: TestApp;
let creator: Creator;
let creatorName: string;
const db = () => t.runtime.db;

before(async () => {
  t = await createTestApp({ runJobs: true });
  creator = await signUpCreator(t.app);
  const row = await db()
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', creator.id)
    .executeTakeFirstOrThrow();
  creatorName = row.display_name;
});
after(() => t.close());

async function receipt(to: string, subject: string): Promise<string> {
  const rows = await db()
    .selectFrom('mail_messages')
    .select('text_body')
    .where('to_address', '=', to)
    .where('subject', '=', subject)
    .execute();
  assert.equal(rows.length, 1, `one receipt "${subject}" to ${to}`);
  return rows[0]?.text_body ?? '';
}

/** A value in the receipt's table: "  Label:     value". */
function line(text: string, label: string): string | undefined {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^ {2}${escaped}: +(.+)$`, 'm').exec(text)?.[1];
}

async function softwareItem(): Promise<ItemBody> {
  const project = await makeProject(t.app, creator, { title: `Tools ${Math.random()}` });
  const item = await makeItem(t.app, creator, project.id, {
    type: 'software',
    title: 'Tape Delay Plugin',
    ai_disclosure: { tier: 'handmade' },
    price: { model: 'fixed', amount: 1500 },
  });
  await db()
    .insertInto('files')
    .values({
      item_id: item.id,
      creator_id: creator.id,
      status: 'ready',
      kind: 'archive',
      original_name: 'tape-delay.zip',
    })
    .execute();
  const res = await call(t.app, creator, 'POST', `/items/${item.id}/publish`);
  assert.equal(res.statusCode, 200, res.body);
  return item;
}

async function buy(fan: Creator, itemId: string): Promise<string> {
  const res = await call(t.app, fan, 'POST', '/checkout', { item_id: itemId });
  assert.equal(res.statusCode, 201, res.body);
  const { order, checkout_url } = res.json<CheckoutBody>();
  if (checkout_url !== null) {
    await payOnLocalPage(t.app, fan.jar, checkout_url, 'succeeded', fan.csrf);
  }
  assert.equal(await settledStatus(db(), order.id), 'paid');
  return order.id;
}

test('a paid software item: the fee and the creator’s share, the order number, the licence key and the link that opens it', async () => {
  const item = await softwareItem();
  const fan = await signUpFan(t.app);
  const orderId = await buy(fan, item.id);
  const text = await receipt(fan.email, 'Your receipt: Tape Delay Plugin');

  const fee = localProcessorFee(1500);
  assert.equal(fee, 74);
  assert.equal(line(text, 'Amount'), '$15.00');
  assert.equal(
    line(text, 'Processor fee'),
    `$0.74 (kept by the card processor; ${creatorName} receives $14.26)`,
  );
  assert.equal(line(text, 'Order'), orderNumber(orderId));
  assert.match(orderNumber(orderId), /^[0-9A-F]{4}-[0-9A-F]{4}$/);

  const keys = await call(t.app, fan, 'GET', '/library/keys');
  const [key] = keys.json<{ items: BuyerKeyJson[] }>().items;
  assert.ok(key, 'the buyer has a key');
  assert.match(key.key, /^MNW-/);
  assert.equal(line(text, 'Licence key'), key.key);
  assert.equal(line(text, 'Activations'), 'Up to 3 devices');

  const link = `http://localhost:3000/claim/${claimToken(APP_SECRET, orderId)}`;
  assert.ok(text.split('\n').includes(link), 'the signed link that opens the purchase');
});

test('a membership: the tier, how it is billed, when it renews and where to manage it', async () => {
  const project = await makeProject(t.app, creator, { title: 'Late Radio' });
  const tier = await makeTier(t.app, creator, project.id, { name: 'Listener' });
  const fan = await signUpFan(t.app);
  const { membership } = await join(t.app, db(), fan, tier.id);
  const text = await receipt(fan.email, 'Your receipt: Late Radio');

  assert.equal(line(text, 'Amount'), '$5.00');
  assert.match(line(text, 'Processor fee') ?? '', /receives \$/);
  assert.equal(line(text, 'Membership'), 'Listener, Late Radio');
  assert.equal(line(text, 'Billed'), 'Every month');
  assert.equal(line(text, 'Renews on'), formatDate(new Date(membership.current_period_end)));
  assert.equal(
    line(text, 'Manage or cancel'),
    'Your memberships: http://localhost:3000/library/memberships',
  );
});

test('a free claim has no fee line', async () => {
  const item = await publishedItem(t.app, creator, { model: 'free' });
  const fan = await signUpFan(t.app);
  const orderId = await buy(fan, item.id);
  const text = await receipt(fan.email, `Your receipt: ${item.title}`);
  assert.equal(line(text, 'Amount'), 'free');
  assert.equal(line(text, 'Processor fee'), undefined);
  assert.doesNotMatch(text, /fee:/i);
  assert.equal(line(text, 'Order'), orderNumber(orderId));
});
