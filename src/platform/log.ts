import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';

export type { Logger };

/** JSON lines on stdout; request ids are added per request by Fastify's child loggers. */
export function createLogger(config: Pick<Config, 'logLevel'>, name = 'app'): Logger {
  return pino({
    name,
    level: config.logLevel,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
      censor: '[redacted]',
    },
  });
}

/**
 * One log line per request instead of Fastify's two ("incoming request" with the request's
 * details, then "request completed" with the status): at `info`, the default level, every
 * request wrote two JSON lines to stdout, each a write of its own. Now one, at completion, with
 * what both said that is worth reading (method, URL, status, time). Errors, stream errors and
 * the rest are logged as Fastify does.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {
    // said by requestCompleted, once
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      super.requestCompleted(error, request, reply);
      return;
    }
    reply.log.info(
      {
        req: { method: request.method, url: request.url },
        res: { statusCode: reply.statusCode },
        responseTime: reply.elapsedTime,
      },
      'request completed',
    );
  }
}
