// Labels the public pages show: prices, item kinds, AI disclosure, dates and chapter times.
// Pure functions of the stored values, so cards, pages and JSON-LD agree. Amounts themselves are
// formatted by platform/money.
import type { AiTier, ItemType } from '../../../db/schema.js';
import { formatPrice } from '../../../platform/money/index.js';
import { ITEM_TYPES } from '../catalog.schemas.js';
import type { PriceColumns } from '../pricing.js';

export function priceLabel(price: PriceColumns, currency: string): string {
  switch (price.price_model) {
    case 'free':
      return 'Free';
    case 'fixed':
      return formatPrice(price.price_amount ?? 0, currency);
    case 'pwyw': {
      const minimum = price.price_minimum ?? 0;
      return minimum > 0
        ? `Name your price, from ${formatPrice(minimum, currency)}`
        : 'Name your price';
    }
    case 'members':
      return 'Members';
  }
}

const KIND_LABELS: Record<ItemType, string> = {
  audio: 'Audio',
  video: 'Video',
  text: 'Writing',
  image: 'Image',
  digital: 'Download',
  software: 'Software',
  course: 'Course',
  bundle: 'Bundle',
};

export function kindLabel(type: ItemType): string {
  return KIND_LABELS[type];
}

/** The tabs of /discover, in the order the product lists the types. */
export const BROWSABLE_TYPES: readonly ItemType[] = ITEM_TYPES;

export const AI_LABELS: Record<AiTier, string> = {
  handmade: 'Handmade',
  assisted: 'AI-assisted',
  generated: 'AI-generated',
};

export const AI_EXPLANATIONS: Record<AiTier, string> = {
  handmade: 'Made without AI tools.',
  assisted: 'Made with help from AI tools.',
  generated: 'Primarily created by AI.',
};

/** Seconds → "3:05", or "1:02:05" past an hour. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The machine form for <time datetime>: "PT3M5S". */
export function isoDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `PT${h > 0 ? `${h}H` : ''}${m > 0 ? `${m}M` : ''}${seconds % 60}S`;
}

export { formatDate, isoDate } from '../../../platform/dates.js';
export { formatBytes as formatFileSize } from '../../../platform/bytes.js';
