// Data for /tags/<path> and the /discover tabs.
import type { Executor } from '../../../db/database.js';
import type { ItemType } from '../../../db/schema.js';
import type { ItemCardData } from '../../../platform/views/cards.js';
import { listChildTags, tagExists, type CardRow, type NewestKeyset } from '../public.repository.js';
import { normaliseTag, tagWithAncestors } from '../tags.js';
import type { FeedTab } from './feed-page.js';
import { BROWSABLE_TYPES, kindLabel } from './format.js';
import type { Crumb } from './parts.js';
import { loadFeed } from './pages.service.js';
import { tagPath, withQuery } from './urls.js';

/** A tag as typed in a URL ("Music/Ambient%20Drone") in its normal form, if it has one. */
export function normaliseTagParam(raw: string): string | undefined {
  const result = normaliseTag(raw.replace(/\/+$/, ''));
  return result.ok ? result.path : undefined;
}

const lastSegment = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The same type and price filters as /search. */
export interface TagFilters {
  type?: ItemType | undefined;
  price?: 'free' | 'paid' | undefined;
}

export interface TagPageData {
  path: string;
  filters: TagFilters;
  crumbs: Crumb[];
  childTags: { label: string; href: string }[];
  rows: CardRow[];
  items: ItemCardData[];
  moreHref: string | undefined;
  firstPageHref: string;
}

/** undefined when no such tag exists. */
export async function loadTagPage(
  db: Executor,
  path: string,
  after: NewestKeyset | undefined,
  filters: TagFilters = {},
): Promise<TagPageData | undefined> {
  // side by side: one round trip's wait, not two (an unknown tag's lists are simply empty)
  const [exists, feed, children] = await Promise.all([
    tagExists(db, path),
    loadFeed(db, { tag: path, after, type: filters.type, price: filters.price }),
    listChildTags(db, path),
  ]);
  if (!exists) return undefined;
  const ancestors = tagWithAncestors(path);
  const firstPageHref = withQuery(tagPath(path), { type: filters.type, price: filters.price });
  const filtered = filters.type !== undefined || filters.price !== undefined;
  return {
    path,
    crumbs: [
      { label: 'Discover', href: '/discover' },
      ...ancestors.map((ancestor) => ({
        label: lastSegment(ancestor),
        href: ancestor === path && after === undefined && !filtered ? undefined : tagPath(ancestor),
      })),
    ],
    childTags: children.map((child) => ({ label: lastSegment(child), href: tagPath(child) })),
    rows: feed.rows,
    items: feed.cards,
    moreHref: feed.nextCursor
      ? withQuery(tagPath(path), {
          type: filters.type,
          price: filters.price,
          cursor: feed.nextCursor,
        })
      : undefined,
    firstPageHref,
    filters,
  };
}

/** The top-level tags that lead to published work, for /tags/. */
export async function loadTagIndex(db: Executor): Promise<{ label: string; href: string }[]> {
  const tags = await listChildTags(db, undefined);
  return tags.map((tag) => ({ label: tag, href: tagPath(tag) }));
}

/** "All" and one tab per type; the tag filter and the sort stay on while switching. */
export function discoverTabs(
  current: ItemType | undefined,
  tag: string | undefined,
  sort?: string,
): FeedTab[] {
  return [
    { label: 'All', href: withQuery('/discover', { sort, tag }), current: current === undefined },
    ...BROWSABLE_TYPES.map((type) => ({
      label: kindLabel(type),
      href: withQuery('/discover', { sort, type, tag }),
      current: current === type,
    })),
  ];
}
