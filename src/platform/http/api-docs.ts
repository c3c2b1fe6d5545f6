// GET /api/v1/openapi.json, and the list of API routes the app actually registered (collected
// as they are added, so a test can hold the document to them).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { buildOpenApiDocument, type ApiOperation } from './openapi.js';

export interface RegisteredRoute {
  method: string;
  /** path under /api/v1 in OpenAPI form: /items/{id} */
  path: string;
}

const API_PREFIX = '/api/v1';

export function toOpenApiPath(url: string): string {
  return url.slice(API_PREFIX.length).replace(/:(\w+)/g, '{$1}') || '/';
}

declare module 'fastify' {
  interface FastifyInstance {
    /** every /api/v1 route registered, for the documentation test */
    registeredApiRoutes: RegisteredRoute[];
  }
}

/** Register before the API modules: it records every API route added after it. */
async function apiDocsPlugin(
  app: FastifyInstance,
  opts: { operations: () => readonly ApiOperation[]; publicUrl: URL },
) {
  const registered: RegisteredRoute[] = [];
  app.decorate('registeredApiRoutes', registered);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(`${API_PREFIX}/`)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      registered.push({ method: method.toLowerCase(), path: toOpenApiPath(route.url) });
    }
  });
  let document: unknown;
  app.get(`${API_PREFIX}/openapi.json`, async (_request, reply) => {
    document ??= buildOpenApiDocument(opts.operations(), opts.publicUrl.href);
    return reply.header('cache-control', 'public, max-age=300').send(document);
  });
}

// fastify-plugin: the onRoute hook must see routes registered outside this plugin's scope.
export const apiDocs = fp(apiDocsPlugin, { name: 'api-docs' });

export const apiDocsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    tag: 'meta',
    auth: 'none',
    responses: { 200: 'OpenAPI 3.1' },
  },
];
