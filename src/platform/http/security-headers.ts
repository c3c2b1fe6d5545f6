// Security headers on every response. Framing is refused everywhere except /embed/, whose
// pages are meant to live in other sites' iframes.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';

export const EMBED_PREFIX = '/embed/';

function contentSecurityPolicy(frameAncestors: string, extraMediaOrigins: string[]): string {
  const media = ["'self'", 'blob:', ...extraMediaOrigins].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: ${media}`,
    `media-src ${media}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

async function securityHeaders(app: FastifyInstance, opts: { config: Readonly<Config> }) {
  const { config } = opts;
  // Signed S3 URLs are fetched by <audio>, <video> and <img> straight from the store.
  const storageOrigins = config.s3?.endpoint ? [new URL(config.s3.endpoint).origin] : [];
  const strict = contentSecurityPolicy("'none'", storageOrigins);
  const embeddable = contentSecurityPolicy('*', storageOrigins);

  // Decided once per process: two fixed sets of headers, set by a synchronous hook (no promise
  // per request).
  const common: [string, string][] = [
    ['x-content-type-options', 'nosniff'],
    ['referrer-policy', 'strict-origin-when-cross-origin'],
    ['cross-origin-opener-policy', 'same-origin'],
    ['permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()'],
    ...(config.secureCookies
      ? [['strict-transport-security', 'max-age=31536000; includeSubDomains'] as [string, string]]
      : []),
  ];
  const forPages: [string, string][] = [
    ['content-security-policy', strict],
    ['x-frame-options', 'DENY'],
    ...common,
  ];
  const forEmbeds: [string, string][] = [['content-security-policy', embeddable], ...common];

  app.addHook('onRequest', (request, reply, done) => {
    const headers = request.url.startsWith(EMBED_PREFIX) ? forEmbeds : forPages;
    for (const [name, value] of headers) reply.header(name, value);
    done();
  });
}

export default fp(securityHeaders, { name: 'security-headers' });
