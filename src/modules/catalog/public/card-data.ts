// Rows → the plain view data the shared cards render, with covers looked up in one query.
import type { Executor } from '../../../db/database.js';
import type { ItemCardData, ProjectCardData } from '../../../platform/views/cards.js';
import { findImageRefs, type ImageRef } from '../images.service.js';
import type { ItemRow } from '../items.repository.js';
import type { ProjectRow } from '../projects.repository.js';
import { kindLabel, priceLabel } from './format.js';
import { creatorPath, itemPath, projectPath } from './urls.js';

export type Covers = Map<string, ImageRef>;

export function findCovers(
  db: Executor,
  rows: readonly { cover_image_id: string | null }[],
): Promise<Covers> {
  return findImageRefs(
    db,
    rows.map((row) => row.cover_image_id),
  );
}

function coverOf(row: { cover_image_id: string | null }, covers: Covers): ImageRef | undefined {
  return row.cover_image_id ? covers.get(row.cover_image_id) : undefined;
}

export function toItemCard(row: ItemRow, creatorName: string, covers: Covers): ItemCardData {
  const cover = coverOf(row, covers);
  return {
    url: itemPath(row.handle, row.project_slug, row.slug),
    title: row.title,
    creatorName,
    creatorUrl: creatorPath(row.handle),
    kindLabel: kindLabel(row.type),
    priceLabel: priceLabel(row, row.currency),
    coverUrl: cover?.src,
    coverSrcset: cover?.srcset,
  };
}

export function toItemCards(
  rows: readonly (ItemRow & { display_name: string })[],
  covers: Covers,
): ItemCardData[] {
  return rows.map((row) => toItemCard(row, row.display_name, covers));
}

export function toProjectCard(row: ProjectRow, covers: Covers): ProjectCardData {
  const cover = coverOf(row, covers);
  return {
    url: projectPath(row.handle, row.slug),
    title: row.title,
    coverUrl: cover?.src,
    coverSrcset: cover?.srcset,
  };
}
