// /discover's "Most sold" (paid item orders, all time) and "Trending" (paid in the last 7 days):
// counted from the orders themselves, so no counter column has to be kept in step.
import type { Executor } from '../../../db/database.js';
import type { ItemType } from '../../../db/schema.js';
import type { ItemCardData } from '../../../platform/views/cards.js';
import { listBestSellingItems, type PublicItemRow } from '../public.repository.js';
import { findCovers, toItemCards } from './card-data.js';
import type { FeedTab } from './feed-page.js';
import { FEED_PAGE_SIZE } from './pages.service.js';
import { withQuery } from './urls.js';

export const DISCOVER_SORTS = ['most-sold', 'trending'] as const;
export type DiscoverSort = (typeof DISCOVER_SORTS)[number];

const TRENDING_DAYS = 7;

export const SORT_HEADINGS: Record<DiscoverSort, string> = {
  'most-sold': 'Most sold',
  trending: 'Trending this week',
};

export async function loadBestSellers(
  db: Executor,
  sort: DiscoverSort,
  type: ItemType | undefined,
  now = new Date(),
): Promise<{ rows: PublicItemRow[]; cards: ItemCardData[] }> {
  const since =
    sort === 'trending' ? new Date(now.getTime() - TRENDING_DAYS * 86_400_000) : undefined;
  const rows = await listBestSellingItems(db, { since, type, limit: FEED_PAGE_SIZE });
  return { rows, cards: toItemCards(rows, await findCovers(db, rows)) };
}

/** Newest, Most sold, Trending; the type filter stays on while switching. */
export function discoverSorts(
  current: DiscoverSort | undefined,
  type: ItemType | undefined,
): FeedTab[] {
  return [
    { label: 'Newest', href: withQuery('/discover', { type }), current: current === undefined },
    ...DISCOVER_SORTS.map((sort) => ({
      label: SORT_HEADINGS[sort],
      href: withQuery('/discover', { sort, type }),
      current: current === sort,
    })),
  ];
}
