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
