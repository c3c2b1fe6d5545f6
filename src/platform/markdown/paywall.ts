// Where the free part of a text ends. A creator writes `<!-- paywall -->` on its own line; what
// comes before it is the preview everyone may read. Without the divider the preview is a teaser
// made of the first whole blocks (a heading stays a heading, a list keeps its items, a quote its
// marks), never more than a share of the text and never cut inside a word. Only the source
// markdown is sliced here; rendering and sanitising stay in markdown.ts.
import MarkdownIt from 'markdown-it';
import { markdownToText } from './markdown.js';

/** What the editor's button inserts. */
export const PAYWALL_DIVIDER = '<!-- paywall -->';

const DIVIDER_LINE = /^ {0,3}<!--\s*paywall\s*-->\s*$/i;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** A teaser shows at most this many characters of source… */
export const TEASER_MAX_CHARS = 800;
/** …and never more than this share of the whole text. */
export const TEASER_MAX_SHARE = 0.3;

const parser = new MarkdownIt('commonmark', { html: false }).enable(['table', 'strikethrough']);

/** The line index of the first divider outside code fences, or -1. */
function dividerLine(lines: readonly string[]): number {
  let fence: string | undefined;
  for (const [index, line] of lines.entries()) {
    const opener = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (opener !== undefined && opener[0] === fence[0] && opener.length >= fence.length) {
        fence = undefined;
      }
    } else if (opener !== undefined) {
      fence = opener;
    } else if (DIVIDER_LINE.test(line)) {
      return index;
    }
  }
  return -1;
}

export interface PaywallSplit {
  /** the markdown before the divider (or the generated teaser when there is none) */
  preview: string;
  /** whether the creator placed the divider */
  divided: boolean;
}

/** The free part of a text: what a reader who has not paid may see, as markdown. */
export function previewOf(markdown: string): PaywallSplit {
  const lines = markdown.split('\n');
  const at = dividerLine(lines);
  if (at >= 0) return { preview: lines.slice(0, at).join('\n').trimEnd(), divided: true };
  return { preview: teaserOf(markdown), divided: false };
}

/** The whole text for those who may read it, without the divider line. */
export function withoutDivider(markdown: string): string {
  const lines = markdown.split('\n');
  const at = dividerLine(lines);
  if (at < 0) return markdown;
  return [...lines.slice(0, at), '', ...lines.slice(at + 1)].join('\n');
}

interface Block {
  /** source lines [start, end) */
  start: number;
  end: number;
  type: string;
  children: Block[];
}

/** The document's blocks as a tree of source line ranges (list items and quotes have children). */
function blocksOf(markdown: string): Block[] {
  const root: Block = { start: 0, end: 0, type: 'root', children: [] };
  const stack: Block[] = [root];
  for (const token of parser.parse(markdown, {})) {
    const parent = stack.at(-1) ?? root;
    if (token.nesting === 1 && token.block && token.map) {
      const block: Block = {
        start: token.map[0],
        end: token.map[1],
        type: token.type.replace(/_open$/, ''),
        children: [],
      };
      parent.children.push(block);
      stack.push(block);
    } else if (token.nesting === -1 && token.block) {
      stack.pop();
    } else if (token.nesting === 0 && token.block && token.map && token.type !== 'inline') {
      parent.children.push({
        start: token.map[0],
        end: token.map[1],
        type: token.type,
        children: [],
      });
    }
  }
  return root.children;
}

/** The longest start of `text` up to `budget` characters that ends between words. */
function cutAtWord(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const cut = text.slice(0, budget + 1);
  const space = cut.search(/\s\S*$/);
  return space > 0 ? `${cut.slice(0, space).trimEnd()}…` : '';
}

/**
 * Whole blocks from the start while they fit the budget (with the separator each costs); a
 * list or quote that does not fit whole gives its first items; an opening paragraph that does
 * not fit becomes plain text cut between words. The pieces are markdown.
 */
function takeBlocks(
  lines: readonly string[],
  blocks: readonly Block[],
  budget: number,
  separator: string,
  opening: boolean,
): string[] {
  const taken: string[] = [];
  let headingsOnly = true;
  let left = budget;
  for (const block of blocks) {
    const source = lines.slice(block.start, block.end).join('\n');
    if (source.length + separator.length <= left) {
      headingsOnly &&= block.type === 'heading';
      taken.push(source);
      left -= source.length + separator.length;
      continue;
    }
    if (block.type === 'bullet_list' || block.type === 'ordered_list') {
      // The marker lines of the first items keep the list a list.
      const inner = takeBlocks(lines, block.children, left, '\n', false);
      if (inner.length > 0) taken.push(inner.join('\n'));
    } else if (block.type === 'blockquote') {
      const inner = takeBlocks(lines, block.children, left, '\n>\n', false);
      if (inner.length > 0) taken.push(inner.join('\n>\n'));
    } else if (block.type === 'paragraph' && opening && headingsOnly) {
      // No paragraph fits whole: its opening words, as plain text (no half-closed markup).
      const words = cutAtWord(markdownToText(source, Number.MAX_SAFE_INTEGER), left);
      if (words !== '') taken.push(escapeMarkdown(words));
    }
    break;
  }
  return taken;
}

/** Plain words shown as markdown text, not markup. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]{}<>#|~!])/g, '\\$1');
}

/** The first whole blocks of a text, within TEASER_MAX_CHARS and TEASER_MAX_SHARE of it. */
export function teaserOf(markdown: string): string {
  const trimmed = markdown.trim();
  if (trimmed === '') return '';
  const budget = Math.min(TEASER_MAX_CHARS, Math.floor(trimmed.length * TEASER_MAX_SHARE));
  const lines = trimmed.split('\n');
  // A fenced or blank-line-separated block is kept apart from the next by a blank line.
  return takeBlocks(lines, blocksOf(trimmed), budget, '\n\n', true).join('\n\n').trim();
}
