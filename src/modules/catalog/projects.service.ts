// Project use cases: create, read, rename (old slugs redirect), delete, list.
import type { Config } from '../../config.js';
import type { Db, Executor } from '../../db/database.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import type { ObjectStore } from '../../platform/storage/index.js';
import { authorize } from './catalog.policy.js';
import { refuseIfSold } from './items.service.js';
import {
  decodeCursor,
  encodeCursor,
  toProjectJson,
  type ProjectJson,
} from './catalog.responses.js';
import {
  isUuid,
  slugify,
  type CreateProjectInput,
  type ListQuery,
  type UpdateProjectInput,
} from './catalog.schemas.js';
import { assertOwnImage, findImageRef, findImageRefs } from './images.service.js';
import type { AccessRule } from '../access/index.js';
import type { ItemFileLister, MediaLoader, ReadyFileCheck } from './publishing.js';
import type { TipThanksLoader } from './public/tip-thanks.js';
import type {
  CreatorNumbersLoader,
  PayoutAccountCheck,
  PosterFinder,
} from './dashboard/overview-facts.js';
import type { FileRemover, FileReplacer, PreviewClip } from './dashboard/file-changes.js';
import {
  addSlugRedirect,
  countVisibleItems,
  deleteProject,
  findProjectById,
  insertProject,
  isProjectSlugTaken,
  listProjectsByCreator,
  removeSlugRedirect,
  updateProject,
  type Keyset,
  type ProjectRow,
} from './projects.repository.js';

export interface CatalogDeps {
  db: Db;
  config: Readonly<Config>;
  store: ObjectStore;
  hasReadyFile: ReadyFileCheck;
  /** the one rule of who may read, play and download an item (src/modules/access) */
  access: AccessRule;
  /** the player and downloads an item page shows this visitor (the files module supplies it) */
  loadMedia: MediaLoader;
  /** an item's files for its creator's dashboard (the files module supplies it) */
  listFiles: ItemFileLister;
  /** the state of a tip a fan just paid, for the thanks on the page (payments supplies it) */
  tipThanks: TipThanksLoader;
  /** whether a project has tiers to join, for its page's Join link (memberships supplies it) */
  hasMembership: (projectId: string) => Promise<boolean>;
  /** the overview's sales, balances and latest sales (earnings supplies it; none: not shown) */
  creatorNumbers?: CreatorNumbersLoader | undefined;
  /** whether the creator's payout account is set up (payouts supplies it; none: not shown) */
  payoutAccount?: PayoutAccountCheck | undefined;
  /** video items with a poster frame, for thumbnails (the files module supplies it) */
  posters: PosterFinder;
  /** removes one of an item's files (the files module supplies it; none: no Remove action) */
  removeFile?: FileRemover | undefined;
  /** uploads a new version of one of them (the files module supplies it; none: no Replace) */
  replaceFile?: FileReplacer | undefined;
  /** the preview clip's start of audio and video items (the media module supplies it) */
  previewClip?: PreviewClip | undefined;
}

export const slugTaken = (field = 'slug') =>
  new AppError('SLUG_TAKEN', 409, 'That slug is already in use.', {
    fields: { [field]: 'That slug is already in use.' },
  });

/** Two requests racing for one slug: the unique index decides, the loser gets a 409. */
export async function withSlugConflicts<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error && error.code;
    if (code === '23505') throw slugTaken();
    throw error;
  }
}

/** The base slug, or base-2, base-3 … when taken. */
export async function freeSlug(base: string, isTaken: (slug: string) => Promise<boolean>) {
  for (let n = 1; n < 1000; n++) {
    const slug = n === 1 ? base : `${base.slice(0, 75)}-${n}`;
    if (!(await isTaken(slug))) return slug;
  }
  throw slugTaken();
}

export function parseCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  const keyset = decodeCursor(cursor);
  if (!keyset) {
    throw new AppError('VALIDATION_FAILED', 422, 'Some fields are not valid.', {
      fields: { cursor: 'This cursor is not one we gave out.' },
    });
  }
  return keyset;
}

/** The project, or 404 for ids that are not ids or not shown to this caller. */
export async function loadProject(
  db: Executor,
  principal: Principal | undefined,
  action: 'project.view' | 'project.edit',
  id: string,
): Promise<ProjectRow> {
  const project = isUuid(id) ? await findProjectById(db, id) : undefined;
  if (!project) throw notFound('project');
  authorize(principal, action, { ...project, kind: 'project' });
  return project;
}

export async function createProject(
  deps: CatalogDeps,
  principal: Principal,
  input: CreateProjectInput,
): Promise<ProjectJson> {
  authorize(principal, 'project.create');
  const creatorId = principal.user.id;
  const creating = deps.db.transaction().execute(async (trx) => {
    const taken = (slug: string) => isProjectSlugTaken(trx, creatorId, slug);
    let slug = input.slug;
    if (slug === undefined) slug = await freeSlug(slugify(input.title, 'project'), taken);
    else if (await taken(slug)) throw slugTaken();
    await removeSlugRedirect(trx, creatorId, slug);
    if (input.cover_image_id) {
      await assertOwnImage(trx, principal, input.cover_image_id, 'cover', 'cover_image_id');
    }
    return insertProject(trx, {
      creator_id: creatorId,
      slug,
      title: input.title,
      description: input.description ?? '',
      cover_image_id: input.cover_image_id ?? null,
    });
  });
  const id = await withSlugConflicts(creating);
  return getProject(deps, principal, id);
}

export async function getProject(
  deps: CatalogDeps,
  principal: Principal | undefined,
  id: string,
): Promise<ProjectJson> {
  const project = await loadProject(deps.db, principal, 'project.view', id);
  const cover = await findImageRef(deps.db, project.cover_image_id);
  return toProjectJson(project, deps.config.publicUrl, cover);
}

export async function changeProject(
  deps: CatalogDeps,
  principal: Principal,
  id: string,
  input: UpdateProjectInput,
): Promise<ProjectJson> {
  const changing = deps.db.transaction().execute(async (trx) => {
    const project = await loadProject(trx, principal, 'project.edit', id);
    if (input.cover_image_id) {
      await assertOwnImage(trx, principal, input.cover_image_id, 'cover', 'cover_image_id');
    }
    const slugChanged = input.slug !== undefined && input.slug !== project.slug;
    if (input.slug !== undefined && slugChanged) {
      if (await isProjectSlugTaken(trx, project.creator_id, input.slug, project.id)) {
        throw slugTaken();
      }
      await removeSlugRedirect(trx, project.creator_id, input.slug);
      if (input.slug.toLowerCase() !== project.slug.toLowerCase()) {
        await addSlugRedirect(trx, project.creator_id, project.slug, project.id);
      }
    }
    await updateProject(trx, project.id, {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.slug !== undefined && { slug: input.slug }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.cover_image_id !== undefined && { cover_image_id: input.cover_image_id }),
    });
  });
  await withSlugConflicts(changing);
  return getProject(deps, principal, id);
}

/** Deletes a project and its drafts; one with published or unlisted items is refused (409). */
export async function removeProject(deps: CatalogDeps, principal: Principal, id: string) {
  await refuseIfSold(
    deps.db.transaction().execute(async (trx) => {
      const project = await loadProject(trx, principal, 'project.edit', id);
      if ((await countVisibleItems(trx, project.id)) > 0) {
        throw new AppError(
          'PROJECT_NOT_EMPTY',
          409,
          'This project has published or unlisted items: unpublish or delete them first.',
        );
      }
      await deleteProject(trx, project.id);
    }),
  );
}

export async function listMyProjects(deps: CatalogDeps, principal: Principal, query: ListQuery) {
  const rows = await listProjectsByCreator(
    deps.db,
    principal.user.id,
    query.limit + 1,
    parseCursor(query.cursor),
  );
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const covers = await findImageRefs(
    deps.db,
    page.map((row) => row.cover_image_id),
  );
  return {
    items: page.map((row) =>
      toProjectJson(
        row,
        deps.config.publicUrl,
        row.cover_image_id ? covers.get(row.cover_image_id) : undefined,
      ),
    ),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}
