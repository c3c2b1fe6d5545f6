// Who is calling: a session cookie (browsers) or a bearer personal access token (scripts).
// The accounts module resolves credentials; this plugin only asks it once per request and
// offers hooks to require a user or a scope. Protected routes register these hooks in their
// own encapsulated scope, never by URL prefix.
// Token scopes are decided here, once, for every route (docs/security.md "Tokens and scopes"):
// a token is a credential of the JSON API only, so outside /api/ it is never resolved (a read
// is anonymous, a state-changing request carrying one is refused), and under /api/ a
// state-changing request needs the 'write' scope unless its route declares `tokenScope`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

export type Scope = 'read' | 'write';

export interface AuthUser {
  id: string;
  handle: string;
  email: string;
  displayName: string;
  isCreator: boolean;
  isAdmin: boolean;
  emailVerified: boolean;
}

export interface Principal {
  user: AuthUser;
  via: 'session' | 'token';
  /** the session's or the token's id */
  credentialId: string;
  scopes: readonly Scope[];
  /** sessions only: when the user last proved who they are (password, passkey) */
  reauthenticatedAt?: Date;
}

export interface CredentialResolver {
  /** resolves a bearer token; undefined when unknown, revoked or the account is inactive */
  fromBearer(token: string, request: FastifyRequest): Promise<Principal | undefined>;
  /** resolves the session cookie; undefined when unknown or expired */
  fromSession(token: string, request: FastifyRequest): Promise<Principal | undefined>;
  sessionCookieName: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /**
     * The scope a bearer token needs on this /api/ route. Without it: 'write' for POST, PUT,
     * PATCH and DELETE, 'read' otherwise. Declare it only for a route that can never give a
     * token more than it has (signing the token itself out).
     */
    tokenScope?: Scope;
  }
}

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]{10,200})$/i;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether the principal carries the scope; 'write' includes 'read', sessions carry both. */
export function hasScope(principal: Principal, scope: Scope): boolean {
  return (
    principal.scopes.includes(scope) || (scope === 'read' && principal.scopes.includes('write'))
  );
}

/** The API, where tokens are credentials; judged by the matched route (the URL for a 404). */
function isApiRequest(request: FastifyRequest): boolean {
  return (request.routeOptions.url ?? request.url).startsWith('/api/');
}

async function authentication(app: FastifyInstance, opts: { resolver: CredentialResolver }) {
  app.decorateRequest('principal', undefined);
  /** The request carries a credential: a token, or a session cookie to look up. */
  async function resolve(request: FastifyRequest, header: string | undefined): Promise<void> {
    const safe = SAFE_METHODS.has(request.method);
    if (header !== undefined && isApiRequest(request)) {
      const token = BEARER.exec(header)?.[1];
      const principal = token ? await opts.resolver.fromBearer(token, request) : undefined;
      if (!principal) {
        throw new AppError('INVALID_TOKEN', 401, 'The access token is not valid.');
      }
      const needed = request.routeOptions.config.tokenScope ?? (safe ? 'read' : 'write');
      // an unknown URL stays a 404 whatever the token
      if (!request.is404 && !hasScope(principal, needed)) throw insufficientScope(needed);
      request.principal = principal;
      return;
    }
    // Pages are for browsers, which never send a bearer token: a change asked with one is
    // refused outright (a script is told why), a read goes on as if it had none.
    if (header !== undefined && !safe && BEARER.test(header)) {
      throw new AppError(
        'TOKEN_NOT_ACCEPTED',
        403,
        'Access tokens work with the API (/api/v1) only; pages take a signed-in browser.',
      );
    }
    const cookie = request.cookies[opts.resolver.sessionCookieName];
    if (cookie) request.principal = await opts.resolver.fromSession(cookie, request);
  }

  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.authorization;
    // Anonymous (no Authorization header, no session cookie): nothing to look up, and no
    // promise or database round trip for it.
    if (header === undefined && !request.cookies[opts.resolver.sessionCookieName]) {
      done();
      return;
    }
    resolve(request, header).then(() => done(), done);
  });
}

export default fp(authentication, { name: 'authentication', dependencies: ['@fastify/cookie'] });

/** preHandler: 401 unless someone is signed in; pages redirect browsers to /login instead. */
export async function requireUser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.principal) return;
  const isPage = request.method === 'GET' && !request.url.startsWith('/api/');
  if (isPage && request.headers['hx-request'] === undefined) {
    const next = encodeURIComponent(request.url);
    return reply.redirect(`/login?next=${next}`, 303);
  }
  throw new AppError('NOT_SIGNED_IN', 401, 'Please sign in first.');
}

/** The signed-in principal, for handlers behind requireUser. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('NOT_SIGNED_IN', 401, 'Please sign in first.');
  return request.principal;
}

function insufficientScope(scope: Scope): AppError {
  return new AppError('INSUFFICIENT_SCOPE', 403, `This token lacks the "${scope}" scope.`);
}

/**
 * preHandler: a token must carry the scope; sessions carry every scope. On a state-changing
 * /api/ route this repeats what the authentication hook has decided already.
 */
export function requireScope(scope: Scope) {
  return async (request: FastifyRequest) => {
    if (!hasScope(principalOf(request), scope)) throw insufficientScope(scope);
  };
}
