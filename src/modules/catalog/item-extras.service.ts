// What some item types carry beyond the common fields: versions with changelogs (software,
// downloads, audio, video), chapters (audio) and bundle contents (bundles); and the order of a
// creator's projects and of a project's items. Writes are authorised like item edits.
import type { Executor } from '../../db/database.js';
import type { ItemType } from '../../db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/auth.js';
import { authorize } from './catalog.policy.js';
import type { ItemJson } from './catalog.responses.js';
import {
  isUuid,
  type ChapterInput,
  type VersionInput,
  type VersionPatch,
} from './catalog.schemas.js';
import {
  countBundleContents,
  deleteVersion,
  findBundleableIds,
  findVersionRow,
  insertVersion,
  isVersionTaken,
  listBundleRows,
  listChapterRows,
  listIdsInOrder,
  listVersionRows,
  replaceBundleContents,
  replaceChapters,
  setPositions,
  updateVersion,
  type VersionRow,
} from './item-extras.repository.js';
import type { ItemRow } from './items.repository.js';
import { viewerOf } from '../access/index.js';
import { loadItem, loadVisibleItem, presentMany } from './items.service.js';
import { loadProject, type CatalogDeps } from './projects.service.js';

export const VERSIONED_TYPES: ReadonlySet<ItemType> = new Set([
  'software',
  'digital',
  'audio',
  'video',
]);

export interface VersionJson {
  id: string;
  version: string;
  changelog: string;
  released_at: string;
}

export interface ChapterJson {
  start_seconds: number;
  title: string;
}

const toVersionJson = (row: VersionRow): VersionJson => ({
  id: row.id,
  version: row.version,
  changelog: row.changelog,
  released_at: row.released_at.toISOString(),
});

const versionTaken = () =>
  new AppError('VERSION_TAKEN', 409, 'This item already has that version.', {
    fields: { version: 'This item already has that version.' },
  });

function assertVersioned(item: ItemRow) {
  if (!VERSIONED_TYPES.has(item.type)) {
    throw new AppError(
      'VERSIONS_NOT_SUPPORTED',
      422,
      'Only software, downloads, audio and video have versions.',
    );
  }
}

// ---- versions

/** Newest first. The caller has already decided the item may be seen. */
export async function listVersions(db: Executor, itemId: string): Promise<VersionJson[]> {
  return (await listVersionRows(db, itemId)).map(toVersionJson);
}

export async function getVersions(
  deps: CatalogDeps,
  principal: Principal | undefined,
  itemId: string,
): Promise<VersionJson[]> {
  const { item } = await loadVisibleItem(deps, viewerOf(principal), itemId);
  return listVersions(deps.db, item.id);
}

export async function addVersion(
  deps: CatalogDeps,
  principal: Principal,
  itemId: string,
  input: VersionInput,
): Promise<VersionJson> {
  return deps.db.transaction().execute(async (trx) => {
    const item = await loadItem(trx, principal, 'item.edit', itemId);
    assertVersioned(item);
    if (await isVersionTaken(trx, item.id, input.version)) throw versionTaken();
    const id = await insertVersion(trx, {
      item_id: item.id,
      version: input.version,
      changelog: input.changelog ?? '',
    });
    const row = await findVersionRow(trx, item.id, id);
    if (!row) throw notFound('version');
    return toVersionJson(row);
  });
}

async function loadVersion(db: Executor, item: ItemRow, versionId: string) {
  const row = isUuid(versionId) ? await findVersionRow(db, item.id, versionId) : undefined;
  if (!row) throw notFound('version');
  return row;
}

export async function changeVersion(
  deps: CatalogDeps,
  principal: Principal,
  itemId: string,
  versionId: string,
  input: VersionPatch,
): Promise<VersionJson> {
  return deps.db.transaction().execute(async (trx) => {
    const item = await loadItem(trx, principal, 'item.edit', itemId);
    const version = await loadVersion(trx, item, versionId);
    if (
      input.version !== undefined &&
      (await isVersionTaken(trx, item.id, input.version, version.id))
    ) {
      throw versionTaken();
    }
    await updateVersion(trx, version.id, {
      ...(input.version !== undefined && { version: input.version }),
      ...(input.changelog !== undefined && { changelog: input.changelog }),
    });
    return toVersionJson(await loadVersion(trx, item, version.id));
  });
}

export async function removeVersion(
  deps: CatalogDeps,
  principal: Principal,
  itemId: string,
  versionId: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const item = await loadItem(trx, principal, 'item.edit', itemId);
    const version = await loadVersion(trx, item, versionId);
    await deleteVersion(trx, version.id);
  });
}

// ---- chapters

export async function listChapters(db: Executor, itemId: string): Promise<ChapterJson[]> {
  return listChapterRows(db, itemId);
}

export async function getChapters(
  deps: CatalogDeps,
  principal: Principal | undefined,
  itemId: string,
): Promise<ChapterJson[]> {
  const { item } = await loadVisibleItem(deps, viewerOf(principal), itemId);
  return listChapters(deps.db, item.id);
}

/** Replaces the whole list; start times must be distinct. */
export async function setChapters(
  deps: CatalogDeps,
  principal: Principal,
  itemId: string,
  chapters: readonly ChapterInput[],
): Promise<ChapterJson[]> {
  return deps.db.transaction().execute(async (trx) => {
    const item = await loadItem(trx, principal, 'item.edit', itemId);
    if (item.type !== 'audio') {
      throw new AppError('CHAPTERS_AUDIO_ONLY', 422, 'Only audio items have chapters.');
    }
    const sorted = [...chapters].sort((a, b) => a.start_seconds - b.start_seconds);
    const clash = sorted.findIndex(
      (c, i) => i > 0 && sorted[i - 1]?.start_seconds === c.start_seconds,
    );
    if (clash !== -1) {
      throw new AppError('CHAPTERS_OVERLAP', 422, 'Two chapters start at the same time.', {
        fields: { chapters: 'Give each chapter its own start time.' },
      });
    }
    await replaceChapters(trx, item.id, sorted);
    return listChapters(trx, item.id);
  });
}

// ---- bundles

export async function listBundleContents(
  db: Executor,
  bundleId: string,
  options: { includeHidden: boolean },
): Promise<ItemRow[]> {
  return listBundleRows(db, bundleId, options);
}

export async function getBundleContents(
  deps: CatalogDeps,
  principal: Principal | undefined,
  bundleId: string,
): Promise<ItemJson[]> {
  const viewer = viewerOf(principal);
  const { item: bundle } = await loadVisibleItem(deps, viewer, bundleId);
  const isOwner = principal?.user.id === bundle.creator_id;
  const rows = await listBundleRows(deps.db, bundle.id, { includeHidden: isOwner });
  return presentMany(deps, deps.db, rows, viewer);
}

/** Replaces a bundle's contents: the creator's own items, no bundles, no repeats. */
export async function setBundleContents(
  deps: CatalogDeps,
  principal: Principal,
  bundleId: string,
  itemIds: readonly string[],
): Promise<ItemJson[]> {
  return deps.db.transaction().execute(async (trx) => {
    const bundle = await loadItem(trx, principal, 'item.edit', bundleId);
    if (bundle.type !== 'bundle') {
      throw new AppError('NOT_A_BUNDLE', 422, 'Only bundles contain other items.');
    }
    const unique = [...new Set(itemIds)];
    const valid = unique.every(isUuid)
      ? await findBundleableIds(trx, bundle.creator_id, unique)
      : new Set<string>();
    const foreign = unique.find((id) => !valid.has(id) || id === bundle.id);
    if (foreign !== undefined) {
      throw new AppError(
        'BUNDLE_ITEM_INVALID',
        422,
        'A bundle holds only your own items, and no other bundles.',
        { fields: { item_ids: 'Choose among your own items that are not bundles.' } },
      );
    }
    await replaceBundleContents(trx, bundle.id, unique);
    return presentMany(
      deps,
      trx,
      await listBundleRows(trx, bundle.id, { includeHidden: true }),
      viewerOf(principal),
    );
  });
}

export async function countBundle(db: Executor, bundleId: string): Promise<number> {
  return countBundleContents(db, bundleId);
}

// ---- ordering

/**
 * Puts the listed ids first, in that order; ids left out keep their relative order after them.
 * Ids that are not in the scope answer 422, so a list cannot move someone else's rows.
 */
async function reorder(
  trx: Executor,
  table: 'items' | 'projects',
  scope: { column: 'project_id' | 'creator_id'; value: string },
  ids: readonly string[],
): Promise<void> {
  const current = await listIdsInOrder(trx, table, scope);
  const known = new Set(current);
  const wanted = [...new Set(ids)];
  if (wanted.some((id) => !known.has(id))) {
    throw new AppError('ORDER_INVALID', 422, 'List only ids from this list.', {
      fields: { ids: 'Some ids are not in this list.' },
    });
  }
  const listed = new Set(wanted);
  await setPositions(trx, table, scope, [...wanted, ...current.filter((id) => !listed.has(id))]);
}

export async function reorderItems(
  deps: CatalogDeps,
  principal: Principal,
  projectId: string,
  itemIds: readonly string[],
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const project = await loadProject(trx, principal, 'project.edit', projectId);
    await reorder(trx, 'items', { column: 'project_id', value: project.id }, itemIds);
  });
}

export async function reorderProjects(
  deps: CatalogDeps,
  principal: Principal,
  projectIds: readonly string[],
): Promise<void> {
  authorize(principal, 'project.create');
  await deps.db.transaction().execute(async (trx) => {
    await reorder(trx, 'projects', { column: 'creator_id', value: principal.user.id }, projectIds);
  });
}
