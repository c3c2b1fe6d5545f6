// What other modules know about a purchase, shown on its receipt and its thank-you page without
// payments knowing them: a software order's licence key, a membership's tier and renewal. Each
// module supplies a function from the order to its facts (listed once in payment-participants.ts).
import type { Executor } from '../../db/database.js';
import type { OrderRow } from './payments.repository.js';

export interface PurchaseFact {
  label: string;
  value: string;
  /** a link: an anchor on pages, written out after the value in mail */
  href?: string;
  /** a key or code: shown in a monospace font, easy to copy */
  code?: boolean;
}

export type PurchaseFacts = (db: Executor, order: OrderRow) => Promise<PurchaseFact[]>;

/** Every module's facts about the order, in the order the modules are listed. */
export async function collectPurchaseFacts(
  sources: readonly PurchaseFacts[],
  db: Executor,
  order: OrderRow,
): Promise<PurchaseFact[]> {
  const facts: PurchaseFact[] = [];
  for (const source of sources) facts.push(...(await source(db, order)));
  return facts;
}

/**
 * A short number people can read out or type ("4F2A-91C0"): the first eight hex digits of the
 * order id, grouped. Support finds the order by it (a prefix of the id).
 */
export function orderNumber(orderId: string): string {
  const hex = orderId.replace(/-/g, '').slice(0, 8).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4)}`;
}
