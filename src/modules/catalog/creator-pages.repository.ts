// The creator page's and the project page's one statement each (issue 17): the creator by
// handle with their avatar, and either their projects and newest releases, or one project (by
// slug or an old slug it moved from) with its cover and a page of its published items, each
// card with its cover. Stored functions (migration 0036), run as item-page.repository runs its.
import { CompiledQuery } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ImageRow } from './images.repository.js';
import type { CreatorRow } from './item-page.repository.js';
import type { ProjectRow } from './projects.repository.js';
import type { CardRow } from './public.repository.js';

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

// public_creator_page (migration 0036): active creators only; their projects in order, with
// covers, and their newest published items as cards.
const CREATOR_PAGE = 'select * from public_creator_page($1, $2, $3)';

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

// public_project_page (migration 0036): active creators only; the project by slug, else by an
// old slug; its cover; its published items after the keyset, in order, as cards.
const PROJECT_PAGE = 'select * from public_project_page($1, $2, $3, $4, $5)';

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
