// Item use cases: create in a project, read, change, move, delete, publish, list.
import type { Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ItemsTable, ItemStatus } from '../../db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { NO_ACCESS, readableText, viewerOf, type Access, type Viewer } from '../access/index.js';
import { authorize, can } from './catalog.policy.js';
import { encodeCursor, toItemJson, type ItemJson } from './catalog.responses.js';
import {
  isUuid,
  slugify,
  type CreateItemInput,
  type ListQuery,
  type UpdateItemInput,
} from './catalog.schemas.js';
import {
  deleteItem,
  findItemById,
  findItemWithExtras,
  type ItemExtras,
  insertItem,
  isItemSlugTaken,
  listItemsOfCreator,
  listItemsOfProject,
  updateItem,
  type ItemRow,
} from './items.repository.js';
import { checkPrice } from './pricing.js';
import {
  freeSlug,
  loadProject,
  parseCursor,
  slugTaken,
  withSlugConflicts,
  type CatalogDeps,
} from './projects.service.js';
import { countBundleContents } from './item-extras.repository.js';
import { assertOwnImage, findImageRefs, toImageRef } from './images.service.js';
import { findUnmetRules, publishingError } from './publishing.js';
import { findTagsOfItems, setItemTags } from './tags.repository.js';
import { normaliseTags } from './tags.js';

/** The item its creator may change, or 404 for ids that are not ids or not theirs. */
export async function loadItem(
  db: Executor,
  principal: Principal | undefined,
  action: 'item.edit',
  id: string,
): Promise<ItemRow> {
  const item = isUuid(id) ? await findItemById(db, id) : undefined;
  if (!item) throw notFound('item');
  authorize(principal, action, { ...item, kind: 'item' });
  return item;
}

/** The item and what this viewer may have of it, or 404 when the access rule hides it. */
export async function loadVisibleItem(
  deps: CatalogDeps,
  viewer: Viewer,
  id: string,
): Promise<{ item: ItemRow; access: Access }> {
  const item = isUuid(id) ? await findItemById(deps.db, id) : undefined;
  const access = item ? await deps.access.decide(deps.db, viewer, item) : NO_ACCESS;
  if (!item || access.level === 'none') throw notFound('item');
  return { item, access };
}

/** The creator's own item after a change, read again inside the change's transaction. */
async function present(
  deps: CatalogDeps,
  db: Executor,
  principal: Principal,
  id: string,
): Promise<ItemJson> {
  const item = await findItemById(db, id);
  if (!item) throw notFound('item');
  const [json] = await presentMany(deps, db, [item], viewerOf(principal));
  if (!json) throw notFound('item');
  return json;
}

/**
 * Items as JSON for this viewer, with their tags and covers in one query each; the access rule
 * decides, item by item, whether the body is theirs to read. Rows the rule hides are left out.
 */
export async function presentMany(
  deps: CatalogDeps,
  db: Executor,
  rows: readonly (ItemRow & Partial<ItemExtras>)[],
  viewer: Viewer,
): Promise<ItemJson[]> {
  return presentDecided(deps, db, rows, await deps.access.decideMany(db, viewer, rows));
}

/** presentMany for a caller that has the rule's decisions already (and needs them itself). */
export async function presentDecided(
  deps: CatalogDeps,
  db: Executor,
  rows: readonly (ItemRow & Partial<ItemExtras>)[],
  decisions: ReadonlyMap<string, Access>,
): Promise<ItemJson[]> {
  // rows read with their tags and covers (findItemWithExtras, listItemsOfProject) need no more
  const carried = rows.every((row) => row.tags !== undefined && row.cover !== undefined);
  const [tags, covers] = carried
    ? [
        new Map(rows.map((row) => [row.id, row.tags ?? []])),
        new Map(
          rows.flatMap((row) =>
            row.cover ? [[row.cover.id, toImageRef(row.cover)] as const] : [],
          ),
        ),
      ]
    : await Promise.all([
        findTagsOfItems(
          db,
          rows.map((row) => row.id),
        ),
        findImageRefs(
          db,
          rows.map((row) => row.cover_image_id),
        ),
      ]);
  return rows.flatMap((row) => {
    const access = decisions.get(row.id) ?? NO_ACCESS;
    if (access.level === 'none') return [];
    return [
      toItemJson(
        row,
        readableText(row, access),
        tags.get(row.id) ?? [],
        deps.config.publicUrl,
        row.cover_image_id ? covers.get(row.cover_image_id) : undefined,
      ),
    ];
  });
}

/** Items others can see must meet every publishing rule; 422 with the first unmet one. */
async function assertPublishable(deps: CatalogDeps, db: Executor, id: string) {
  const item = await findItemById(db, id);
  if (!item) throw notFound('item');
  const bundleSize = item.type === 'bundle' ? await countBundleContents(db, item.id) : 0;
  const error = publishingError(
    await findUnmetRules(
      { ...item, bundle_size: bundleSize },
      item.creator_currency,
      deps.hasReadyFile,
    ),
  );
  if (error) throw error;
}

export async function createItem(
  deps: CatalogDeps,
  principal: Principal,
  projectId: string,
  input: CreateItemInput,
): Promise<ItemJson> {
  const tags = input.tags && normaliseTags(input.tags);
  const creating = deps.db.transaction().execute(async (trx) => {
    const project = await loadProject(trx, principal, 'project.edit', projectId);
    const price = checkPrice(input.price, project.creator_currency);
    if (input.cover_image_id) {
      await assertOwnImage(trx, principal, input.cover_image_id, 'cover', 'cover_image_id');
    }
    const taken = (slug: string) => isItemSlugTaken(trx, project.id, slug);
    let slug = input.slug;
    if (slug === undefined) slug = await freeSlug(slugify(input.title, 'item'), taken);
    else if (await taken(slug)) throw slugTaken();
    const id = await insertItem(trx, {
      project_id: project.id,
      creator_id: project.creator_id,
      type: input.type,
      title: input.title,
      slug,
      description: input.description ?? '',
      body: input.body ?? '',
      ...price,
      currency: project.creator_currency,
      ai_tier: input.ai_disclosure?.tier ?? null,
      ai_statement: input.ai_disclosure?.statement ?? null,
      release_date: input.release_date ?? null,
      credits: input.credits ?? '',
      cover_image_id: input.cover_image_id ?? null,
    });
    if (tags) await setItemTags(trx, id, tags);
    return present(deps, trx, principal, id);
  });
  return withSlugConflicts(creating);
}

export async function getItem(
  deps: CatalogDeps,
  principal: Principal | undefined,
  id: string,
): Promise<ItemJson> {
  const viewer = viewerOf(principal);
  const item = isUuid(id) ? await findItemWithExtras(deps.db, id) : undefined;
  // the row the rule decided on is the one shown: no second read of it
  const [json] = item ? await presentMany(deps, deps.db, [item], viewer) : [];
  if (!json) throw notFound('item');
  return json;
}

/** A project of the same creator; anything else is 404 on project_id. */
async function targetProject(db: Executor, principal: Principal, projectId: string) {
  return loadProject(db, principal, 'project.edit', projectId);
}

export async function changeItem(
  deps: CatalogDeps,
  principal: Principal,
  id: string,
  input: UpdateItemInput,
): Promise<ItemJson> {
  const tags = input.tags && normaliseTags(input.tags);
  const changing = deps.db.transaction().execute(async (trx) => {
    const item = await loadItem(trx, principal, 'item.edit', id);
    const project =
      input.project_id === undefined
        ? undefined
        : await targetProject(trx, principal, input.project_id);
    const projectId = project?.id ?? item.project_id;
    if (input.cover_image_id) {
      await assertOwnImage(trx, principal, input.cover_image_id, 'cover', 'cover_image_id');
    }
    let slug = input.slug;
    const taken = (s: string) => isItemSlugTaken(trx, projectId, s, item.id);
    if (slug !== undefined && (await taken(slug))) throw slugTaken();
    if (slug === undefined && projectId !== item.project_id)
      slug = await freeSlug(item.slug, taken);
    const patch: Updateable<ItemsTable> = {
      ...(input.title !== undefined && { title: input.title }),
      ...(slug !== undefined && { slug }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.body !== undefined && { body: input.body }),
      ...(projectId !== item.project_id && { project_id: projectId }),
      ...(input.price && {
        ...checkPrice(input.price, item.creator_currency),
        currency: item.creator_currency,
      }),
      ...(input.ai_disclosure !== undefined && {
        ai_tier: input.ai_disclosure?.tier ?? null,
        ai_statement: input.ai_disclosure?.statement ?? null,
      }),
      ...(input.release_date !== undefined && { release_date: input.release_date }),
      ...(input.credits !== undefined && { credits: input.credits }),
      ...(input.cover_image_id !== undefined && { cover_image_id: input.cover_image_id }),
      ...statusChange(item, input.status),
    };
    await updateItem(trx, item.id, patch);
    if (tags) await setItemTags(trx, item.id, tags);
    // What others can see keeps meeting the rules, whatever the change was.
    if ((input.status ?? item.status) !== 'draft') await assertPublishable(deps, trx, item.id);
    return present(deps, trx, principal, item.id);
  });
  return withSlugConflicts(changing);
}

function statusChange(item: ItemRow, status: ItemStatus | undefined): Updateable<ItemsTable> {
  if (status === undefined || status === item.status) return {};
  return {
    status,
    ...(status !== 'draft' && item.published_at === null && { published_at: new Date() }),
  };
}

export async function publishItem(
  deps: CatalogDeps,
  principal: Principal,
  id: string,
): Promise<ItemJson> {
  return deps.db.transaction().execute(async (trx) => {
    const item = await loadItem(trx, principal, 'item.edit', id);
    await assertPublishable(deps, trx, item.id);
    if (item.status !== 'published') {
      await updateItem(trx, item.id, {
        status: 'published',
        published_at: item.published_at ?? new Date(),
      });
    }
    return present(deps, trx, principal, item.id);
  });
}

export async function removeItem(deps: CatalogDeps, principal: Principal, id: string) {
  await refuseIfSold(
    deps.db.transaction().execute(async (trx) => {
      const item = await loadItem(trx, principal, 'item.edit', id);
      await deleteItem(trx, item.id);
    }),
  );
}

/** Sold work stays: its orders point at it (a foreign key decides, so no race gets past). */
export async function refuseIfSold<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error && error.code;
    if (code === '23503') {
      throw new AppError(
        'ITEM_SOLD',
        409,
        'Someone has bought this, so it cannot be deleted: unpublish it instead.',
      );
    }
    throw error;
  }
}

export async function listProjectItems(
  deps: CatalogDeps,
  principal: Principal | undefined,
  projectId: string,
  query: ListQuery,
) {
  const project = await loadProject(deps.db, principal, 'project.view', projectId);
  const rows = await listItemsOfProject(deps.db, project.id, {
    includeHidden: can(principal, 'project.edit', { ...project, kind: 'project' }),
    limit: query.limit + 1,
    after: parseCursor(query.cursor),
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await presentMany(deps, deps.db, page, viewerOf(principal)),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last) : null,
  };
}

/** Every item of the caller, in project then item order, for the dashboard (one query). */
export async function listAllMyItems(
  deps: CatalogDeps,
  principal: Principal,
  limit = 5000,
): Promise<ItemJson[]> {
  const rows = await listItemsOfCreator(deps.db, principal.user.id, limit);
  return presentMany(deps, deps.db, rows, viewerOf(principal));
}
