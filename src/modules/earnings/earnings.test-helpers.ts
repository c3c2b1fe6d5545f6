// Test helpers for earnings: a fan buys a creator's item through the local processor, and a
// sale of another day written straight into the ledger (history the local processor cannot
// backdate).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/database.js';
import { csrfFor } from '../../../test/helpers/http.js';
import { call, type Creator } from '../catalog/catalog.test-helpers.js';
import { recordSale } from '../ledger/index.js';
import {
  payOnLocalPage,
  publishedItem,
  settledStatus,
  type CheckoutBody,
} from '../payments/payments.test-helpers.js';

export async function buyAndPay(
  app: FastifyInstance,
  db: Db,
  creator: Creator,
  fan: Creator,
  amount = 1500,
): Promise<{ orderId: string; itemId: string; title: string }> {
  const item = await publishedItem(app, creator, { model: 'fixed', amount });
  const started = await call(app, fan, 'POST', '/checkout', { item_id: item.id });
  assert.equal(started.statusCode, 201, started.body);
  const { order, checkout_url } = started.json<CheckoutBody>();
  assert.ok(checkout_url);
  await payOnLocalPage(app, fan.jar, checkout_url, 'succeeded', await csrfFor(app, fan.jar));
  assert.equal(await settledStatus(db, order.id), 'paid');
  return { orderId: order.id, itemId: item.id, title: item.title };
}

export async function pastSale(
  db: Db,
  sale: { creatorId: string; gross: number; fee: number; currency: string; occurredAt: Date },
): Promise<void> {
  const orderId = randomUUID();
  await db
    .transaction()
    .execute((trx) =>
      recordSale(trx, { ...sale, orderId, eventKey: `test:${orderId}`, holdDays: 7 }),
    );
}

export const DAY_MS = 86_400_000;

export const utcDate = (date: Date): string => date.toISOString().slice(0, 10);
