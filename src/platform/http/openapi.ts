// The OpenAPI 3.1 document of /api/v1, assembled from each module's list of operations. Request
// bodies and queries are the same zod schemas the routes parse with, so the document cannot
// disagree with validation; a test checks that every registered API route is documented.
import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI path under /api/v1, with {param} placeholders */
  path: string;
  summary: string;
  tag: string;
  /** who may call: public, a signed-in user, or a token with the write scope */
  auth: 'none' | 'user' | 'write';
  body?: z.ZodType;
  query?: z.ZodType;
  /** status → description (and an optional schema of the answer) */
  responses: Record<number, string | { description: string; schema: z.ZodType }>;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // The document declares the dialect once; per-schema $schema keys would only repeat it.
  const json: Record<string, unknown> = {
    ...z.toJSONSchema(schema, { io, unrepresentable: 'any' }),
  };
  delete json.$schema;
  return json;
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable SNAKE_CASE code' },
        message: { type: 'string', description: 'for humans' },
        fields: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

// Idempotency-Key (platform/http/idempotency.ts) is taken by every POST under /api/v1, so it
// is described here, once, for all of them.
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes the request safe to retry. The same key with the same method, URL and body within ' +
    '24 hours answers the first answer again (with `Idempotent-Replayed: true`) and does ' +
    'nothing twice, also while the first request is still running and through any instance; ' +
    'with another URL or body, 422 `IDEMPOTENCY_KEY_REUSED`. Keys belong to the caller (the ' +
    "signed-in account, else the client's address). Only successful (2xx) answers are kept: " +
    'after any other answer the same key runs the request again. File uploads ' +
    '(multipart/form-data) and tus requests do not take a key (400 ' +
    '`IDEMPOTENCY_KEY_UNSUPPORTED`): tus uploads resume by themselves.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
};
const replayedHeader = {
  description: '`true` when this is the stored answer of an earlier request with the same key',
  schema: { type: 'string', enum: ['true'] },
};
const idempotencyRefusals: Record<number, string> = {
  400:
    '`INVALID_IDEMPOTENCY_KEY`: the key is not 1 to 255 visible ASCII characters; ' +
    '`IDEMPOTENCY_KEY_UNSUPPORTED`: a file upload or tus request with a key',
  422: '`IDEMPOTENCY_KEY_REUSED`: the key was used for another request',
};

type OpenApiResponse = { description: string; headers?: object; content?: object };

/** What every POST adds to its own answers. */
function withIdempotency(responses: Record<string, OpenApiResponse>) {
  const merged = { ...responses };
  for (const [status, refusal] of Object.entries(idempotencyRefusals)) {
    const own = merged[status];
    merged[status] = own
      ? { ...own, description: `${own.description}; or ${refusal}` }
      : { description: refusal, content: { 'application/json': { schema: errorSchema } } };
  }
  for (const [status, response] of Object.entries(merged)) {
    if (status.startsWith('2')) {
      merged[status] = {
        ...response,
        headers: { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } },
      };
    }
  }
  return merged;
}

function toOperation(op: ApiOperation) {
  const queryProps = op.query
    ? (jsonSchema(op.query, 'input').properties as Record<string, object> | undefined)
    : undefined;
  const required = op.query
    ? ((jsonSchema(op.query, 'input').required as string[] | undefined) ?? [])
    : [];
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  return {
    summary: op.summary,
    tags: [op.tag],
    ...(op.auth !== 'none' && { security: [{ session: [] }, { bearer: [] }] }),
    parameters: [
      ...(op.method === 'post' ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
      ...pathParams,
      ...Object.entries(queryProps ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: required.includes(name),
        schema,
      })),
    ],
    ...(op.body && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
      },
    }),
    responses: op.method === 'post' ? withIdempotency(responsesOf(op)) : responsesOf(op),
  };
}

function responsesOf(op: ApiOperation): Record<string, OpenApiResponse> {
  return Object.fromEntries(
    Object.entries(op.responses).map(([status, response]) => {
      const description = typeof response === 'string' ? response : response.description;
      const schema =
        typeof response === 'string'
          ? Number(status) >= 400
            ? errorSchema
            : undefined
          : jsonSchema(response.schema, 'output');
      return [
        status,
        { description, ...(schema && { content: { 'application/json': { schema } } }) },
      ];
    }),
  );
}

export function buildOpenApiDocument(operations: readonly ApiOperation[], serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = (paths[op.path] ??= {});
    path[op.method] = toOperation(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Makenot.work API',
      version: '1',
      description:
        'JSON API of Makenot.work. Money is integer minor units plus a currency. Errors are ' +
        '`{"error": {"code", "message", "fields"?}}`. Lists are `{"items": [...], "next_cursor"}`. ' +
        'Every POST takes an `Idempotency-Key` header and can then be retried safely. Text ' +
        'cannot hold the NUL character (U+0000): a query, path or body value with one is 400 ' +
        '`INVALID_TEXT`.',
    },
    servers: [{ url: new URL('/api/v1', serverUrl).href }],
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'mnw_session',
          description: 'browser session; state changes need X-CSRF-Token',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'personal access token (mnw_pat_…), for /api/v1 only. GET needs the `read` scope ' +
            '(`write` includes it); POST, PUT, PATCH and DELETE need `write`, else 403 ' +
            '`INSUFFICIENT_SCOPE`. `POST /auth/logout` with a token revokes that token.',
        },
      },
      schemas: { Error: errorSchema },
      parameters: { IdempotencyKey: idempotencyKey },
      headers: { IdempotentReplayed: replayedHeader },
    },
    paths,
  };
}
