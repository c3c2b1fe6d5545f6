// The stored renderings (migration 0035) of whatever markdown a write carries: every repository
// write of a description, body, bio or changelog stores them in the same statement, so the pages
// never render markdown per request (platform/markdown/stored.ts).
import {
  markdownToText,
  renderMarkdown,
  shortenText,
  storedBody,
  storedMarkdown,
} from '../../platform/markdown/index.js';

export function renderedItemText(row: { description?: string; body?: string }) {
  const description = row.description === undefined ? undefined : storedMarkdown(row.description);
  return {
    ...(description && {
      description_html: description.html,
      description_text: description.text,
    }),
    ...(row.body !== undefined && storedBody(row.body)),
  };
}

export function renderedProjectText(row: { description?: string }) {
  if (row.description === undefined) return {};
  const { html, text } = storedMarkdown(row.description);
  return { description_html: html, description_text: text };
}

export function renderedBio(bio: string | undefined) {
  if (bio === undefined) return {};
  const { html, text } = storedMarkdown(bio);
  return { bio_html: html, bio_text: text };
}

export function renderedChangelog(changelog: string | undefined) {
  return changelog === undefined ? {} : { changelog_html: storedMarkdown(changelog).html };
}

/** The stored HTML of a markdown column, or (not rendered yet) the source rendered now. */
export function safeHtmlOf(source: string, stored: string | null | undefined): string {
  if (stored !== null && stored !== undefined) return stored;
  return source === '' ? '' : renderMarkdown(source);
}

/** Its words shortened to `max` characters, from the stored text when there is one. */
export function textOf(source: string, stored: string | null | undefined, max: number): string {
  return stored !== null && stored !== undefined
    ? shortenText(stored, max)
    : markdownToText(source, max);
}
