// Labels the public pages show: prices, item kinds, AI disclosure, dates and chapter times.
// Pure functions of the stored values, so cards, pages and JSON-LD agree.
import type { AiTier, ItemType } from '../../../db/schema.js';
import { ITEM_TYPES } from '../catalog.schemas.js';
import type { PriceColumns } from '../pricing.js';

interface CurrencyFormat {
  /** "$12.50" */
  exact: Intl.NumberFormat;
  /** "$12": for whole amounts */
  whole: Intl.NumberFormat;
  /** how many minor units make a major one */
  minorPerMajor: number;
}

// Building an Intl.NumberFormat costs far more than formatting with one (it loads locale
// data): one set per currency, made once. Receipts and every card with a price go through here.
const formats = new Map<string, CurrencyFormat>();

function currencyFormat(currency: string): CurrencyFormat {
  let format = formats.get(currency);
  if (!format) {
    const exact = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    format = {
      exact,
      whole: new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        maximumFractionDigits: 0,
      }),
      minorPerMajor: 10 ** (exact.resolvedOptions().maximumFractionDigits ?? 2),
    };
    formats.set(currency, format);
  }
  return format;
}

/** Minor units as a decimal string in major units, as schema.org offers want it: "12.50". */
export function toMajorUnits(minor: number, currency: string): string {
  const { minorPerMajor } = currencyFormat(currency);
  return (minor / minorPerMajor).toFixed(Math.log10(minorPerMajor));
}

/** 1200 USD → "$12", 1250 → "$12.50": whole amounts without the zeros. */
export function formatPrice(minor: number, currency: string): string {
  const format = currencyFormat(currency);
  const major = minor / format.minorPerMajor;
  return (Number.isInteger(major) ? format.whole : format.exact).format(major);
}

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

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "2026-11-27" or a Date → "27 November 2026" (calendar dates are read as UTC). */
export function formatDate(value: string | Date): string {
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T00:00:00Z`) : value;
  return Number.isNaN(date.getTime()) ? '' : DATE_FORMAT.format(date);
}

/** The YYYY-MM-DD form for <time datetime>. */
export function isoDate(value: string | Date): string {
  return typeof value === 'string' ? value.slice(0, 10) : value.toISOString().slice(0, 10);
}

export { formatBytes as formatFileSize } from '../../../platform/bytes.js';
