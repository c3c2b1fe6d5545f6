// Markdown written by users (bios, descriptions, text items) becomes HTML in two steps:
// markdown-it renders CommonMark with raw HTML switched off, then sanitize-html keeps only an
// allow-list of tags, attributes and URL schemes. The second step is the security boundary;
// the first already refuses most tricks, so a bug in either alone does not open an XSS hole.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/** Longer sources are refused by the schemas; this only bounds the renderer's work. */
export const MARKDOWN_MAX_LENGTH = 200_000;

const LINK_REL = 'nofollow ugc noopener';

const renderer = new MarkdownIt('commonmark', {
  html: false,
  linkify: true,
  typographer: false,
}).enable(['table', 'strikethrough', 'linkify']);

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  's',
  'del',
  'ul',
  'ol',
  'li',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

/** Images only from our own origin (uploads, re-encoded): no tracking pixels, no mixed content. */
function isOwnImage(src: string): boolean {
  return src.startsWith('/') && !src.startsWith('//') && !src.startsWith('/\\');
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    // The page already has its h1: a user's top-level heading sits below it.
    h1: 'h2',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: LINK_REL } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'img' && !isOwnImage(frame.attribs.src ?? ''),
};

/** Safe HTML for a user's markdown. Name the result `safe…` where JSX embeds it. */
export function renderMarkdown(source: string): string {
  const html = renderer.render(source.slice(0, MARKDOWN_MAX_LENGTH));
  return sanitizeHtml(html, SANITIZE);
}

/** Plain text of a user's markdown (meta descriptions, snippets), at most `max` characters. */
export function markdownToText(source: string, max = 300): string {
  return shortenText(plainTextOf(source), max);
}

/** All the words of a user's markdown without markup, whitespace collapsed. */
export function plainTextOf(source: string): string {
  const parts: string[] = [];
  for (const block of renderer.parse(source.slice(0, MARKDOWN_MAX_LENGTH), {})) {
    if (block.type === 'inline') {
      for (const token of block.children ?? []) {
        if (token.type === 'text' || token.type === 'code_inline') parts.push(token.content);
        else if (token.type === 'softbreak' || token.type === 'hardbreak') parts.push(' ');
      }
      parts.push(' ');
    } else if (block.type === 'code_block' || block.type === 'fence') {
      parts.push(block.content, ' ');
    }
  }
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** Plain text shortened to at most `max` characters, with an ellipsis when cut. */
export function shortenText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
