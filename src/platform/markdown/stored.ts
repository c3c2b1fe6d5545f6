// Markdown rendered once, when it is written, and stored beside its source (migration 0035):
// the safe HTML (renderMarkdown, the same sanitizer) and the plain words of a bio or description,
// and of a text item's body the whole text for full access, the free part before the paywall
// divider (or the teaser) as markdown and as HTML, and whether the text goes on beyond it.
// Readers take these as they are; only a row not rendered yet (NULL) is rendered on the fly.
import { plainTextOf, renderMarkdown } from './markdown.js';
import { previewOf, withoutDivider } from './paywall.js';

export interface StoredMarkdown {
  /** sanitised HTML; '' for an empty source */
  html: string;
  /** the words without markup (shortenText cuts it for meta descriptions) */
  text: string;
}

export function storedMarkdown(source: string): StoredMarkdown {
  if (source === '') return { html: '', text: '' };
  return { html: renderMarkdown(source), text: plainTextOf(source) };
}

export interface StoredBody {
  /** the whole text, divider removed, as sanitised HTML; '' when the body is blank */
  body_html: string;
  /** the markdown everyone may read: before the divider, or a teaser of the first blocks */
  body_preview: string;
  body_preview_html: string;
  /** whether the text goes on beyond the preview */
  body_continues: boolean;
}

export function storedBody(body: string): StoredBody {
  const { preview, divided } = previewOf(body);
  return {
    body_html: body.trim() === '' ? '' : renderMarkdown(withoutDivider(body)),
    body_preview: preview,
    body_preview_html: preview === '' ? '' : renderMarkdown(preview),
    body_continues: divided || preview.length < body.trim().length,
  };
}
