// What of an item's text a caller gets: the whole body only with full access; everyone gets the
// preview (the part before the creator's divider, or a teaser). One function shapes it for the
// JSON answers, pages, feeds and mail, so none of them decides on its own. The text's renderings
// are stored when it is written (migration 0035, platform/markdown/stored.ts); a row not
// rendered yet (nulls) is split and rendered here, with the same functions.
import { storedBody } from '../../platform/markdown/stored.js';
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

/** An item's body with whatever of its stored renderings the row carries. */
export interface TextSource {
  body: string;
  body_html?: string | null;
  body_preview?: string | null;
  body_preview_html?: string | null;
  body_continues?: boolean | null;
}

function previewPart(item: TextSource): { preview: string; continues: boolean } {
  if (
    item.body_preview !== undefined &&
    item.body_preview !== null &&
    item.body_continues !== undefined &&
    item.body_continues !== null
  ) {
    return { preview: item.body_preview, continues: item.body_continues };
  }
  const { preview, divided } = previewOf(item.body);
  return { preview, continues: divided || preview.length < item.body.trim().length };
}

export function readableText(item: TextSource, access: Access): ReadableText {
  const { preview, continues } = previewPart(item);
  return {
    body: access.level === 'full' ? item.body : null,
    body_preview: preview,
    continues,
  };
}

/** What a page shows of a text: the whole of it (sanitised HTML) or the free part. */
export type ReadableHtml =
  { full: true; safeHtml: string } | { full: false; safeHtml: string; continues: boolean };

/**
 * The stored HTML this viewer may read: the whole text with full access, the free part
 * otherwise ('' when the text is blank or its free part empty).
 */
export function readableHtml(item: TextSource, access: Access): ReadableHtml {
  const stored =
    item.body_html !== undefined &&
    item.body_html !== null &&
    item.body_preview_html !== undefined &&
    item.body_preview_html !== null &&
    item.body_continues !== undefined &&
    item.body_continues !== null
      ? {
          body_html: item.body_html,
          body_preview_html: item.body_preview_html,
          body_continues: item.body_continues,
        }
      : storedBody(item.body);
  if (access.level === 'full') return { full: true, safeHtml: stored.body_html };
  return { full: false, safeHtml: stored.body_preview_html, continues: stored.body_continues };
}

/** The markdown to render for a reader with full access: the whole text, divider removed. */
export function fullText(body: string): string {
  return withoutDivider(body);
}
