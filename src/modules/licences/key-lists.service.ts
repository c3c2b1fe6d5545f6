// What buyers and creators see of keys: a buyer's own keys in full, a creator's issued keys by
// suffix only (the key belongs to the buyer), the item's activation limit, and an activation
// reset by the creator (a buyer's lost machine). Everything not theirs is a 404.
import type { Db } from '../../db/database.js';
import { notFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import {
  deleteActivationById,
  findActivationCreator,
  findActivationLimit,
  listActivations,
  listBuyerKeys,
  listItemKeys,
  upsertActivationLimit,
  type KeyRow,
} from './licences.repository.js';
import type { BuyerKeyJson, IssuedKeyJson } from './licences.schemas.js';
import {
  keyStatus,
  requireOwnItem,
  revealKey,
  toActivationJson,
  type LicencesDeps,
} from './licences.service.js';

const LIST_SIZE = 100;

async function withInstances(db: Db, rows: KeyRow[]) {
  const activations = await listActivations(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => {
    const instances = activations.filter((a) => a.key_id === row.id).map(toActivationJson);
    return {
      id: row.id,
      order_id: row.order_id,
      suffix: row.key_suffix,
      status: keyStatus(row),
      created_at: row.created_at.toISOString(),
      activations: { used: instances.length, limit: row.activation_limit },
      instances,
    } satisfies IssuedKeyJson;
  });
}

export async function buyerKeys(deps: LicencesDeps, userId: string): Promise<BuyerKeyJson[]> {
  const rows = await listBuyerKeys(deps.db, userId, LIST_SIZE);
  const keys = await withInstances(deps.db, rows);
  return keys.map((key, index) => {
    const row = rows[index];
    if (!row) throw new Error('key rows and keys out of step');
    return {
      ...key,
      item: { id: row.item_id, title: row.item_title },
      key: revealKey(deps.sealer, row),
    };
  });
}

export async function issuedKeys(db: Db, userId: string, itemId: string) {
  await requireOwnItem(db, userId, itemId);
  return withInstances(db, await listItemKeys(db, itemId, LIST_SIZE));
}

export async function licenceSettings(db: Db, userId: string, itemId: string) {
  const item = await requireOwnItem(db, userId, itemId);
  return { item_id: item.id, activation_limit: await findActivationLimit(db, item.id) };
}

export async function setLicenceSettings(db: Db, userId: string, itemId: string, limit: number) {
  const item = await requireOwnItem(db, userId, itemId);
  await upsertActivationLimit(db, item.id, limit);
  return { item_id: item.id, activation_limit: limit };
}

export async function resetActivation(db: Db, userId: string, activationId: string) {
  const activation = isUuid(activationId)
    ? await findActivationCreator(db, activationId)
    : undefined;
  if (activation?.creator_id !== userId) throw notFound('activation');
  await deleteActivationById(db, activation.id);
}
