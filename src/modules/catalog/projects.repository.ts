// Projects and their old slugs (Kysely only).
import { sql, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ProjectsTable, UserStatus } from '../../db/schema.js';
import { renderedProjectText } from './rendered-text.js';

export type ProjectRow = Selectable<ProjectsTable> & {
  handle: string;
  creator_currency: string;
  creator_status: UserStatus;
};

export interface Keyset {
  position: number;
  id: string;
}

function selectProjects(db: Executor) {
  return db
    .selectFrom('projects')
    .innerJoin('users', 'users.id', 'projects.creator_id')
    .selectAll('projects')
    .select([
      'users.handle',
      'users.currency as creator_currency',
      'users.status as creator_status',
    ]);
}

export async function findProjectById(db: Executor, id: string): Promise<ProjectRow | undefined> {
  return selectProjects(db).where('projects.id', '=', id).executeTakeFirst();
}

/** The project at /@handle/slug, or the one an old slug redirects to (pages redirect then). */
export async function findProjectBySlug(
  db: Executor,
  handle: string,
  slug: string,
): Promise<{ project: ProjectRow; redirected: boolean } | undefined> {
  const byHandle = sql<boolean>`lower(users.handle) = lower(${handle})`;
  const current = await selectProjects(db)
    .where(byHandle)
    .where(sql<boolean>`lower(projects.slug) = lower(${slug})`)
    .executeTakeFirst();
  if (current) return { project: current, redirected: false };
  const moved = await selectProjects(db)
    .innerJoin('project_slug_redirects as r', 'r.project_id', 'projects.id')
    .where(byHandle)
    .where(sql<boolean>`lower(r.slug) = lower(${slug})`)
    .executeTakeFirst();
  return moved && { project: moved, redirected: true };
}

export async function isProjectSlugTaken(
  db: Executor,
  creatorId: string,
  slug: string,
  exceptId?: string,
): Promise<boolean> {
  let query = db
    .selectFrom('projects')
    .select('id')
    .where('creator_id', '=', creatorId)
    .where(sql<boolean>`lower(slug) = lower(${slug})`);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertProject(
  db: Executor,
  row: {
    creator_id: string;
    slug: string;
    title: string;
    description: string;
    cover_image_id: string | null;
  },
): Promise<string> {
  const { id } = await db
    .insertInto('projects')
    .values({
      ...row,
      ...renderedProjectText(row),
      position: sql<number>`(select coalesce(max(position), 0) + 1 from projects where creator_id = ${row.creator_id})`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateProject(
  db: Executor,
  id: string,
  patch: Updateable<ProjectsTable>,
): Promise<void> {
  await db
    .updateTable('projects')
    .set({ ...patch, ...renderedProjectText(patch), updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** A slug now in use by a project stops being a redirect. */
export async function removeSlugRedirect(db: Executor, creatorId: string, slug: string) {
  await db
    .deleteFrom('project_slug_redirects')
    .where('creator_id', '=', creatorId)
    .where(sql<boolean>`lower(slug) = lower(${slug})`)
    .execute();
}

export async function addSlugRedirect(
  db: Executor,
  creatorId: string,
  slug: string,
  projectId: string,
) {
  await removeSlugRedirect(db, creatorId, slug);
  await db
    .insertInto('project_slug_redirects')
    .values({ creator_id: creatorId, slug, project_id: projectId })
    .execute();
}

export async function deleteProject(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('projects').where('id', '=', id).execute();
}

export async function countVisibleItems(db: Executor, projectId: string): Promise<number> {
  const { n } = await db
    .selectFrom('items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .where('status', '<>', 'draft')
    .executeTakeFirstOrThrow();
  return n;
}

export async function listProjectsByCreator(
  db: Executor,
  creatorId: string,
  limit: number,
  after?: Keyset,
): Promise<ProjectRow[]> {
  let query = selectProjects(db).where('projects.creator_id', '=', creatorId);
  if (after) {
    query = query.where(
      sql<boolean>`(projects.position, projects.id) > (${after.position}, ${after.id}::uuid)`,
    );
  }
  return query.orderBy('projects.position').orderBy('projects.id').limit(limit).execute();
}
