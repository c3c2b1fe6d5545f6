// CSRF defence in two layers (see docs/security.md):
// 1. Fetch Metadata / Origin: a state-changing request from another site is refused outright.
// 2. A token bound to the session (HMAC of the session id) on every state-changing request that
//    carries a session cookie, from the X-CSRF-Token header (htmx, fetch) or the _csrf field.
// Bearer-token requests carry no ambient credentials and need neither.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import '../views/view-context.js';
import { deriveKey, hmac, safeEqual } from '../secrets.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfOptions {
  appSecret: string;
  publicUrl: URL;
  /** paths that authenticate differently (signed webhooks) */
  exempt?: (request: FastifyRequest) => boolean;
}

export function csrfToken(key: Buffer, bindTo: string): string {
  return hmac(key, `csrf:${bindTo}`);
}

function originOf(value: string | undefined): string | undefined {
  if (!value || !URL.canParse(value)) return undefined;
  return new URL(value).origin;
}

function isCrossSite(request: FastifyRequest, ownOrigin: string): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string') return fetchSite !== 'same-origin' && fetchSite !== 'none';
  const origin = request.headers.origin;
  if (typeof origin === 'string') return origin === 'null' || originOf(origin) !== ownOrigin;
  const referer = request.headers.referer;
  if (typeof referer === 'string') return originOf(referer) !== ownOrigin;
  return false; // no browser metadata at all: a script, which has no ambient cookies to abuse
}

function submittedToken(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body;
  if (body && typeof body === 'object' && '_csrf' in body && typeof body._csrf === 'string') {
    return body._csrf;
  }
  return undefined;
}

async function csrf(app: FastifyInstance, opts: CsrfOptions) {
  const key = deriveKey(opts.appSecret, 'csrf');
  const ownOrigin = opts.publicUrl.origin;
  // Synchronous hooks: a safe request (every page view) costs two checks and no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    // Pages put this token in forms and in htmx's headers (see views/layout.tsx).
    const principal = request.principal;
    request.viewContext = principal
      ? {
          csrfToken: principal.via === 'session' ? csrfToken(key, principal.credentialId) : '',
          user: {
            handle: principal.user.handle,
            displayName: principal.user.displayName,
            isCreator: principal.user.isCreator,
          },
        }
      : { csrfToken: '' };
    if (SAFE_METHODS.has(request.method) || opts.exempt?.(request)) return done();
    if (principal?.via === 'token') return done();
    if (isCrossSite(request, ownOrigin)) {
      return done(
        new AppError(
          'CROSS_SITE_REQUEST',
          403,
          'This request came from another site and was refused.',
        ),
      );
    }
    done();
  });

  app.addHook('preHandler', (request, _reply, done) => {
    if (SAFE_METHODS.has(request.method) || opts.exempt?.(request)) return done();
    // Only a live session is an ambient credential worth forging; without one the request is
    // anonymous (the Origin check above still applies).
    const principal = request.principal;
    if (principal?.via !== 'session') return done();
    const given = submittedToken(request);
    if (!given || !safeEqual(given, csrfToken(key, principal.credentialId))) {
      return done(
        new AppError(
          'CSRF_TOKEN_INVALID',
          403,
          'Your form expired. Reload the page and try again.',
        ),
      );
    }
    done();
  });
}

export default fp(csrf, { name: 'csrf', dependencies: ['authentication'] });
