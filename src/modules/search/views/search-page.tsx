// /search: the form, "did you mean", tabs by kind with counts, the hits with their highlighted
// snippets, the next-page link and the empty state.
import { EmptyState, PageHeader } from '../../../platform/views/components.js';
import { COUNT_CAP } from '../search.plan.js';
import type { SearchHit } from '../search.service.js';
import { SearchForm } from './search-form.js';
import { searchHref, type HitKind, type SearchFilters } from './search-links.js';

export interface SearchPageProps {
  filters: SearchFilters;
  hits: readonly SearchHit[];
  counts: Record<HitKind, number>;
  suggestion: string | null;
  nextHref: string | undefined;
  continued: boolean;
  kindLabelOf: (hit: SearchHit) => string;
}

const KIND_TABS: readonly { kind: HitKind; label: string }[] = [
  { kind: 'item', label: 'Items' },
  { kind: 'project', label: 'Projects' },
  { kind: 'creator', label: 'Creators' },
];

/** Counts stop at the cap: "1000+". */
const countLabel = (count: number) => (count >= COUNT_CAP ? `${COUNT_CAP}+` : String(count));

function KindTabs(props: { filters: SearchFilters; counts: Record<HitKind, number> }) {
  const { filters, counts } = props;
  const all = counts.item + counts.project + counts.creator;
  const tabs = [
    {
      label: 'All',
      count: all,
      href: searchHref({ ...filters, kind: undefined }),
      current: !filters.kind,
    },
    ...KIND_TABS.map((tab) => ({
      label: tab.label,
      count: counts[tab.kind],
      href: searchHref({ ...filters, kind: tab.kind }),
      current: filters.kind === tab.kind,
    })),
  ];
  return (
    <nav class="feed-tabs search-tabs" aria-label="Kinds of results">
      <ul role="list">
        {tabs.map((tab) => (
          <li>
            <a href={tab.href} aria-current={tab.current ? 'page' : undefined}>
              <span safe>{tab.label}</span>{' '}
              <span class="search-tabs__count" safe>
                {countLabel(tab.count)}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Hit(props: { hit: SearchHit; kindLabel: string }) {
  const { hit } = props;
  // The service escapes the indexed text and adds only <mark> tags: the snippet is markup.
  const safeSnippet = hit.snippet;
  return (
    <li class="search-hit">
      <h2 class="search-hit__title">
        <a href={hit.url} safe>
          {hit.title}
        </a>
      </h2>
      <p class="search-hit__meta">
        <span class="search-hit__kind" safe>
          {props.kindLabel}
        </span>
        {hit.creator_handle && hit.kind !== 'creator' ? (
          <>
            {' · by '}
            <a href={`/@${encodeURIComponent(hit.creator_handle)}`} safe>
              {hit.creator_name ?? `@${hit.creator_handle}`}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      {safeSnippet ? <p class="search-hit__snippet">{safeSnippet}</p> : ''}
    </li>
  );
}

function ActiveFilters(props: { filters: SearchFilters }) {
  const { filters } = props;
  if (!filters.tag && !filters.creator) return <></>;
  return (
    <p class="feed-filter">
      {filters.tag ? (
        <>
          {'Tagged '}
          <a class="tag" href={`/tags/${filters.tag}`} safe>
            {filters.tag}
          </a>{' '}
          <a href={searchHref({ ...filters, tag: undefined })}>Any tag</a>{' '}
        </>
      ) : (
        ''
      )}
      {filters.creator ? (
        <>
          <span safe>{`By @${filters.creator}`}</span>{' '}
          <a href={searchHref({ ...filters, creator: undefined })}>Anyone</a>
        </>
      ) : (
        ''
      )}
    </p>
  );
}

export function SearchPage(props: SearchPageProps): JSX.Element {
  const { filters } = props;
  const searched = filters.q.trim() !== '';
  return (
    <div class="wrap catalog-page search-page">
      <PageHeader
        eyebrow="Search"
        title={searched ? `Results for “${filters.q.trim()}”` : 'Search'}
        lead={
          searched
            ? undefined
            : 'Find music, writing, video, software and the people who make them.'
        }
      />
      <SearchForm
        filters={filters}
        showFilters={filters.kind === undefined || filters.kind === 'item'}
      />
      {props.suggestion ? (
        <p class="search-suggestion">
          Did you mean{' '}
          <a href={searchHref({ ...filters, q: props.suggestion })} safe>
            {props.suggestion}
          </a>
          ? <span class="search-suggestion__note">Results for it are included.</span>
        </p>
      ) : (
        ''
      )}
      {searched ? <KindTabs filters={filters} counts={props.counts} /> : ''}
      <ActiveFilters filters={filters} />
      {searched && props.hits.length === 0 ? (
        <EmptyState
          title={props.continued ? 'No more results' : 'Nothing matched your search'}
          level={2}
          action={
            props.continued ? (
              <a href={searchHref(filters)}>Back to the first page</a>
            ) : (
              <a href="/discover">Browse what is new instead</a>
            )
          }
        >
          <p>Try fewer or different words, or remove a filter.</p>
        </EmptyState>
      ) : (
        ''
      )}
      {props.hits.length > 0 ? (
        <ol class="search-results" role="list">
          {props.hits.map((hit) => (
            <Hit hit={hit} kindLabel={props.kindLabelOf(hit)} />
          ))}
        </ol>
      ) : (
        ''
      )}
      {props.nextHref ? (
        <p class="feed-more">
          <a class="button button--secondary" href={props.nextHref} rel="next">
            Next page
          </a>
        </p>
      ) : (
        ''
      )}
    </div>
  );
}
