// One error handler for the whole app. It answers in the shape the caller asked for: the JSON
// error format of API.md, an htmx fragment, or a full HTML page. Users see a message only for
// 4xx; 5xx details go to the log with the request id, never to the response.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ZodError } from 'zod';
import { isDatabaseUnavailable } from '../../db/database.js';
import { AppError, type FieldErrors } from '../errors.js';

export interface ErrorBody {
  status: number;
  code: string;
  message: string;
  fields?: FieldErrors;
  retryAfter?: number;
}

/** How an HTML error is drawn; the views layer provides it. */
export type HtmlErrorRenderer = (reply: FastifyReply, error: ErrorBody) => FastifyReply;

const FASTIFY_CODES: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is too large.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'This content type is not accepted here.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'MALFORMED_REQUEST', message: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'MALFORMED_REQUEST',
    message: 'The JSON body is not valid JSON.',
  },
  FST_ERR_VALIDATION: { code: 'MALFORMED_REQUEST', message: 'The request is malformed.' },
};

/**
 * PostgreSQL refusing a value the request carried (a NUL byte in text, text where a uuid goes,
 * a number out of range): the request is at fault, not the server.
 */
const BAD_VALUE_SQLSTATES = new Set(['22021', '22P05', '22P02', '22003', '22001']);

function isRefusedValue(error: unknown): boolean {
  return (
    error instanceof Error &&
    'severity' in error &&
    'code' in error &&
    typeof error.code === 'string' &&
    BAD_VALUE_SQLSTATES.has(error.code)
  );
}

/** busboy's errors for a multipart body that breaks off or has no valid parts */
const MALFORMED_MULTIPART =
  /^(Unexpected end of (multipart data|form)|Malformed part header|Multipart: Boundary not found)/;

export function zodFieldErrors(error: ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      ...(error.fields && { fields: error.fields }),
      ...(error.retryAfter !== undefined && { retryAfter: error.retryAfter }),
    };
  }
  if (error instanceof ZodError) {
    return {
      status: 422,
      code: 'VALIDATION_FAILED',
      message: 'Some fields are not valid.',
      fields: zodFieldErrors(error),
    };
  }
  if (isDatabaseUnavailable(error)) {
    // A database restart or network blip: say so and when to retry, instead of a bare 500.
    return {
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
      message: 'The service is unavailable right now.',
      retryAfter: 5,
    };
  }
  if (isRefusedValue(error)) {
    return {
      status: 400,
      code: 'BAD_REQUEST',
      message: 'The request contains a value we cannot accept.',
    };
  }
  if (error instanceof Error && MALFORMED_MULTIPART.test(error.message)) {
    return { status: 400, code: 'MALFORMED_REQUEST', message: 'The multipart body is malformed.' };
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
    return {
      status,
      code: known?.code ?? (status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST'),
      message: known?.message ?? 'The request could not be understood.',
    };
  }
  return { status: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.' };
}

/** JSON for the API, webhooks and clients that ask for it; HTML for browsers. */
export function wantsJson(request: FastifyRequest): boolean {
  // processors post webhooks with whatever Accept they like; they read JSON all the same
  if (request.url.startsWith('/api/') || request.url.startsWith('/webhooks/')) return true;
  if (request.headers['hx-request'] !== undefined) return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

export function sendError(reply: FastifyReply, body: ErrorBody, html: HtmlErrorRenderer) {
  reply.status(body.status);
  if (body.retryAfter !== undefined) reply.header('retry-after', String(body.retryAfter));
  if (body.status >= 500) reply.header('cache-control', 'no-store');
  if (wantsJson(reply.request)) {
    const error = {
      code: body.code,
      message: body.message,
      ...(body.fields && { fields: body.fields }),
    };
    return reply.type('application/json; charset=utf-8').send({ error });
  }
  return html(reply, body);
}

async function errorHandler(app: FastifyInstance, opts: { html: HtmlErrorRenderer }) {
  app.setErrorHandler((error, request, reply) => {
    const body = toErrorBody(error);
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, status: body.status }, 'request refused');
    return sendError(reply, body, opts.html);
  });
  app.setNotFoundHandler((_request, reply) =>
    sendError(
      reply,
      { status: 404, code: 'NOT_FOUND', message: 'We could not find that page.' },
      opts.html,
    ),
  );
}

export default fp(errorHandler, { name: 'error-handler' });
