// /discover's "Most sold" (paid item orders, all time) and "Trending" (paid in the last 7 days):
// counted from the orders themselves, so no counter column has to be kept in step.
import type { Executor } from '../../../db/database.js';
import type { ItemType } from '../../../db/schema.js';
import type { ItemCardData } from '../../../platform/views/cards.js';
import { listBestSellingItems, type CardRow } from '../public.repository.js';
import { toItemCards } from './card-data.js';
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

/** Pages of best sellers: a ranking, so numbered pages (of FEED_PAGE_SIZE) up to this one. */
export const MAX_BEST_SELLER_PAGE = 20;

export async function loadBestSellers(
  db: Executor,
  filter: { sort: DiscoverSort; type: ItemType | undefined; tag: string | undefined; page: number },
  now = new Date(),
): Promise<{ rows: CardRow[]; cards: ItemCardData[]; more: boolean }> {
  const since =
    filter.sort === 'trending' ? new Date(now.getTime() - TRENDING_DAYS * 86_400_000) : undefined;
  const found = await listBestSellingItems(db, {
    since,
    type: filter.type,
    tag: filter.tag,
    limit: FEED_PAGE_SIZE + 1,
    offset: (filter.page - 1) * FEED_PAGE_SIZE,
  });
  const rows = found.slice(0, FEED_PAGE_SIZE);
  const more = found.length > FEED_PAGE_SIZE && filter.page < MAX_BEST_SELLER_PAGE;
  return { rows, cards: toItemCards(rows), more };
}

/** Newest, Most sold, Trending; the type and tag filters stay on while switching. */
export function discoverSorts(
  current: DiscoverSort | undefined,
  type: ItemType | undefined,
  tag?: string,
): FeedTab[] {
  return [
    {
      label: 'Newest',
      href: withQuery('/discover', { type, tag }),
      current: current === undefined,
    },
    ...DISCOVER_SORTS.map((sort) => ({
      label: SORT_HEADINGS[sort],
      href: withQuery('/discover', { sort, type, tag }),
      current: current === sort,
    })),
  ];
}
