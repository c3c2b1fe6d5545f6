// Highlighted snippets that are safe to show: ts_headline marks matches with private-use
// characters (user text loses them first, see cleanQuery and the statements' translate()), and
// only after everything is escaped do the marks become <mark> elements.
import { escapeHtml } from '@kitajs/html';

const START = '\uE000';
const STOP = '\uE001';
const LT = '\uE002';
const GT = '\uE003';

/** ts_headline's options for a description or bio: up to two fragments of 12–30 words. */
export const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
/** ts_headline's options for a title (as-you-type): the whole title, every match marked. */
export const TITLE_HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, HighlightAll=true`;

/** Escapes everything, then turns our sentinels into <mark> elements and escaped brackets. */
export function renderSnippet(raw: string): string {
  return escapeHtml(raw)
    .replaceAll(START, '<mark>')
    .replaceAll(STOP, '</mark>')
    .replaceAll(LT, '&lt;')
    .replaceAll(GT, '&gt;');
}
