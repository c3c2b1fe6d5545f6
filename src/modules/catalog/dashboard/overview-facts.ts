// What the dashboard's overview shows beyond the catalogue: money and sales (the earnings module
// reads them from the ledger and the orders), whether payouts can reach the creator (payouts),
// and which video items have a poster to show as a thumbnail (files). Each comes in as a
// callback at composition (src/app.ts), so the catalogue imports none of those modules; without
// one, the overview leaves out what it cannot know rather than show a zero.

/** One currency's numbers, in minor units; days and months are UTC calendar ones. */
export interface CurrencyNumbers {
  currency: string;
  todaySales: number;
  todayRevenue: number;
  monthSales: number;
  monthRevenue: number;
  /** earned, still on hold before it can be paid out */
  pending: number;
  /** payable now */
  available: number;
}

/** A paid order as the overview lists it: an item sale, a tip (with the fan's words) or a membership. */
export interface RecentSale {
  id: string;
  kind: 'item' | 'tip' | 'membership';
  title: string;
  /** @handle, a masked email, or "Guest" */
  buyer: string;
  amount: number;
  currency: string;
  message: string | null;
  createdAt: Date;
}

export interface CreatorNumbers {
  currencies: CurrencyNumbers[];
  /** newest first */
  latest: RecentSale[];
  /** item id → paid orders that stand (not refunded in full) */
  salesByItem: ReadonlyMap<string, number>;
}

export type CreatorNumbersLoader = (creatorId: string) => Promise<CreatorNumbers>;
/** null: no payout account yet; ready false: started, the processor still wants details */
export type PayoutAccountCheck = (creatorId: string) => Promise<{ ready: boolean } | null>;
/** the ids among `itemIds` whose playable video has a poster frame (shown at /poster/<id>) */
export type PosterFinder = (itemIds: readonly string[]) => Promise<ReadonlySet<string>>;

export const noPosters: PosterFinder = () => Promise.resolve(new Set());
