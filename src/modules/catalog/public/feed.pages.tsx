// Newest-first lists: /tags/ (the top-level tags), /tags/<path> (a tag's whole subtree) and
// /discover (by type and tag). Pages go on with ?cursor=; an htmx "More" request gets only the
// next items and pager.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError, notFound } from '../../../platform/errors.js';
import { render } from '../../../platform/views/render.js';
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
import { discoverTabs, loadTagIndex, loadTagPage, normaliseTagParam } from './tag-pages.js';
import { absoluteUrl, itemPath, tagPath, withQuery } from './urls.js';

const tagParams = z.object({ '*': z.string().max(250) });
const discoverQuery = cursorQuery.extend({
  type: z.enum(ITEM_TYPES).optional(),
  tag: z.string().max(250).optional(),
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

  app.get('/tags', (_request, reply) => redirectPermanently(reply, '/tags/'));

  app.get('/tags/*', async (request, reply) => {
    const { '*': raw } = parseParams(tagParams, request.params);
    const { cursor } = parseQuery(cursorQuery, request.query);
    if (raw === '') {
      return render(reply, {
        title: 'Tags',
        meta: { canonical: absolute('/tags/') },
        body: <TagIndexPage tags={await loadTagIndex(db)} />,
      });
    }
    const path = normaliseTagParam(raw);
    if (path === undefined) throw notFound('tag');
    if (path !== raw) return redirectPermanently(reply, withQuery(tagPath(path), { cursor }));
    const after = parseCursor(cursor, decodeNewestCursor);
    const page = await loadTagPage(db, path, after);
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
        noindex: after !== undefined,
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
