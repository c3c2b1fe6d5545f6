// Use cases behind the public pages: find the creator, project or item a URL names (only
// active creators; drafts only for their creator), and load what each page shows.
import type { Executor } from '../../../db/database.js';
import { notFound } from '../../../platform/errors.js';
import type { Principal } from '../../../platform/http/auth.js';
import { markdownToText, renderMarkdown } from '../../../platform/markdown/index.js';
import type { ItemCardData, ProjectCardData } from '../../../platform/views/cards.js';
import { can } from '../catalog.policy.js';
import { decodeCursor, encodeCursor } from '../catalog.responses.js';
import { findImageRef } from '../images.service.js';
import {
  listBundleContents,
  listChapters,
  listVersions,
  VERSIONED_TYPES,
} from '../item-extras.service.js';
import { listItemsOfProject, type ItemRow } from '../items.repository.js';
import { findCreatorProfile, type CreatorProfile } from '../profile.service.js';
import type { CatalogDeps } from '../projects.service.js';
import {
  findProjectBySlug,
  listProjectsByCreator,
  type Keyset,
  type ProjectRow,
} from '../projects.repository.js';
import {
  findItemInProject,
  findPublicItemById,
  listNewestItems,
  type NewestFilter,
  type NewestKeyset,
  type PublicItemRow,
} from '../public.repository.js';
import { findTagsOfItems } from '../tags.repository.js';
import { findCovers, toItemCard, toItemCards, toProjectCard } from './card-data.js';
import { kindLabel, priceLabel } from './format.js';
import type { ItemPageProps } from './item-page.js';
import { creatorPath, itemPath, permalinkPath, projectPath } from './urls.js';

export const FEED_PAGE_SIZE = 24;
const PROJECT_PAGE_SIZE = 48;
const CREATOR_LATEST = 8;
const CREATOR_PROJECTS = 60;

export async function requireCreator(db: Executor, handle: string): Promise<CreatorProfile> {
  const creator = await findCreatorProfile(db, handle);
  if (!creator) throw notFound('creator');
  return creator;
}

export async function requireProject(
  db: Executor,
  creator: CreatorProfile,
  slug: string,
): Promise<{ project: ProjectRow; redirected: boolean }> {
  const found = await findProjectBySlug(db, creator.handle, slug);
  if (found?.project.creator_id !== creator.id) throw notFound('project');
  return found;
}

/** The item at this slug if the principal may see it; a draft is 404 to all but its creator. */
export async function requireVisibleItem(
  db: Executor,
  principal: Principal | undefined,
  project: ProjectRow,
  slug: string,
): Promise<PublicItemRow> {
  const item = await findItemInProject(db, project.id, slug);
  if (!item || !can(principal, 'item.view', { ...item, kind: 'item' })) throw notFound('item');
  return item;
}

/** For /i/<id>: the item's pretty path, when the principal may see it. */
export async function findPermalinkTarget(
  db: Executor,
  principal: Principal | undefined,
  id: string,
): Promise<string> {
  const item = await findPublicItemById(db, id);
  if (!item || !can(principal, 'item.view', { ...item, kind: 'item' })) throw notFound('item');
  // A creator who stopped creating keeps their rows; their work is not public any more.
  const creator = await findCreatorProfile(db, item.handle);
  if (!creator && principal?.user.id !== item.creator_id) throw notFound('item');
  return itemPath(item.handle, item.project_slug, item.slug);
}

export interface CreatorPageData {
  projects: ProjectCardData[];
  latest: ItemCardData[];
}

export async function loadCreatorPage(
  db: Executor,
  creator: CreatorProfile,
): Promise<CreatorPageData> {
  const [projects, latest] = await Promise.all([
    listProjectsByCreator(db, creator.id, CREATOR_PROJECTS),
    listNewestItems(db, { creatorId: creator.id, limit: CREATOR_LATEST }),
  ]);
  const covers = await findCovers(db, [...projects, ...latest]);
  return {
    projects: projects.map((project) => toProjectCard(project, covers)),
    latest: toItemCards(latest, covers),
  };
}

export interface ProjectPageData {
  rows: ItemRow[];
  cards: ItemCardData[];
  nextCursor: string | undefined;
}

export async function loadProjectItems(
  db: Executor,
  creator: CreatorProfile,
  project: ProjectRow,
  after: Keyset | undefined,
): Promise<ProjectPageData> {
  const rows = await listItemsOfProject(db, project.id, {
    includeHidden: false,
    limit: PROJECT_PAGE_SIZE + 1,
    after,
  });
  const page = rows.slice(0, PROJECT_PAGE_SIZE);
  const last = page.at(-1);
  const covers = await findCovers(db, page);
  return {
    rows: page,
    cards: page.map((row) => toItemCard(row, creator.displayName, covers)),
    nextCursor:
      rows.length > PROJECT_PAGE_SIZE && last
        ? encodeCursor({ position: last.position, id: last.id })
        : undefined,
  };
}

export const decodeProjectCursor = decodeCursor;

/** Everything the item page shows, already formatted; markdown rendered and sanitised. */
export async function loadItemPage(
  deps: Pick<CatalogDeps, 'db' | 'owns' | 'loadMedia'>,
  principal: Principal | undefined,
  creator: CreatorProfile,
  project: ProjectRow,
  item: PublicItemRow,
): Promise<ItemPageProps & { coverLargest: string | undefined; tags: string[] }> {
  const { db } = deps;
  const isOwner = principal?.user.id === item.creator_id;
  const owned =
    item.price_model !== 'free' &&
    principal !== undefined &&
    !isOwner &&
    (await deps.owns(principal.user.id, item.id));
  // Paid text is read in full by its creator and those who own it; others get the opening.
  const readsAll = item.type !== 'text' || item.price_model === 'free' || isOwner || owned;
  const [cover, tagMap, versions, chapters, bundleRows, media] = await Promise.all([
    findImageRef(db, item.cover_image_id),
    findTagsOfItems(db, [item.id]),
    VERSIONED_TYPES.has(item.type) ? listVersions(db, item.id) : Promise.resolve([]),
    item.type === 'audio' ? listChapters(db, item.id) : Promise.resolve([]),
    item.type === 'bundle'
      ? listBundleContents(db, item.id, { includeHidden: isOwner })
      : Promise.resolve(undefined),
    deps.loadMedia(principal, item.id),
  ]);
  const bundleCovers = bundleRows ? await findCovers(db, bundleRows) : undefined;
  return {
    title: item.title,
    kindLabel: kindLabel(item.type),
    cover,
    coverLargest: cover?.largest,
    creatorName: creator.displayName,
    creatorUrl: creatorPath(creator.handle),
    projectTitle: project.title,
    projectUrl: projectPath(creator.handle, project.slug),
    priceLabel: priceLabel(item, item.currency),
    aiTier: item.ai_tier,
    aiStatement: item.ai_statement,
    releaseDate: item.release_date,
    credits: item.credits,
    tags: tagMap.get(item.id) ?? [],
    safeDescriptionHtml: item.description ? renderMarkdown(item.description) : '',
    safeBodyHtml:
      item.type === 'text' && item.body && readsAll ? renderMarkdown(item.body) : undefined,
    bodyExcerpt:
      item.type === 'text' && item.body && !readsAll ? markdownToText(item.body, 600) : undefined,
    media,
    versions: versions.map((version) => ({
      version: version.version,
      releasedAt: version.released_at,
      safeChangelogHtml: version.changelog ? renderMarkdown(version.changelog) : '',
    })),
    chapters: chapters.map((chapter) => ({
      startSeconds: chapter.start_seconds,
      title: chapter.title,
    })),
    bundle:
      bundleRows && bundleCovers
        ? bundleRows.map((row) => toItemCard(row, creator.displayName, bundleCovers))
        : undefined,
    ownerNotice: isOwner && item.status !== 'published' ? item.status : undefined,
    permalink: permalinkPath(item.id),
    action: itemAction(item, {
      isOwner,
      owned,
      projectUrl: projectPath(creator.handle, project.slug),
    }),
  };
}

/** What the visitor can do next with the item: buy it, join for it, or find it in the library. */
function itemAction(
  item: PublicItemRow,
  visitor: { isOwner: boolean; owned: boolean; projectUrl: string },
): ItemPageProps['action'] {
  if (visitor.isOwner || item.status === 'draft') return undefined;
  if (visitor.owned) return { kind: 'owned', href: '/library', label: 'In your library' };
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
  rows: PublicItemRow[];
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
  const covers = await findCovers(db, page);
  return {
    rows: page,
    cards: toItemCards(page, covers),
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
