// The rules an item must meet before anyone but its creator sees it (published or unlisted).
// One function lists every unmet rule; the first one's code is the answer's code.
import type { AiTier, ItemType } from '../../db/schema.js';
import { AppError, type FieldErrors } from '../../platform/errors.js';
import type { Access } from '../access/index.js';
import type { ItemMedia, MediaLinks } from '../files/index.js';
import { findPriceProblem, type PriceColumns } from './pricing.js';

export interface PublishableItem extends PriceColumns {
  id: string;
  type: ItemType;
  body: string;
  ai_tier: AiTier | null;
  ai_statement: string | null;
  currency: string;
  /** bundles only: how many items it holds */
  bundle_size?: number;
}

export interface UnmetRule {
  code: string;
  message: string;
}

/** Types delivered as a file: they need one that finished processing. */
export const FILE_TYPES: ReadonlySet<ItemType> = new Set([
  'audio',
  'video',
  'image',
  'digital',
  'software',
]);

/**
 * Whether an item has a file ready for delivery. The media module supplies the real check;
 * until it exists no item has files.
 */
export type ReadyFileCheck = (itemId: string) => Promise<boolean>;
export const noFilesYet: ReadyFileCheck = () => Promise.resolve(false);

/**
 * The player and downloads of an item for a viewer the access rule decided on (the files module
 * supplies it); `links` point them at a claim link's routes instead of the item's.
 */
export type MediaLoader = (
  itemId: string,
  access: Access,
  links?: MediaLinks,
) => Promise<ItemMedia>;
export const noMedia: MediaLoader = () =>
  Promise.resolve({ player: undefined, downloads: [], downloadsLocked: false });

export async function findUnmetRules(
  item: PublishableItem,
  creatorCurrency: string,
  hasReadyFile: ReadyFileCheck,
): Promise<UnmetRule[]> {
  const unmet: UnmetRule[] = [];
  if (item.ai_tier === null) {
    unmet.push({
      code: 'AI_DISCLOSURE_REQUIRED',
      message: 'Say whether and how AI was used: handmade, assisted or generated.',
    });
  } else if (item.ai_tier === 'assisted' && !item.ai_statement?.trim()) {
    unmet.push({
      code: 'AI_STATEMENT_REQUIRED',
      message: 'Describe briefly how AI assisted this work.',
    });
  }
  if (item.type === 'text' && item.body.trim() === '') {
    unmet.push({ code: 'BODY_REQUIRED', message: 'Write the text of this item first.' });
  }
  if (FILE_TYPES.has(item.type) && !(await hasReadyFile(item.id))) {
    unmet.push({ code: 'FILE_REQUIRED', message: 'Upload a file and wait until it is ready.' });
  }
  // A course's lessons are its files (chapters are audio-only): an empty one must not be sold.
  if (item.type === 'course' && !(await hasReadyFile(item.id))) {
    unmet.push({
      code: 'COURSE_EMPTY',
      message: 'Add at least one lesson file and wait until it is ready.',
    });
  }
  if (item.type === 'bundle' && (item.bundle_size ?? 0) === 0) {
    unmet.push({ code: 'BUNDLE_EMPTY', message: 'Add at least one of your items to the bundle.' });
  }
  const priceProblem = findPriceProblem({ ...item, currency: item.currency }, creatorCurrency);
  if (priceProblem) unmet.push({ code: 'PRICE_INVALID', message: priceProblem.message });
  return unmet;
}

/** 422 with the first unmet rule's code; fields map every unmet rule's code to its message. */
export function publishingError(unmet: readonly UnmetRule[]): AppError | undefined {
  const [first] = unmet;
  if (!first) return undefined;
  const fields: FieldErrors = Object.fromEntries(unmet.map((r) => [r.code, r.message]));
  return new AppError(first.code, 422, first.message, { fields });
}

/** One of an item's files as its creator sees it in the dashboard. */
export interface ItemFileSummary {
  id: string;
  name: string;
  status: 'pending' | 'processing' | 'ready' | 'failed' | 'quarantined';
  kind: string | null;
  size: number | null;
  durationMs: number | null;
  /** why it failed or was quarantined */
  error: string | null;
  /** a degraded result, e.g. original only */
  notice: string | null;
}

/** The files of an item, newest first (the files module supplies it). */
export type ItemFileLister = (itemId: string) => Promise<ItemFileSummary[]>;
export const noItemFiles: ItemFileLister = () => Promise.resolve([]);
