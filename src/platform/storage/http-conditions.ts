// HTTP Range and conditional requests (RFC 9110 §13, §14) for the fs storage route: what an
// <audio>/<video> element and a resuming download need. Pure functions over header values.

export interface Validators {
  /** the quoted entity tag, e.g. `"abc"` */
  etag: string;
  lastModified: Date;
}

export type RangeSelection =
  { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

function parseHttpDate(value: string): number | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

const opaque = (tag: string): string => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`. */
function etagListMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => opaque(tag.trim()) === opaque(etag));
}

/** true when a GET or HEAD should be answered with 304 Not Modified */
export function isNotModified(
  headers: { 'if-none-match'?: string; 'if-modified-since'?: string },
  validators: Validators,
): boolean {
  const noneMatch = headers['if-none-match'];
  // When both are sent, If-None-Match wins (RFC 9110 §13.1.3).
  if (noneMatch !== undefined) return etagListMatches(noneMatch, validators.etag);
  const since = headers['if-modified-since'];
  const sinceSeconds = since === undefined ? undefined : parseHttpDate(since);
  return sinceSeconds !== undefined && seconds(validators.lastModified) <= sinceSeconds;
}

/** If-Range: the range applies only if the client's copy is still current (strong match). */
function ifRangeHolds(ifRange: string | undefined, validators: Validators): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === validators.etag;
  return parseHttpDate(value) === seconds(validators.lastModified);
}

/**
 * The part of an object of `size` bytes a request asks for. A malformed header, several ranges,
 * or a failed If-Range mean the whole object (a server may always ignore Range); a well-formed
 * range that selects no byte of the object is unsatisfiable (416).
 */
export function selectRange(
  headers: { range?: string; 'if-range'?: string },
  size: number,
  validators: Validators,
): RangeSelection {
  const header = headers.range;
  if (header === undefined || !ifRangeHolds(headers['if-range'], validators)) {
    return { kind: 'full' };
  }
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const first = match?.[1] ?? '';
  const last = match?.[2] ?? '';
  if (match === null || (first === '' && last === '')) return { kind: 'full' };
  if (first === '') {
    // A suffix range: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'partial', start, end };
}
