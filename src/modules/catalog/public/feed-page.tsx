// Newest-first lists of published items: /discover (with type tabs and a tag filter) and
// /tags/<path> (breadcrumbs of ancestors, child tags). Both page with ?cursor= and "More".
import { ItemGrid, type ItemCardData } from '../../../platform/views/cards.js';
import { EmptyState, PageHeader } from '../../../platform/views/components.js';
import type { ItemType } from '../../../db/schema.js';
import { TypePriceFilters } from './filter-form.js';
import { Breadcrumbs, MorePager, type Crumb } from './parts.js';

export interface FeedTab {
  label: string;
  href: string;
  current: boolean;
}

/** The items and the pager: the whole answer to the pager's htmx request. */
export function FeedItems(props: {
  items: readonly ItemCardData[];
  moreHref: string | undefined;
}): JSX.Element {
  return (
    <>
      <ItemGrid items={props.items} />
      <MorePager href={props.moreHref} />
    </>
  );
}

function Feed(props: {
  items: readonly ItemCardData[];
  moreHref: string | undefined;
  emptyTitle: string;
  continued: boolean;
  firstPageHref: string;
}) {
  if (props.items.length === 0) {
    return (
      <EmptyState
        title={props.emptyTitle}
        level={2}
        action={props.continued ? <a href={props.firstPageHref}>Back to the newest</a> : ''}
      />
    );
  }
  return (
    <div class="feed">
      <FeedItems items={props.items} moreHref={props.moreHref} />
    </div>
  );
}

export interface DiscoverPageProps {
  tabs: readonly FeedTab[];
  /** Newest, Most sold, Trending */
  sorts?: readonly FeedTab[];
  /** the heading of the list when it is not the newest work */
  heading?: string | undefined;
  /** the tag filter, when there is one */
  tag: string | undefined;
  clearTagHref: string;
  items: readonly ItemCardData[];
  moreHref: string | undefined;
  continued: boolean;
  firstPageHref: string;
}

export function DiscoverPage(props: DiscoverPageProps): JSX.Element {
  return (
    <div class="wrap catalog-page">
      <PageHeader
        eyebrow="Discover"
        title={props.heading ?? 'New releases'}
        lead={
          props.heading
            ? 'What fans buy most on Makenot.work, straight from the people who made it.'
            : 'The newest work from creators on Makenot.work, straight from the people who made it.'
        }
      />
      {props.sorts ? (
        <nav class="feed-tabs feed-sort" aria-label="Order">
          <ul role="list">
            {props.sorts.map((sort) => (
              <li>
                <a href={sort.href} aria-current={sort.current ? 'page' : undefined} safe>
                  {sort.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : (
        ''
      )}
      <nav class="feed-tabs" aria-label="Kinds of work">
        <ul role="list">
          {props.tabs.map((tab) => (
            <li>
              <a href={tab.href} aria-current={tab.current ? 'page' : undefined} safe>
                {tab.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.tag ? (
        <p class="feed-filter">
          Tagged{' '}
          <a href={`/tags/${props.tag}`} class="tag" safe>
            {props.tag}
          </a>{' '}
          <a href={props.clearTagHref}>Show every tag</a>
        </p>
      ) : (
        ''
      )}
      <Feed
        items={props.items}
        moreHref={props.moreHref}
        emptyTitle="Nothing here yet"
        continued={props.continued}
        firstPageHref={props.firstPageHref}
      />
    </div>
  );
}

export interface TagPageProps {
  path: string;
  /** the type and price filters, as on /search */
  filters?: { type?: ItemType | undefined; price?: 'free' | 'paid' | undefined };
  crumbs: readonly Crumb[];
  childTags: readonly { label: string; href: string }[];
  items: readonly ItemCardData[];
  moreHref: string | undefined;
  continued: boolean;
  firstPageHref: string;
}

export function TagPage(props: TagPageProps): JSX.Element {
  return (
    <div class="wrap catalog-page">
      <Breadcrumbs crumbs={props.crumbs} />
      <PageHeader eyebrow="Tag" title={props.path} />
      {props.filters ? (
        <TypePriceFilters
          action={`/tags/${props.path}`}
          type={props.filters.type}
          price={props.filters.price}
        />
      ) : (
        ''
      )}
      {props.childTags.length > 0 ? (
        <nav class="child-tags" aria-label="Narrower tags">
          <ul class="tag-list" role="list">
            {props.childTags.map((child) => (
              <li>
                <a class="tag" href={child.href} safe>
                  {child.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : (
        ''
      )}
      <Feed
        items={props.items}
        moreHref={props.moreHref}
        emptyTitle="Nothing published with this tag yet"
        continued={props.continued}
        firstPageHref={props.firstPageHref}
      />
    </div>
  );
}

export function TagIndexPage(props: {
  tags: readonly { label: string; href: string }[];
}): JSX.Element {
  return (
    <div class="wrap catalog-page">
      <PageHeader
        eyebrow="Browse"
        title="Tags"
        lead="Every tag holds everything below it: music holds music/ambient and music/rock."
      />
      {props.tags.length > 0 ? (
        <ul class="tag-list tag-list--large" role="list">
          {props.tags.map((tag) => (
            <li>
              <a class="tag" href={tag.href} safe>
                {tag.label}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title="No tags yet" level={2} />
      )}
    </div>
  );
}
