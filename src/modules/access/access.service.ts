// The access rule with its facts: the viewer's holdings come from the modules that know them
// (payments: orders and claim links; memberships: members of a project), looked up in one query
// per source for a whole list of items, and only when they could change the decision.
import type { Executor } from '../../db/database.js';
import { isUuid } from '../../platform/ids.js';
import {
  decideAccess,
  needsHoldings,
  NO_ACCESS,
  type Access,
  type AccessItem,
} from './access.rule.js';
import { findAccessItem } from './access.repository.js';
import type { Viewer } from './viewer.js';

/** The ids among `itemIds` that the viewer holds (bought, claimed, or may have as a member). */
export type HoldingsLookup = (
  db: Executor,
  viewer: Viewer,
  itemIds: readonly string[],
) => Promise<ReadonlySet<string>>;

export const holdsNothing: HoldingsLookup = () => Promise.resolve(new Set());

/** Several lookups as one: the viewer holds an item if any source says so. */
export function anyHolding(...lookups: HoldingsLookup[]): HoldingsLookup {
  return async (db, viewer, itemIds) => {
    const found = new Set<string>();
    let wanted = [...itemIds];
    for (const lookup of lookups) {
      if (wanted.length === 0) break;
      for (const id of await lookup(db, viewer, wanted)) found.add(id);
      wanted = wanted.filter((id) => !found.has(id));
    }
    return found;
  };
}

export interface AccessRule {
  /** decisions for rows already read (each carries the AccessItem facts) */
  decideMany(
    db: Executor,
    viewer: Viewer,
    items: readonly AccessItem[],
  ): Promise<Map<string, Access>>;
  decide(db: Executor, viewer: Viewer, item: AccessItem): Promise<Access>;
  /** reads the item first; `none` for ids that are not ids or not items */
  decideById(
    db: Executor,
    viewer: Viewer,
    itemId: string,
  ): Promise<{ item: AccessItem; access: Access } | { item: undefined; access: Access }>;
}

export function createAccessRule(
  holdings: HoldingsLookup,
  clock: () => Date = () => new Date(),
): AccessRule {
  const decideMany: AccessRule['decideMany'] = async (db, viewer, items) => {
    const asking = items.filter((item) => needsHoldings(viewer, item)).map((item) => item.id);
    const held = asking.length > 0 ? await holdings(db, viewer, asking) : new Set<string>();
    const now = clock();
    return new Map(
      items.map((item) => [item.id, decideAccess(viewer, item, held.has(item.id), now)]),
    );
  };
  const decide: AccessRule['decide'] = async (db, viewer, item) =>
    (await decideMany(db, viewer, [item])).get(item.id) ?? NO_ACCESS;
  return {
    decideMany,
    decide,
    async decideById(db, viewer, itemId) {
      const item = isUuid(itemId) ? await findAccessItem(db, itemId) : undefined;
      if (!item) return { item: undefined, access: NO_ACCESS };
      return { item, access: await decide(db, viewer, item) };
    },
  };
}
