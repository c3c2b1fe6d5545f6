// Request ids (accepted from a trusted proxy when well-formed, generated otherwise), echoed in
// the response and attached to every log line; per-route latency for /metrics.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from '../metrics.js';
import { runWithRequestId } from '../request-scope.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function generateRequestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

async function requestContext(app: FastifyInstance, opts: { metrics: Metrics }) {
  const { httpDuration } = opts.metrics;
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // Everything the request does from here on runs inside this id's scope (see jobs/queue.ts).
    runWithRequestId(request.id, done);
  });
  // synchronous: no promise per request for a counter
  app.addHook('onResponse', (request, reply, done) => {
    httpDuration.observe(
      {
        method: request.method,
        // the route template keeps label cardinality bounded; unmatched URLs share one label
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}

export default fp(requestContext, { name: 'request-context' });
