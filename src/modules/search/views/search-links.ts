// The filters a search page was asked for, and the links that keep them while changing one.
import type { ItemType } from '../../../db/schema.js';
import { withQuery } from '../../catalog/index.js';

export type HitKind = 'item' | 'project' | 'creator';

export interface SearchFilters {
  q: string;
  kind?: HitKind | undefined;
  type?: ItemType | undefined;
  price?: 'free' | 'paid' | undefined;
  tag?: string | undefined;
  creator?: string | undefined;
}

export function searchHref(filters: SearchFilters, cursor?: string): string {
  return withQuery('/search', {
    q: filters.q,
    kind: filters.kind,
    type: filters.type,
    price: filters.price,
    tag: filters.tag,
    creator: filters.creator,
    cursor,
  });
}
