// The creator page's and the project page's one statement each (issue 17): the creator by
// handle with their avatar, and either their projects and newest releases, or one project (by
// slug or an old slug it moved from) with its cover and a page of its published items, each
// card with its cover. Constant texts run through Kysely (executeQuery), as item-page.repository.
import { CompiledQuery } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ImageRow } from './images.repository.js';
import type { CreatorRow } from './item-page.repository.js';
import type { ProjectRow } from './projects.repository.js';
import type { CardRow } from './public.repository.js';

const IMAGE = `select id, owner_id, purpose, width, height, variants from images`;

const CREATOR = `jsonb_build_object('id', c.id, 'handle', c.handle, 'display_name', c.display_name,
  'bio', c.bio, 'bio_html', c.bio_html, 'bio_text', c.bio_text, 'links', c.links,
  'tips_enabled', c.tips_enabled, 'currency', c.currency, 'is_creator', c.is_creator,
  'status', c.status) as creator,
  (select to_jsonb(a) from (${IMAGE} where id = c.avatar_image_id) a) as avatar`;

/** A card of item `i` in project `pr` by creator `c` (CardRow), plus its sort keys. */
const CARD = `i.id, i.slug, i.title, i.type, i.price_model, i.price_amount, i.price_minimum,
  i.price_suggested, i.currency, i.position, i.cover_image_id, c.handle, c.display_name,
  pr.slug as project_slug, i.published_at,
  to_char(i.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as published_key,
  (select to_jsonb(x) from (${IMAGE} where id = i.cover_image_id) x) as cover`;

export interface ProjectCardRow {
  id: string;
  slug: string;
  title: string;
  handle: string;
  cover: ImageRow | null;
}

export interface CreatorPageRow {
  creator: CreatorRow;
  avatar: ImageRow | null;
  projects: ProjectCardRow[];
  latest: CardRow[];
}

// Active creators only; their projects in order, their newest published items.
const CREATOR_PAGE = `
select ${CREATOR},
       (select coalesce(jsonb_agg(p order by p.position, p.id), '[]')
          from (select pp.id, pp.slug, pp.title, pp.position, c.handle,
                       (select to_jsonb(x) from (${IMAGE} where id = pp.cover_image_id) x) as cover
                  from projects pp
                 where pp.creator_id = c.id
                 order by pp.position, pp.id
                 limit $2) p) as projects,
       (select coalesce(jsonb_agg(to_jsonb(l) - 'published_at'
                                  order by l.published_at desc, l.id desc), '[]')
          from (select ${CARD}
                  from items i
                  join projects pr on pr.id = i.project_id
                 where i.creator_id = c.id and i.status = 'published'
                 order by i.published_at desc, i.id desc
                 limit $3) l) as latest
  from users c
 where lower(c.handle) = $1 and c.is_creator and c.status = 'active'`;

/** /@handle: undefined when no active creator has this handle (any letter case). */
export async function findCreatorPage(
  db: Executor,
  handle: string,
  limits: { projects: number; latest: number },
): Promise<CreatorPageRow | undefined> {
  const { rows } = await db.executeQuery<CreatorPageRow>(
    CompiledQuery.raw(CREATOR_PAGE, [handle.toLowerCase(), limits.projects, limits.latest]),
  );
  return rows[0];
}

type JsonProjectRow = Omit<ProjectRow, 'created_at' | 'updated_at'> & {
  created_at: string;
  updated_at: string;
  redirected: boolean;
};

export interface ProjectPageRow {
  creator: CreatorRow;
  avatar: ImageRow | null;
  /** null: no project at that slug */
  project: (ProjectRow & { redirected: boolean }) | null;
  cover: ImageRow | null;
  /** the page's published items in order (one more than asked: whether more follow) */
  items: CardRow[];
}

interface RawProjectPageRow extends Omit<ProjectPageRow, 'project' | 'items'> {
  project: JsonProjectRow | null;
  items: CardRow[] | null;
}

// Active creators only; the project by slug, else by an old slug; its items after the keyset.
const PROJECT_PAGE = `
select ${CREATOR},
       to_jsonb(p) - 'search_vector' as project,
       (select to_jsonb(x) from (${IMAGE} where id = p.cover_image_id) x) as cover,
       (select coalesce(jsonb_agg(to_jsonb(l) - 'published_at' order by l.position, l.id), '[]')
          from (select ${CARD}
                  from items i
                  join projects pr on pr.id = i.project_id
                 where i.project_id = p.id and i.status = 'published'
                   and ($4::int is null or (i.position, i.id) > ($4::int, $5::uuid))
                 order by i.position, i.id
                 limit $3) l) as items
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
 where lower(c.handle) = $1 and c.is_creator and c.status = 'active'`;

/** /@handle/project: undefined when no active creator has this handle. */
export async function findProjectPage(
  db: Executor,
  handle: string,
  slug: string,
  page: { limit: number; after: { position: number; id: string } | undefined },
): Promise<ProjectPageRow | undefined> {
  const { rows } = await db.executeQuery<RawProjectPageRow>(
    CompiledQuery.raw(PROJECT_PAGE, [
      handle.toLowerCase(),
      slug,
      page.limit,
      page.after?.position ?? null,
      page.after?.id ?? null,
    ]),
  );
  const row = rows[0];
  if (!row) return undefined;
  const { project } = row;
  return {
    ...row,
    project: project && {
      ...project,
      created_at: new Date(project.created_at),
      updated_at: new Date(project.updated_at),
    },
    items: row.items ?? [],
  };
}
