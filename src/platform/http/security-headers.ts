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

  app.addHook('onRequest', async (request, reply) => {
    const embed = request.url.startsWith(EMBED_PREFIX);
    reply.header('content-security-policy', embed ? embeddable : strict);
    if (!embed) reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'strict-origin-when-cross-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    reply.header(
      'permissions-policy',
      'camera=(), microphone=(), geolocation=(), interest-cohort=()',
    );
    if (config.secureCookies) {
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    }
  });
}

export default fp(securityHeaders, { name: 'security-headers' });
