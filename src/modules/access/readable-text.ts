// What of an item's text a caller gets: the whole body only with full access; everyone gets the
// preview (the part before the creator's divider, or a teaser). One function shapes it for the
// JSON answers, pages, feeds and mail, so none of them decides on its own.
import { previewOf, withoutDivider } from '../../platform/markdown/paywall.js';
import type { Access } from './access.rule.js';

export interface ReadableText {
  /** the markdown as written (divider included), or null for those who may not read it all */
  body: string | null;
  /** markdown everyone may read */
  body_preview: string;
  /** whether the text goes on beyond the preview */
  continues: boolean;
}

export function readableText(item: { body: string }, access: Access): ReadableText {
  const { preview, divided } = previewOf(item.body);
  return {
    body: access.level === 'full' ? item.body : null,
    body_preview: preview,
    continues: divided || preview.length < item.body.trim().length,
  };
}

/** The markdown to render for a reader with full access: the whole text, divider removed. */
export function fullText(body: string): string {
  return withoutDivider(body);
}
