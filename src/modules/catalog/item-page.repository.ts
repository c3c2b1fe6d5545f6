// The item page's one statement (issue 17): the creator by handle, the project by slug (or the
// old slug it moved from), the item by slug, with the creator's avatar, the item's cover, tags,
// versions, chapters and whether it has files, in one round trip instead of eight. A stored
// function (migration 0036), so it is planned once per session and no query is built per
// request; Kysely (executeQuery) runs it, so pinned transactions and read routing apply as to
// every other read.
import { CompiledQuery } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ImageRow } from './images.repository.js';
import type { ProfileRow } from './profile.service.js';
import type { ProjectRow } from './projects.repository.js';
import type { PublicItemRow } from './public.repository.js';

/** JSON carries timestamps as text; these keys are turned back into dates. */
type Jsonified<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: null extends T[P] ? string | null : string;
};

type ItemDates = 'published_at' | 'created_at' | 'updated_at' | 'creator_left_at';
type ProjectDates = 'created_at' | 'updated_at';

/** The creator as the public pages show them: the profile's row. */
export type CreatorRow = ProfileRow;

export interface ItemPageVersionRow {
  version: string;
  changelog: string;
  changelog_html: string | null;
  released_at: Date;
}

export interface ItemPageRow {
  creator: CreatorRow;
  avatar: ImageRow | null;
  /** null: no project at that slug */
  project: (ProjectRow & { redirected: boolean }) | null;
  /** null: no item at that slug in the project */
  item: PublicItemRow | null;
  cover: ImageRow | null;
  tags: string[];
  versions: ItemPageVersionRow[];
  chapters: { start_seconds: number; title: string }[];
  /** whether the item has any file (the files module's player and downloads need asking) */
  has_files: boolean;
}

interface RawItemPageRow {
  creator: CreatorRow;
  avatar: ImageRow | null;
  project: (Jsonified<ProjectRow, ProjectDates> & { redirected: boolean }) | null;
  item: Jsonified<PublicItemRow, ItemDates> | null;
  cover: ImageRow | null;
  tags: string[] | null;
  versions: (Omit<ItemPageVersionRow, 'released_at'> & { released_at: string })[] | null;
  chapters: { start_seconds: number; title: string }[] | null;
  has_files: boolean | null;
}

/**
 * public_item_page (migration 0036): a PL/pgSQL function, so each session plans it once. Its
 * text: the creator by handle (any status: a departed creator's item may open for its holders),
 * the project by slug, else by an old slug (redirected), the item by slug, with the avatar and
 * cover image rows, tags, versions (software, downloads, audio, video), chapters (audio) and
 * whether the item has files.
 */
const ITEM_PAGE = 'select * from public_item_page($1, $2, $3)';

const toDate = (value: string) => new Date(value);
const toDateOrNull = (value: string | null) => (value === null ? null : new Date(value));

/**
 * What /@handle/project/item shows, whatever the creator's, project's or item's status (the
 * caller decides what the viewer may see); undefined when no creator has this handle.
 */
export async function findItemPage(
  db: Executor,
  handle: string,
  projectSlug: string,
  itemSlug: string,
): Promise<ItemPageRow | undefined> {
  const { rows } = await db.executeQuery<RawItemPageRow>(
    CompiledQuery.raw(ITEM_PAGE, [handle.toLowerCase(), projectSlug, itemSlug]),
  );
  const row = rows[0];
  if (!row) return undefined;
  const { project, item } = row;
  return {
    creator: row.creator,
    avatar: row.avatar,
    project: project && {
      ...project,
      created_at: toDate(project.created_at),
      updated_at: toDate(project.updated_at),
    },
    item: item && {
      ...item,
      published_at: toDateOrNull(item.published_at),
      created_at: toDate(item.created_at),
      updated_at: toDate(item.updated_at),
      creator_left_at: toDateOrNull(item.creator_left_at),
    },
    cover: row.cover,
    tags: row.tags ?? [],
    versions: (row.versions ?? []).map((v) => ({ ...v, released_at: toDate(v.released_at) })),
    chapters: row.chapters ?? [],
    has_files: row.has_files === true,
  };
}
