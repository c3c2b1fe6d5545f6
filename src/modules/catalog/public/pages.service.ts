// Use cases behind the public pages: find the creator, project or item a URL names (only
// active creators; drafts only for their creator), and load what each page shows.
import type { Executor } from '../../../db/database.js';
import { notFound } from '../../../platform/errors.js';
import type { Principal } from '../../../platform/http/auth.js';
import type { ItemCardData, ProjectCardData } from '../../../platform/views/cards.js';
import {
  NO_ACCESS,
  readableHtml,
  type Access,
  type TextSource,
  type Viewer,
} from '../../access/index.js';
import { decodeCursor, encodeCursor } from '../catalog.responses.js';
import { findCreatorPage, findProjectPage } from '../creator-pages.repository.js';
import { toImageRef, type ImageRef } from '../images.service.js';
import { findItemPage, type ItemPageRow } from '../item-page.repository.js';
import { safeHtmlOf } from '../rendered-text.js';
import { listBundleContents } from '../item-extras.service.js';
import { toCreatorProfile, type CreatorProfile } from '../profile.service.js';
import type { CatalogDeps } from '../projects.service.js';
import type { Keyset, ProjectRow } from '../projects.repository.js';
import {
  findPublicItemById,
  listNewestItems,
  type CardRow,
  type NewestFilter,
  type NewestKeyset,
  type PublicItemRow,
} from '../public.repository.js';
import { findCovers, toItemCard, toItemCards, toProjectCards } from './card-data.js';
import { kindLabel, priceLabel } from './format.js';
import type { ItemPageProps, ReadingView } from './item-page.js';
import { creatorPath, itemPath, permalinkPath, projectPath } from './urls.js';

export const FEED_PAGE_SIZE = 24;
const PROJECT_PAGE_SIZE = 48;
const CREATOR_LATEST = 8;
const CREATOR_PROJECTS = 60;

/** The item page's row, found: creator, project and item all there. */
export interface FoundItemPage extends ItemPageRow {
  project: NonNullable<ItemPageRow['project']>;
  item: PublicItemRow;
}

/**
 * The item at /@handle/project/item (any status of creator or item; a departed creator's item
 * opens for those who keep it) and what the viewer may have of it: one statement, then the
 * access rule (which asks the database only when holdings could change its answer). 404 when
 * the creator, project or item is not there or the access rule hides it.
 */
export async function requireItemPage(
  deps: Pick<CatalogDeps, 'db' | 'access'>,
  viewer: Viewer,
  path: { handle: string; project: string; item: string },
): Promise<{ found: FoundItemPage; creator: CreatorProfile; access: Access }> {
  const row = await findItemPage(deps.db, path.handle, path.project, path.item);
  if (!row) throw notFound('creator');
  const { project, item } = row;
  if (!project) throw notFound('project');
  const access = item ? await deps.access.decide(deps.db, viewer, item) : NO_ACCESS;
  if (!item || access.level === 'none') throw notFound('item');
  const avatar = row.avatar ? toImageRef(row.avatar) : undefined;
  return {
    found: { ...row, project, item },
    creator: toCreatorProfile(row.creator, avatar),
    access,
  };
}

/** For /i/<id>: the item's pretty path, when the viewer may see it. */
export async function findPermalinkTarget(
  deps: Pick<CatalogDeps, 'db' | 'access'>,
  viewer: Viewer,
  id: string,
): Promise<string> {
  const { item } = await requireItemById(deps, viewer, id);
  return itemPath(item.handle, item.project_slug, item.slug);
}

async function requireItemById(
  deps: Pick<CatalogDeps, 'db' | 'access'>,
  viewer: Viewer,
  id: string,
): Promise<{ item: PublicItemRow; access: Access }> {
  const item = await findPublicItemById(deps.db, id);
  const access = item ? await deps.access.decide(deps.db, viewer, item) : NO_ACCESS;
  if (!item || access.level === 'none') throw notFound('item');
  return { item, access };
}

export interface CreatorPageData {
  creator: CreatorProfile;
  projects: ProjectCardData[];
  latest: ItemCardData[];
}

/** /@handle in one statement; 404 unless an active creator has the handle (any letter case). */
export async function loadCreatorPage(db: Executor, handle: string): Promise<CreatorPageData> {
  const row =
    handle.length > 100
      ? undefined
      : await findCreatorPage(db, handle, { projects: CREATOR_PROJECTS, latest: CREATOR_LATEST });
  if (!row) throw notFound('creator');
  const avatar = row.avatar ? toImageRef(row.avatar) : undefined;
  return {
    creator: toCreatorProfile(row.creator, avatar),
    projects: toProjectCards(row.projects),
    latest: toItemCards(row.latest),
  };
}

export interface ProjectPageData {
  creator: CreatorProfile;
  project: ProjectRow & { redirected: boolean };
  cover: ImageRef | undefined;
  rows: CardRow[];
  cards: ItemCardData[];
  nextCursor: string | undefined;
}

/**
 * /@handle/project (or an old slug of it) and a page of its published items, in one statement;
 * 404 unless an active creator has the handle and a project there.
 */
export async function loadProjectPage(
  db: Executor,
  handle: string,
  slug: string,
  after: Keyset | undefined,
): Promise<ProjectPageData> {
  const row =
    handle.length > 100
      ? undefined
      : await findProjectPage(db, handle, slug, { limit: PROJECT_PAGE_SIZE + 1, after });
  if (!row) throw notFound('creator');
  if (!row.project) throw notFound('project');
  const avatar = row.avatar ? toImageRef(row.avatar) : undefined;
  const creator = toCreatorProfile(row.creator, avatar);
  const page = row.items.slice(0, PROJECT_PAGE_SIZE);
  const last = page.at(-1);
  return {
    creator,
    project: row.project,
    cover: row.cover ? toImageRef(row.cover) : undefined,
    rows: page,
    cards: page.map((card) => toItemCard(card, creator.displayName, new Map())),
    nextCursor:
      row.items.length > PROJECT_PAGE_SIZE && last
        ? encodeCursor({ position: last.position, id: last.id })
        : undefined,
  };
}

export const decodeProjectCursor = decodeCursor;

/** Everything the item page shows, already formatted; markdown as stored, sanitised. */
export async function loadItemPage(
  deps: Pick<CatalogDeps, 'db' | 'loadMedia'>,
  principal: Principal | undefined,
  creator: CreatorProfile,
  found: FoundItemPage,
  access: Access,
): Promise<ItemPageProps & { coverLargest: string | undefined; tags: string[] }> {
  const { db } = deps;
  const { project, item } = found;
  const isOwner = principal?.user.id === item.creator_id;
  const [bundleRows, media] = await Promise.all([
    item.type === 'bundle'
      ? listBundleContents(db, item.id, { includeHidden: isOwner })
      : Promise.resolve(undefined),
    // an item without files has no player and no downloads: the files module need not be asked
    found.has_files ? deps.loadMedia(item.id, access) : Promise.resolve(NO_MEDIA),
  ]);
  const bundleCovers = bundleRows ? await findCovers(db, bundleRows) : undefined;
  const cover = found.cover ? toImageRef(found.cover) : undefined;
  const projectUrl = projectPath(creator.handle, project.slug);
  const action = itemAction(item, access, { isOwner, projectUrl });
  return {
    title: item.title,
    kindLabel: kindLabel(item.type),
    cover,
    coverLargest: cover?.largest,
    creatorName: creator.displayName,
    creatorUrl: creatorPath(creator.handle),
    projectTitle: project.title,
    projectUrl,
    priceLabel: priceLabel(item, item.currency),
    aiTier: item.ai_tier,
    aiStatement: item.ai_statement,
    releaseDate: item.release_date,
    credits: item.credits,
    tags: found.tags,
    safeDescriptionHtml: safeHtmlOf(item.description, item.description_html),
    reading: item.type === 'text' ? readingOf(item, access, action) : undefined,
    media,
    forWhom: item.price_model === 'members' ? 'members' : 'buyers',
    versions: found.versions.map((version) => ({
      version: version.version,
      releasedAt: version.released_at.toISOString(),
      safeChangelogHtml: safeHtmlOf(version.changelog, version.changelog_html),
    })),
    chapters: found.chapters.map((chapter) => ({
      startSeconds: chapter.start_seconds,
      title: chapter.title,
    })),
    bundle:
      bundleRows && bundleCovers
        ? bundleRows.map((row) => toItemCard(row, creator.displayName, bundleCovers))
        : undefined,
    ownerNotice: isOwner && item.status !== 'published' ? item.status : undefined,
    editHref: isOwner ? `/dashboard/items/${item.id}` : undefined,
    keptUntil: access.level === 'full' ? access.until : undefined,
    permalink: permalinkPath(item.id),
    action,
  };
}

const NO_MEDIA = { player: undefined, downloads: [], downloadsLocked: false };

/** A text item's words for this visitor: all of them, or the free part and where the rest is. */
export function readingOf(
  item: TextSource & Pick<PublicItemRow, 'price_model'>,
  access: Access,
  action: ItemPageProps['action'],
): ReadingView | undefined {
  const text = readableHtml(item, access);
  if (text.full) return text.safeHtml === '' ? undefined : { safeHtml: text.safeHtml };
  return {
    safeHtml: text.safeHtml,
    locked: {
      forWhom: item.price_model === 'members' ? 'members' : 'buyers',
      ...(action &&
        action.kind !== 'owned' && { action: { href: action.href, label: action.label } }),
    },
  };
}

/** What the visitor can do next with the item: buy it, join for it, or find it in the library. */
function itemAction(
  item: PublicItemRow,
  access: Access,
  visitor: { isOwner: boolean; projectUrl: string },
): ItemPageProps['action'] {
  if (visitor.isOwner || item.status === 'draft') return undefined;
  if (access.level === 'full' && access.because === 'holder') {
    return { kind: 'owned', href: '/library', label: 'In your library' };
  }
  // A departed creator's work is on sale no more; the page shows only to those who have it.
  if (item.creator_status !== 'active') return undefined;
  switch (item.price_model) {
    case 'free':
      return undefined; // it plays, reads and downloads for everyone already
    case 'members':
      return { kind: 'join', href: `${visitor.projectUrl}/membership`, label: 'Join to get it' };
    case 'fixed':
      return { kind: 'buy', href: `/buy/${item.id}`, label: 'Buy now' };
    case 'pwyw':
      return { kind: 'buy', href: `/buy/${item.id}`, label: 'Name your price' };
  }
}

export interface FeedData {
  rows: CardRow[];
  cards: ItemCardData[];
  nextCursor: string | undefined;
}

export async function loadFeed(
  db: Executor,
  filter: Omit<NewestFilter, 'limit'>,
): Promise<FeedData> {
  const rows = await listNewestItems(db, { ...filter, limit: FEED_PAGE_SIZE + 1 });
  const page = rows.slice(0, FEED_PAGE_SIZE);
  const last = page.at(-1);
  return {
    rows: page,
    cards: toItemCards(page),
    nextCursor:
      rows.length > FEED_PAGE_SIZE && last?.published_key
        ? encodeNewestCursor({ publishedAt: last.published_key, id: last.id })
        : undefined,
  };
}

export function encodeNewestCursor(keyset: NewestKeyset): string {
  return Buffer.from(`${keyset.publishedAt}~${keyset.id}`).toString('base64url');
}

/** undefined for anything that is not a cursor we made. */
export function decodeNewestCursor(cursor: string): NewestKeyset | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~([0-9a-f-]{36})$/i.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match?.[1] || !match[2]) return undefined;
  return { publishedAt: match[1], id: match[2] };
}
