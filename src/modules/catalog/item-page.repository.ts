// The item page's one statement (issue 17): the creator by handle, the project by slug (or the
// old slug it moved from), the item by slug, with the creator's avatar, the item's cover, tags,
// versions, chapters and whether it has files, in one round trip instead of eight. The text is
// a constant, so no query is built per request. Kysely (executeQuery) runs it, so pinned
// transactions and read routing apply as to every other read.
import { CompiledQuery } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ProfileLink, UserStatus } from '../../db/schema.js';
import type { ImageRow } from './images.repository.js';
import type { ProjectRow } from './projects.repository.js';
import type { PublicItemRow } from './public.repository.js';

/** JSON carries timestamps as text; these keys are turned back into dates. */
type Jsonified<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: null extends T[P] ? string | null : string;
};

type ItemDates = 'published_at' | 'created_at' | 'updated_at' | 'creator_left_at';
type ProjectDates = 'created_at' | 'updated_at';

export interface CreatorRow {
  id: string;
  handle: string;
  display_name: string;
  bio: string;
  bio_html: string | null;
  bio_text: string | null;
  links: ProfileLink[];
  tips_enabled: boolean;
  currency: string;
  is_creator: boolean;
  status: UserStatus;
}

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

const IMAGE = `select id, owner_id, purpose, width, height, variants from images`;

// Versions for software, downloads, audio and video (VERSIONED_TYPES); chapters for audio.
const ITEM_PAGE = `
select jsonb_build_object('id', c.id, 'handle', c.handle, 'display_name', c.display_name,
         'bio', c.bio, 'bio_html', c.bio_html, 'bio_text', c.bio_text, 'links', c.links,
         'tips_enabled', c.tips_enabled, 'currency', c.currency, 'is_creator', c.is_creator,
         'status', c.status) as creator,
       (select to_jsonb(a) from (${IMAGE} where id = c.avatar_image_id) a) as avatar,
       to_jsonb(p) - 'search_vector' as project,
       i.item, i.cover, i.tags, i.versions, i.chapters, i.has_files
  from users c
  left join lateral (
    select pp.*, c.handle, c.currency as creator_currency, c.status as creator_status,
           false as redirected
      from projects pp
     where pp.creator_id = c.id and lower(pp.slug) = lower($2)
    union all
    select pp.*, c.handle, c.currency, c.status, true
      from project_slug_redirects r
      join projects pp on pp.id = r.project_id
     where r.creator_id = c.id and pp.creator_id = c.id and lower(r.slug) = lower($2)
     order by redirected
     limit 1
  ) p on true
  left join lateral (
    select (to_jsonb(ii) - 'search_vector' - 'search_filters') || jsonb_build_object(
             'handle', c.handle, 'creator_currency', c.currency, 'creator_status', c.status,
             'creator_left_at', c.left_at, 'project_slug', p.slug,
             'display_name', c.display_name,
             'published_key',
             to_char(ii.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) as item,
           (select to_jsonb(x) from (${IMAGE} where id = ii.cover_image_id) x) as cover,
           array(select tag_path from item_tags where item_id = ii.id order by tag_path) as tags,
           case when ii.type in ('software', 'digital', 'audio', 'video') then
             (select coalesce(jsonb_agg(v order by v.released_at desc, v.created_at desc), '[]')
                from (select version, changelog, changelog_html, released_at, created_at
                        from item_versions where item_id = ii.id) v)
           end as versions,
           case when ii.type = 'audio' then
             (select coalesce(jsonb_agg(ch order by ch.start_seconds), '[]')
                from (select start_seconds, title from item_chapters where item_id = ii.id) ch)
           end as chapters,
           exists (select 1 from files where item_id = ii.id) as has_files
      from items ii
     where ii.project_id = p.id and lower(ii.slug) = lower($3)
  ) i on true
 where lower(c.handle) = $1 and c.is_creator`;

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
