// GET /@<handle>/<project>/feed.xml: an RSS 2.0 feed of a project's published items, newest
// first, for feed readers and podcast apps. Unlisted items and drafts never appear; a renamed
// project's old feed URL redirects like its page. A feed is public and cached by anyone, so it
// holds what the access rule gives a stranger: the whole text of free items, the free part of
// the others, whoever asks.
import type { FastifyInstance } from 'fastify';
import { notFound } from '../../platform/errors.js';
import { NO_ACCESS, readableHtml, STRANGER, type Access } from '../access/index.js';
import { findImageRef } from './images.service.js';
import { selectItems, type ItemRow } from './items.repository.js';
import { findProjectBySlug } from './projects.repository.js';
import { safeHtmlOf } from './rendered-text.js';
import type { CatalogDeps } from './projects.service.js';

const FEED_SIZE = 50;

/** XML text and attribute escaping; also drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const segment = encodeURIComponent;

function itemXml(item: ItemRow, access: Access, publicUrl: URL): string {
  const link = new URL(
    `/@${segment(item.handle)}/${segment(item.project_slug)}/${segment(item.slug)}`,
    publicUrl,
  ).href;
  const permalink = new URL(`/i/${item.id}`, publicUrl).href;
  const html =
    item.type === 'text'
      ? feedHtml(item, access, link)
      : safeHtmlOf(item.description, item.description_html);
  return [
    '<item>',
    `<title>${escapeXml(item.title)}</title>`,
    `<link>${escapeXml(link)}</link>`,
    `<guid isPermaLink="true">${escapeXml(permalink)}</guid>`,
    item.published_at ? `<pubDate>${item.published_at.toUTCString()}</pubDate>` : '',
    // The sanitised HTML (stored when written), escaped once more as the text of <description>.
    `<description>${escapeXml(html)}</description>`,
    '</item>',
  ].join('');
}

/** A text item's words for a stranger: all of a free text, the free part and a link otherwise. */
function feedHtml(item: ItemRow, access: Access, link: string): string {
  const readable = readableHtml(item, access);
  const description = () => safeHtmlOf(item.description, item.description_html);
  if (readable.full) return readable.safeHtml === '' ? description() : readable.safeHtml;
  const label = item.price_model === 'members' ? 'The rest is for members' : 'Read the rest';
  // what renderMarkdown makes of [label](link): the link is our own URL, its segments encoded
  const more = `<p><a href="${escapeXml(link)}" rel="nofollow ugc noopener">${label}</a></p>\n`;
  return (readable.safeHtml || description()) + more;
}

export async function feedRoutes(app: FastifyInstance, opts: { deps: CatalogDeps }) {
  const { db, config } = opts.deps;
  app.get('/@:handle/:project/feed.xml', async (request, reply) => {
    const { handle, project: slug } = request.params as { handle: string; project: string };
    const found = await findProjectBySlug(db, handle, slug);
    if (!found || found.project.creator_status !== 'active') throw notFound('feed');
    const { project } = found;
    const base = `/@${segment(project.handle)}/${segment(project.slug)}`;
    if (found.redirected || handle !== project.handle) {
      return reply.redirect(`${base}/feed.xml`, 301);
    }
    const items = await selectItems(db)
      .where('items.project_id', '=', project.id)
      .where('items.status', '=', 'published')
      .orderBy('items.published_at', 'desc')
      .limit(FEED_SIZE)
      .execute();
    const [cover, decisions] = await Promise.all([
      findImageRef(db, project.cover_image_id),
      opts.deps.access.decideMany(db, STRANGER, items),
    ]);
    const pageUrl = new URL(base, config.publicUrl).href;
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
      '<channel>',
      `<title>${escapeXml(project.title)}</title>`,
      `<link>${escapeXml(pageUrl)}</link>`,
      `<atom:link href="${escapeXml(new URL(`${base}/feed.xml`, config.publicUrl).href)}" rel="self" type="application/rss+xml"/>`,
      `<description>${escapeXml(project.description.slice(0, 2000) || project.title)}</description>`,
      cover
        ? `<image><url>${escapeXml(new URL(cover.largest, config.publicUrl).href)}</url><title>${escapeXml(project.title)}</title><link>${escapeXml(pageUrl)}</link></image>`
        : '',
      ...items.map((item) => itemXml(item, decisions.get(item.id) ?? NO_ACCESS, config.publicUrl)),
      '</channel>',
      '</rss>',
    ].join('\n');
    return reply
      .header('content-type', 'application/rss+xml; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(xml);
  });
}
