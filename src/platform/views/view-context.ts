// What every page needs to know about the request it answers: the CSRF token for forms and
// htmx, and who is signed in. The auth and CSRF plugins fill request.viewContext; until they
// run (or on a request they skip) views fall back to an anonymous context with no token.
import type { FastifyRequest } from 'fastify';

export interface ViewUser {
  handle: string;
  displayName: string;
  /** creators have a public page and a dashboard; fans have neither yet */
  isCreator: boolean;
}

export interface ViewContext {
  csrfToken: string;
  user?: ViewUser;
}

declare module 'fastify' {
  interface FastifyRequest {
    viewContext?: ViewContext;
  }
}

const ANONYMOUS: ViewContext = Object.freeze({ csrfToken: '' });

export function getViewContext(request: FastifyRequest): ViewContext {
  return request.viewContext ?? ANONYMOUS;
}

/** The CSRF token the page's forms carry. */
export const csrfOf = (request: FastifyRequest): string => getViewContext(request).csrfToken;
