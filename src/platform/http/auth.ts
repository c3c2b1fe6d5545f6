// Who is calling: a session cookie (browsers) or a bearer personal access token (scripts).
// The accounts module resolves credentials; this plugin only asks it once per request and
// offers hooks to require a user or a scope. Protected routes register these hooks in their
// own encapsulated scope, never by URL prefix.
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
}

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]{10,200})$/i;

async function authentication(app: FastifyInstance, opts: { resolver: CredentialResolver }) {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = BEARER.exec(header)?.[1];
      const principal = token ? await opts.resolver.fromBearer(token, request) : undefined;
      if (!principal) {
        throw new AppError('INVALID_TOKEN', 401, 'The access token is not valid.');
      }
      request.principal = principal;
      return;
    }
    const cookie = request.cookies[opts.resolver.sessionCookieName];
    if (cookie) request.principal = await opts.resolver.fromSession(cookie, request);
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

/** preHandler: a token must carry the scope; sessions carry every scope. */
export function requireScope(scope: Scope) {
  return async (request: FastifyRequest) => {
    const principal = principalOf(request);
    if (!principal.scopes.includes(scope)) {
      throw new AppError('INSUFFICIENT_SCOPE', 403, `This token lacks the "${scope}" scope.`);
    }
  };
}
