// Words the dashboard uses for item types, prices and AI disclosure tiers.
import type { ItemJson } from '../../catalog.responses.js';
import type { ITEM_TYPES } from '../../catalog.schemas.js';
import { formatMoney } from '../../../../platform/money/index.js';

export type ItemTypeName = (typeof ITEM_TYPES)[number];

export const TYPE_CHOICES: readonly { type: ItemTypeName; label: string; explanation: string }[] = [
  { type: 'audio', label: 'Audio', explanation: 'A track, an album side, a podcast episode.' },
  { type: 'video', label: 'Video', explanation: 'A film, a lesson, a performance.' },
  { type: 'text', label: 'Text', explanation: 'Writing people read right on the page.' },
  { type: 'image', label: 'Image', explanation: 'Photographs, illustrations, prints.' },
  { type: 'digital', label: 'Download', explanation: 'Any file: a PDF, a zine, a score.' },
  {
    type: 'software',
    label: 'Software',
    explanation: 'A plugin, preset, sample pack or template, with versions.',
  },
  { type: 'course', label: 'Course', explanation: 'Lessons people work through in order.' },
  { type: 'bundle', label: 'Bundle', explanation: 'A set of your other items sold together.' },
];

export function typeLabel(type: string): string {
  return TYPE_CHOICES.find((choice) => choice.type === type)?.label ?? type;
}

export const AI_TIERS = [
  { tier: 'handmade', label: 'Handmade', explanation: 'No AI tools were used.' },
  {
    tier: 'assisted',
    label: 'AI-assisted',
    explanation: 'Made by you with help from AI tools; say how below.',
  },
  { tier: 'generated', label: 'AI-generated', explanation: 'Primarily created by AI.' },
] as const;

export const PRICE_MODELS = [
  { model: 'free', label: 'Free', explanation: 'Anyone can have it.' },
  { model: 'fixed', label: 'Fixed price', explanation: 'One price for everyone.' },
  {
    model: 'pwyw',
    label: 'Pay what you want',
    explanation: 'Fans choose, from a minimum (which may be 0).',
  },
  { model: 'members', label: 'Members only', explanation: 'Included in a project membership.' },
] as const;

export function priceLabel(price: ItemJson['price']): string {
  switch (price.model) {
    case 'free':
      return 'Free';
    case 'members':
      return 'Members only';
    case 'fixed':
      return formatMoney(price.amount ?? 0, price.currency);
    case 'pwyw':
      return `Pay what you want, from ${formatMoney(price.minimum ?? 0, price.currency)}`;
  }
}
