// Newest-first lists: /tags/ (the top-level tags), /tags/<path> (a tag's whole subtree) and
// /discover (by type and tag). Pages go on with ?cursor=; an htmx "More" request gets only the
// next items and pager.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ItemType } from '../../../db/schema.js';
import { z } from 'zod';
import { AppError, notFound } from '../../../platform/errors.js';
import { render, wantsFragment } from '../../../platform/views/render.js';
import { ITEM_TYPES } from '../catalog.schemas.js';
import type { CatalogDeps } from '../projects.service.js';
import { DiscoverPage, FeedItems, TagIndexPage, TagPage } from './feed-page.js';
import { kindLabel } from './format.js';
import { collectionJsonLd } from './json-ld.js';
import {
  cursorQuery,
  parseCursor,
  parseParams,
  parseQuery,
  redirectPermanently,
  wantsMore,
} from './page-requests.js';
import { decodeNewestCursor, loadFeed } from './pages.service.js';
import {
  DISCOVER_SORTS,
  discoverSorts,
  loadBestSellers,
  MAX_BEST_SELLER_PAGE,
  SORT_HEADINGS,
  type DiscoverSort,
} from './best-sellers.js';
import { discoverTabs, loadTagIndex, loadTagPage, normaliseTagParam } from './tag-pages.js';
import { absoluteUrl, itemPath, tagPath, withQuery } from './urls.js';

const tagParams = z.object({ '*': z.string().max(250) });
/** A GET form sends "" for "Any type": an empty value is no filter. */
const emptyIsNone = (value: unknown) => (value === '' ? undefined : value);
const tagQuery = cursorQuery.extend({
  type: z.preprocess(emptyIsNone, z.enum(ITEM_TYPES).optional()),
  price: z.preprocess(emptyIsNone, z.enum(['free', 'paid']).optional()),
});
const discoverQuery = cursorQuery.extend({
  type: z.enum(ITEM_TYPES).optional(),
  tag: z.string().max(250).optional(),
  sort: z.enum(DISCOVER_SORTS).optional(),
  page: z.coerce.number().int().min(1).max(MAX_BEST_SELLER_PAGE).optional(),
});

const listed = (
  rows: readonly { title: string; handle: string; project_slug: string; slug: string }[],
  absolute: (path: string) => string,
) =>
  rows.map((row) => ({
    title: row.title,
    url: absolute(itemPath(row.handle, row.project_slug, row.slug)),
  }));

export async function feedPages(app: FastifyInstance, { deps }: { deps: CatalogDeps }) {
  const { db, config } = deps;
  const absolute = (path: string) => absoluteUrl(path, config.publicUrl);

  /** /discover?sort=most-sold|trending: the best sellers, all time or of the last 7 days. */
  async function renderBestSellers(
    request: FastifyRequest,
    reply: FastifyReply,
    filter: {
      sort: DiscoverSort;
      type: ItemType | undefined;
      tag: string | undefined;
      page: number;
    },
  ) {
    const { sort, type, tag, page } = filter;
    const heading = SORT_HEADINGS[sort];
    const best = await loadBestSellers(db, filter);
    const canonical = withQuery('/discover', { sort, type, tag });
    const moreHref = best.more
      ? withQuery('/discover', { sort, type, tag, page: String(page + 1) })
      : undefined;
    if (page > 1 && wantsFragment(request)) {
      return render(reply, {
        title: heading,
        body: <FeedItems items={best.cards} moreHref={moreHref} />,
      });
    }
    const title = type ? `${heading}: ${kindLabel(type)}` : heading;
    return render(reply, {
      title: tag ? `${title}, tagged ${tag}` : title,
      description: 'The work fans buy most on Makenot.work.',
      meta: {
        canonical: absolute(canonical),
        noindex: page > 1,
        jsonLd: collectionJsonLd({
          name: heading,
          url: absolute(canonical),
          items: listed(best.rows, absolute),
        }),
      },
      body: (
        <DiscoverPage
          tabs={discoverTabs(type, tag, sort)}
          sorts={discoverSorts(sort, type, tag)}
          heading={heading}
          tag={tag}
          clearTagHref={withQuery('/discover', { sort, type })}
          items={best.cards}
          moreHref={moreHref}
          continued={page > 1}
          firstPageHref={canonical}
        />
      ),
    });
  }

  app.get('/tags', (_request, reply) => redirectPermanently(reply, '/tags/'));

  app.get('/tags/*', async (request, reply) => {
    const { '*': raw } = parseParams(tagParams, request.params);
    const { cursor, type, price } = parseQuery(tagQuery, request.query);
    if (raw === '') {
      return render(reply, {
        title: 'Tags',
        meta: { canonical: absolute('/tags/') },
        body: <TagIndexPage tags={await loadTagIndex(db)} />,
      });
    }
    const path = normaliseTagParam(raw);
    if (path === undefined) throw notFound('tag');
    if (path !== raw) {
      return redirectPermanently(reply, withQuery(tagPath(path), { type, price, cursor }));
    }
    const after = parseCursor(cursor, decodeNewestCursor);
    const page = await loadTagPage(db, path, after, { type, price });
    if (!page) throw notFound('tag');
    if (wantsMore(request, cursor)) {
      return render(reply, {
        title: path,
        body: <FeedItems items={page.items} moreHref={page.moreHref} />,
      });
    }
    return render(reply, {
      title: `Tagged ${path}`,
      description: `New work tagged ${path} on Makenot.work.`,
      meta: {
        canonical: absolute(tagPath(path)),
        noindex: after !== undefined || type !== undefined || price !== undefined,
        jsonLd: collectionJsonLd({
          name: `Tagged ${path}`,
          url: absolute(tagPath(path)),
          items: listed(page.rows, absolute),
        }),
      },
      body: <TagPage {...page} continued={after !== undefined} />,
    });
  });

  app.get('/discover', async (request, reply) => {
    const query = parseQuery(discoverQuery, request.query);
    const tag = query.tag ? normaliseTagParam(query.tag) : undefined;
    if (query.tag && tag === undefined) {
      throw new AppError('VALIDATION_FAILED', 400, 'That tag is not valid.');
    }
    if (query.sort) {
      // The best sellers are a ranking: numbered pages, not the newest list's cursor.
      if (query.cursor !== undefined) {
        throw new AppError('VALIDATION_FAILED', 400, 'That link is not valid.');
      }
      return renderBestSellers(request, reply, {
        sort: query.sort,
        type: query.type,
        tag,
        page: query.page ?? 1,
      });
    }
    if (query.page !== undefined) {
      throw new AppError('VALIDATION_FAILED', 400, 'That link is not valid.');
    }
    const after = parseCursor(query.cursor, decodeNewestCursor);
    const feed = await loadFeed(db, { type: query.type, tag, after });
    const firstPage = withQuery('/discover', { type: query.type, tag });
    const moreHref = feed.nextCursor
      ? withQuery('/discover', { type: query.type, tag, cursor: feed.nextCursor })
      : undefined;
    if (wantsMore(request, query.cursor)) {
      return render(reply, {
        title: 'Discover',
        body: <FeedItems items={feed.cards} moreHref={moreHref} />,
      });
    }
    const title = query.type ? `Discover: ${kindLabel(query.type)}` : 'Discover';
    return render(reply, {
      title: tag ? `${title}, tagged ${tag}` : title,
      description: 'The newest work from creators on Makenot.work.',
      meta: {
        canonical: absolute(firstPage),
        noindex: after !== undefined,
        jsonLd: collectionJsonLd({
          name: title,
          url: absolute(firstPage),
          items: listed(feed.rows, absolute),
        }),
      },
      body: (
        <DiscoverPage
          tabs={discoverTabs(query.type, tag)}
          sorts={discoverSorts(undefined, query.type, tag)}
          tag={tag}
          clearTagHref={withQuery('/discover', { type: query.type })}
          items={feed.cards}
          moreHref={moreHref}
          continued={after !== undefined}
          firstPageHref={firstPage}
        />
      ),
    });
  });
}
