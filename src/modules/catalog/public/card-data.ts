// Rows → the plain view data the shared cards render, with covers looked up in one query.
import type { Executor } from '../../../db/database.js';
import type { ItemCardData, ProjectCardData } from '../../../platform/views/cards.js';
import { findImageRefs, toImageRef, type ImageRef } from '../images.service.js';
import type { ItemRow } from '../items.repository.js';
import type { ProjectRow } from '../projects.repository.js';
import type { CardRow } from '../public.repository.js';
import type { ProjectCardRow } from '../creator-pages.repository.js';
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

/** What a card needs of an item row. */
type CardFields = Pick<
  ItemRow,
  | 'handle'
  | 'project_slug'
  | 'slug'
  | 'title'
  | 'type'
  | 'price_model'
  | 'price_amount'
  | 'price_minimum'
  | 'price_suggested'
  | 'currency'
  | 'cover_image_id'
>;

export function toItemCard(row: CardFields, creatorName: string, covers: Covers): ItemCardData {
  const cover = coverOf(row, covers);
  return cardOf(row, creatorName, cover);
}

function cardOf(row: CardFields, creatorName: string, cover: ImageRef | undefined): ItemCardData {
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

/** Cards of rows read with their covers (public.repository's card queries). */
export function toItemCards(rows: readonly CardRow[]): ItemCardData[] {
  return rows.map((row) =>
    cardOf(row, row.display_name, row.cover ? toImageRef(row.cover) : undefined),
  );
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

/** Cards of projects read with their covers (creator-pages.repository). */
export function toProjectCards(rows: readonly ProjectCardRow[]): ProjectCardData[] {
  return rows.map((row) => {
    const cover = row.cover ? toImageRef(row.cover) : undefined;
    return {
      url: projectPath(row.handle, row.slug),
      title: row.title,
      coverUrl: cover?.src,
      coverSrcset: cover?.srcset,
    };
  });
}
