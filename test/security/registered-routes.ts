// Every route the app registers, with its methods, read from Fastify itself: an onRoute hook
// installed the moment the next Fastify instance is created (its `fastify.initialization`
// diagnostics channel), before buildApp registers anything. A walk built on this covers a route
// added tomorrow without anyone listing it.
import diagnostics from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';

export interface RegisteredRoute {
  method: string;
  /** as registered, with its prefix: /api/v1/items/:id */
  url: string;
}

/** Starts recording the routes of the next Fastify instance created in this process. */
export function recordRegisteredRoutes(): { routes: RegisteredRoute[]; stop(): void } {
  const routes: RegisteredRoute[] = [];
  const seen = new Set<string>();
  let hooked = false;
  const onInit = (message: unknown) => {
    if (hooked) return;
    hooked = true;
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        const key = `${method} ${route.url}`;
        if (seen.has(key)) continue;
        seen.add(key);
        routes.push({ method, url: route.url });
      }
    });
  };
  diagnostics.subscribe('fastify.initialization', onInit);
  return { routes, stop: () => diagnostics.unsubscribe('fastify.initialization', onInit) };
}

/** Methods that change something: GET, HEAD and OPTIONS never may. */
export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
