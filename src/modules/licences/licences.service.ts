// Licence keys: issued in the transaction that makes a software item's order paid, checked and
// activated by the buyer's installed copies through the public API, and revoked by the order
// itself (a full refund or a dispute turns it off; nothing is rewritten).
import type { Db, Executor, Trx } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import type { OrderPaidHook, PurchaseFacts } from '../payments/index.js';
import {
  canonicalKey,
  displayKey,
  generateCanonicalKey,
  keyHash,
  keySuffix,
  type KeySealer,
} from './licence-key.js';
import {
  countActivations,
  deleteActivation,
  findActivation,
  findItemOwner,
  findKeyByHash,
  insertActivation,
  insertKey,
  listOrderKeys,
  touchActivation,
  type KeyRow,
} from './licences.repository.js';
import type {
  ActivateInput,
  ActivationJson,
  DeactivateInput,
  KeyCheck,
  ValidateInput,
} from './licences.schemas.js';

export interface LicencesDeps {
  db: Db;
  sealer: KeySealer;
}

const REVOKING = new Set(['refunded', 'disputed']);

export function keyStatus(row: Pick<KeyRow, 'order_status'>): 'active' | 'revoked' {
  return REVOKING.has(row.order_status) ? 'revoked' : 'active';
}

/** The paid-order hook: one key for an item order whose item is software, at most once. */
export function issueLicenceKeyHook(sealer: KeySealer): OrderPaidHook {
  return async (trx, { order }) => {
    if (order.kind !== 'item' || order.item_id === null) return;
    const item = await findItemOwner(trx, order.item_id);
    if (item?.type !== 'software') return;
    const canonical = generateCanonicalKey();
    await insertKey(trx, {
      order_id: order.id,
      item_id: item.id,
      key_hash: keyHash(canonical),
      key_suffix: keySuffix(canonical),
      key_sealed: sealer.seal(canonical, order.id),
    });
  };
}

/** The key someone typed, or undefined: malformed and unknown keys are the same to callers. */
async function lookUp(db: Executor, typed: string, lock = false) {
  const canonical = canonicalKey(typed);
  return canonical === undefined ? undefined : findKeyByHash(db, keyHash(canonical), lock);
}

/** What the rate limit per key counts against: the same for every spelling of one key. */
export function keySubject(typed: string): string {
  const canonical = canonicalKey(typed);
  return (canonical === undefined ? keyHash(typed) : keyHash(canonical)).toString('hex');
}

export function toActivationJson(row: {
  id: string;
  instance_id: string;
  label: string | null;
  created_at: Date;
  last_seen_at: Date;
}): ActivationJson {
  return {
    id: row.id,
    instance_id: row.instance_id,
    label: row.label,
    created_at: row.created_at.toISOString(),
    last_seen_at: row.last_seen_at.toISOString(),
  };
}

const invalidKey = () =>
  new AppError('KEY_INVALID', 404, 'That licence key is not valid.', {
    fields: { key: 'Check the key and try again.' },
  });

export async function validateKey(db: Db, input: ValidateInput): Promise<KeyCheck> {
  const key = await lookUp(db, input.key);
  if (!key) {
    return { valid: false, status: 'unknown', item: null, activations: null, instance: null };
  }
  const status = keyStatus(key);
  const used = await countActivations(db, key.id);
  const instance =
    input.instance_id === undefined
      ? undefined
      : await findActivation(db, key.id, input.instance_id);
  return {
    valid: status === 'active' && (input.instance_id === undefined || instance !== undefined),
    status,
    item: { id: key.item_id, title: key.item_title },
    activations: { used, limit: key.activation_limit },
    instance: instance ? toActivationJson(instance) : null,
  };
}

async function lockedKey(trx: Trx, typed: string): Promise<KeyRow> {
  const key = await lookUp(trx, typed, true);
  if (!key) throw invalidKey();
  return key;
}

/** Activates the key on an instance; the same instance again is the same activation. */
export async function activateKey(db: Db, input: ActivateInput) {
  return db.transaction().execute(async (trx) => {
    // The key row stays locked until commit, so two instances racing for the last seat cannot
    // both take it.
    const key = await lockedKey(trx, input.key);
    if (keyStatus(key) === 'revoked') {
      throw new AppError('KEY_REVOKED', 403, 'This licence key was revoked.');
    }
    const label = input.label === undefined || input.label === '' ? null : input.label;
    const existing = await findActivation(trx, key.id, input.instance_id);
    const used = await countActivations(trx, key.id);
    if (!existing && used >= key.activation_limit) {
      throw new AppError(
        'ACTIVATION_LIMIT',
        409,
        `This key is active on ${used} of ${key.activation_limit} allowed devices. ` +
          'Deactivate one first.',
      );
    }
    const activation = existing
      ? await touchActivation(trx, existing.id, label)
      : await insertActivation(trx, { key_id: key.id, instance_id: input.instance_id, label });
    return {
      activation: toActivationJson(activation),
      item: { id: key.item_id, title: key.item_title },
      activations: { used: existing ? used : used + 1, limit: key.activation_limit },
    };
  });
}

export async function deactivateKey(db: Db, input: DeactivateInput) {
  return db.transaction().execute(async (trx) => {
    const key = await lockedKey(trx, input.key);
    const existing = await findActivation(trx, key.id, input.instance_id);
    if (existing) await deleteActivation(trx, key.id, input.instance_id);
    const used = await countActivations(trx, key.id);
    return {
      deactivated: existing !== undefined,
      activations: { used, limit: key.activation_limit },
    };
  });
}

/** The item, when the caller created it; 404 for everyone else (and for nonsense ids). */
export async function requireOwnItem(db: Executor, userId: string, itemId: string) {
  const item = isUuid(itemId) ? await findItemOwner(db, itemId) : undefined;
  if (!item || item.creator_id !== userId) throw notFound('item');
  return item;
}

export function revealKey(sealer: KeySealer, row: Pick<KeyRow, 'key_sealed' | 'order_id'>) {
  return displayKey(sealer.open(row.key_sealed, row.order_id));
}

/** A software order's key and how many devices it activates: on the receipt and thank-you page. */
export function licencePurchaseFacts(sealer: KeySealer): PurchaseFacts {
  return async (db, order) => {
    if (order.kind !== 'item') return [];
    const keys = await listOrderKeys(db, order.id);
    return keys.flatMap((row) => {
      const revoked = keyStatus(row) === 'revoked';
      return [
        { label: 'Licence key', value: revealKey(sealer, row), code: true },
        {
          label: 'Activations',
          value: revoked
            ? 'None: this key was revoked with a refund'
            : `Up to ${row.activation_limit} ${row.activation_limit === 1 ? 'device' : 'devices'}`,
        },
      ];
    });
  };
}
