// The opaque next-page cursor of a search: where the last page ended in the order every page
// agrees on (score, kind rank, id), and what the first page decided (its reference time, a
// corrected query, prefix matching), so later pages rank the same way.
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { MAX_QUERY_LENGTH } from './search.query.js';

export interface Cursor {
  /** the reference time recency is measured from, fixed for every page of one search */
  r: string;
  s: number;
  k: number;
  i: string;
  /** the corrected query a fallback page continues with */
  q?: string | undefined;
  /** 1 when the last word matches as a prefix too */
  p?: 1 | undefined;
}

const cursorSchema = z.object({
  r: z.iso.datetime(),
  s: z.number(),
  k: z.number().int().min(1).max(3),
  i: z.uuid(),
  q: z.string().max(MAX_QUERY_LENGTH).optional(),
  p: z.literal(1).optional(),
});

export function encodeSearchCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeSearchCursor(cursor: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) {
    throw new AppError('INVALID_CURSOR', 422, 'That page link is not valid.', {
      fields: { cursor: 'Start from the first page.' },
    });
  }
  return result.data;
}
