// Parsing and answering the public pages' requests: params, query strings, cursors, canonical
// redirects and the htmx "More" requests.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, notFound } from '../../../platform/errors.js';
import { wantsFragment } from '../../../platform/views/render.js';

/** A path that does not parse names nothing: 404, like any other unknown page. */
export function parseParams<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw notFound();
  return result.data;
}

export function parseQuery<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('VALIDATION_FAILED', 400, 'That link is not valid.');
  return result.data;
}

/** Decodes ?cursor= with `decode`; 400 for a cursor we did not make. */
export function parseCursor<T>(
  cursor: string | undefined,
  decode: (cursor: string) => T | undefined,
): T | undefined {
  if (cursor === undefined) return undefined;
  const keyset = decode(cursor);
  if (keyset === undefined) {
    throw new AppError('VALIDATION_FAILED', 400, 'That page link is not valid.');
  }
  return keyset;
}

export const cursorQuery = z.object({ cursor: z.string().max(200).optional() });

export function redirectPermanently(reply: FastifyReply, path: string): FastifyReply {
  // Private and bounded: a handle or slug may be renamed again, and drafts redirect for their owner.
  return reply.header('cache-control', 'private, max-age=3600').redirect(path, 301);
}

/** A "More" request from htmx wants only the next items and pager, to append. */
export const wantsMore = (request: FastifyRequest, cursor: string | undefined): boolean =>
  cursor !== undefined && wantsFragment(request);
