// Text the app takes in may not hold U+0000 (NUL): PostgreSQL's text and jsonb cannot store it,
// and nothing a person types contains it. It is refused once, where input is parsed, for every
// route: the query string, the path parameters and the parsed body (JSON, form fields, plain
// text), keys and values at any depth, with 400 INVALID_TEXT before any handler, transaction or
// write. Inputs that reach the database another way ask `findNul` themselves (tus
// Upload-Metadata is base64 in a header); multipart file names are cleaned where a file is
// recorded (media's control-character filter). Raw header values never carry NUL: Node's HTTP
// parser refuses them with 400 before Fastify sees the request.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

export const NUL_MESSAGE = 'Text cannot contain the NUL character (U+0000).';

/**
 * Where `value` holds a NUL: the dotted path of the first string (or key) that does, '' for the
 * value itself, undefined when there is none. Iterative, so a body nested thousands deep is read
 * without exhausting the stack; buffers (raw bodies such as signed webhooks) are bytes, not text.
 */
export function findNul(value: unknown): string | undefined {
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  const seen = new Set<object>();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, path } = next;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return path;
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (Buffer.isBuffer(current) || seen.has(current)) continue;
    seen.add(current);
    for (const [key, inner] of Object.entries(current)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (key.includes('\u0000')) return at.replaceAll('\u0000', '\\0');
      pending.push({ value: inner, path: at });
    }
  }
  return undefined;
}

/** 400 INVALID_TEXT naming the field (a query parameter, path parameter or body field). */
export function invalidText(field: string): AppError {
  return new AppError('INVALID_TEXT', 400, NUL_MESSAGE, {
    fields: { [field || '_']: NUL_MESSAGE },
  });
}

/** Nothing to read: no value, or an object without keys (most GETs: no params, no query). */
function isEmpty(part: unknown): boolean {
  if (part === undefined || part === null) return true;
  if (typeof part !== 'object') return false;
  for (const key in part) if (Object.hasOwn(part, key)) return false;
  return true;
}

async function textInput(app: FastifyInstance) {
  // preValidation: after the body is parsed, before every route's own hooks and handler.
  // Synchronous, and a request with nothing to read pays two checks and no allocation.
  app.addHook('preValidation', (request, _reply, done) => {
    for (const part of [request.params, request.query, request.body]) {
      if (isEmpty(part)) continue;
      const field = findNul(part);
      if (field !== undefined) {
        done(invalidText(field));
        return;
      }
    }
    done();
  });
}

export default fp(textInput, { name: 'text-input' });
